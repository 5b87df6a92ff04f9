/**
 * The `systemctl` command: start, stop, restart, status, enable [--now], disable [--now], is-active,
 * is-enabled, is-failed, list-units, list-sockets, list-dependencies, daemon-reload, cat, show, reset-failed —
 * with systemctl 252's messages and exit codes.
 */
import { CONFIG_DIR, RUNTIME_DIR, disableUnits, enableUnits, formatInstallChange, hasInstallRules, installError, linkUnitFile, unitFileState } from '../manager/install.ts';
import type { Manager } from '../manager/manager.ts';
import { ServiceUnit } from '../manager/service-unit.ts';
import type { JobResult, JobType, Unit } from '../manager/unit.ts';
import type { CommandIO, System } from '../system.ts';
import type { UnitFile } from '../unit-file/unit-types.ts';
import { loadErrorText, loadFailureReason } from '../unit-file/unit-loader.ts';
import { mangleUnitName, parseSystemctlArgs } from './systemctl-args.ts';
import type { SystemctlArgs } from './systemctl-args.ts';
import { listDependencies } from './systemctl-list-dependencies.ts';
import { formatUnitFileList, listSockets, listUnitFiles, listUnits } from './systemctl-list.ts';
import { formatShow, unitProperties } from './systemctl-show.ts';
import { formatStatus, formatSystemStatus, SYSTEMD_FEATURES, SYSTEMD_VERSION, SYSTEMD_VERSION_BANNER } from './systemctl-status.ts';
import { maskUnits, unmaskUnits } from './systemctl-mask.ts';
import { sysvInstall } from './systemctl-sysv.ts';

const NO_INSTALL_INFO = `The unit files have no installation config (WantedBy=, RequiredBy=, Also=,
Alias= settings in the [Install] section, and DefaultInstance= for template
units). This means they are not meant to be enabled using systemctl.
 
Possible reasons for having this kind of units are:
• A unit may be statically enabled by being symlinked from another unit's
  .wants/ or .requires/ directory.
• A unit's purpose may be to act as a helper for some other unit which has
  a requirement dependency on it.
• A unit may be started when needed via activation (socket, path, timer,
  D-Bus, udev, scripted systemctl call, ...).
• In case of template units, the unit is meant to be enabled with some
  instance name specified.
`;

/** Why a service's start job failed, as log_job_error_with_service_result() explains it. */
const RESULT_EXPLANATIONS: Record<string, string> = {
  resources: 'of unavailable resources or another system error',
  protocol: 'the service did not take the steps required by its unit configuration',
  timeout: 'a timeout was exceeded',
  'exit-code': 'the control process exited with error code',
  signal: 'a fatal signal was delivered to the control process',
  'core-dump': 'a fatal signal was delivered causing the control process to dump core',
  watchdog: 'the service failed to send watchdog ping',
  'start-limit-hit': 'start of the service was attempted too often',
  'oom-kill': 'of an out-of-memory (OOM) siutation',
};

interface Context {
  io: CommandIO;
  manager: Manager;
  opts: SystemctlArgs;
}

type Verb = (ctx: Context) => Promise<number>;

/** Prints systemctl's warning when a unit's files changed since they were loaded. */
function warnIfChanged(ctx: Context, unit: Unit): void {
  if (ctx.manager.changedOnDisk(unit)) {
    ctx.io.stderr(`Warning: The unit file, source configuration file or drop-ins of ${unit.name} changed on disk. Run 'systemctl daemon-reload' to reload units.\n`);
  }
}

function needUnits(ctx: Context): string[] | undefined {
  if (ctx.opts.args.length === 0) {
    ctx.io.stderr('Too few arguments.\n');
    return undefined;
  }
  return ctx.opts.args.map((a) => mangleUnitName(a));
}

/** The error lines for a job that did not end in `done`. */
function jobFailure(ctx: Context, unit: Unit, result: JobResult): string {
  const name = unit.name;
  switch (result) {
    case 'canceled': return `Job for ${name} canceled.\n`;
    case 'timeout': return `Job for ${name} timed out.\n`;
    case 'dependency': return `A dependency job for ${name} failed. See 'journalctl -xe' for details.\n`;
    default: {
      // check_wait_response(): only .service units get the explained message; other types the generic line.
      if (!name.endsWith('.service')) return 'Job failed. See "journalctl -xe" for details.\n';
      const explanation = unit instanceof ServiceUnit ? RESULT_EXPLANATIONS[unit.result] : undefined;
      const head = explanation ? `Job for ${name} failed because ${explanation}.` : `Job for ${name} failed.`;
      let text = `${head}\nSee "systemctl status ${name}" and "journalctl -xeu ${name}" for details.\n`;
      if (unit instanceof ServiceUnit && unit.result === 'start-limit-hit') {
        text += `To force a start use "systemctl reset-failed ${name}"\nfollowed by "systemctl start ${name}" again.\n`;
      }
      return text;
    }
  }
}

/** Whether a unit is up (active, reloading or on its way up), as try-restart asks. */
function isRunning(unit: Unit | undefined): boolean {
  return unit !== undefined && (unit.activeState === 'active' || unit.activeState === 'reloading' || unit.activeState === 'activating');
}

/** Whether a reload job applies: a running service with ExecReload=. */
function canReload(unit: Unit | undefined): unit is ServiceUnit {
  return unit instanceof ServiceUnit && unit.config.execReload.length > 0 && unit.activeState === 'active';
}

/** start/stop/restart for each unit; waits for the jobs like systemctl does. */
async function runJobs(ctx: Context, type: JobType, verbName: string): Promise<number> {
  const names = needUnits(ctx);
  if (!names) return 1;
  const waits: Array<Promise<{ unit: Unit; result: JobResult }>> = [];
  let status = 0;
  for (const name of names) {
    const known = ctx.manager.getUnit(name);
    // loadUnit() reads a unit that failed to load again, as systemd does after garbage-collecting it.
    const unit = ctx.manager.loadUnit(name);
    warnIfChanged(ctx, unit);
    const file = unit.file;
    if (type === 'stop' && (file.loadState === 'not-found' || file.loadState === 'error') && !known) {
      ctx.io.stderr(`Failed to ${verbName} ${name}: Unit ${name} not loaded.\n`);
      status = 5;
      continue;
    }
    if (type === 'stop' && unit.activeState === 'inactive' && file.loadState !== 'loaded') continue;
    if (file.loadState === 'not-found') {
      ctx.io.stderr(`Failed to ${verbName} ${name}: ${loadErrorText(name, 'not-found')}\n`);
      status = 5;
      continue;
    }
    if (file.loadState === 'masked' && type !== 'stop') {
      ctx.io.stderr(`Failed to ${verbName} ${name}: ${loadErrorText(name, 'masked')}\n`);
      status = 1;
      continue;
    }
    if (file.loadState !== 'loaded' && !(file.loadState === 'masked' && type === 'stop')) {
      ctx.io.stderr(`Failed to ${verbName} ${name}: ${loadFailureReason(file)}\nSee system logs and 'systemctl status ${name}' for details.\n`);
      status = 1;
      continue;
    }
    if (type === 'stop' && !unit.canBeStopped()) {
      // A perpetual unit (-.slice, system.slice): systemctl 252 prints this and exits with 3 (seen on Debian 12).
      ctx.io.stderr(`Failed to ${verbName} ${name}: Job type stop is not applicable for unit ${name}.\n`);
      status = 3;
      continue;
    }
    if (name.includes('@.')) {
      ctx.io.stderr(`Failed to ${verbName} ${name}: Unit name ${name} is missing the instance name.\nSee system logs and 'systemctl status ${name}' for details.\n`);
      status = 1;
      continue;
    }
    waits.push(ctx.manager.runJobAndWait(unit, type).then((result) => ({ unit, result })));
  }
  for (const { unit, result } of await Promise.all(waits)) {
    if (result === 'done' || result === 'skipped') continue;
    ctx.io.stderr(jobFailure(ctx, unit, result));
    status = 1;
  }
  if (type === 'stop') warnTriggeringUnits(ctx, names);
  return status;
}

/**
 * warn_triggering_units(): after stopping a unit, the active units that can start it again (its sockets, paths)
 * and that were not stopped by the same command.
 */
function warnTriggeringUnits(ctx: Context, stopped: string[]): void {
  for (const name of stopped) {
    const unit = ctx.manager.getUnit(name);
    if (!unit) continue;
    const triggering = ctx.manager.triggeredByOf(unit).filter((other) => {
      if (stopped.includes(other)) return false;
      const state = ctx.manager.getUnit(other)?.activeState;
      return state === 'active' || state === 'reloading';
    });
    if (triggering.length === 0) continue;
    ctx.io.stderr(`Warning: Stopping ${name}, but it can still be activated by:\n${triggering.map((other) => `  ${other}\n`).join('')}`);
  }
}

/** The directory install verbs write to: the manager's configuration, or /run/systemd/system with --runtime. */
function installDir(ctx: Context): string {
  return ctx.opts.runtime && ctx.manager.configDir === CONFIG_DIR ? RUNTIME_DIR : ctx.manager.configDir;
}

/** Loads the unit files named on the command line for install operations; undefined after printing an error. */
function installFiles(ctx: Context, verb: string): UnitFile[] | undefined {
  const all = needUnits(ctx);
  if (!all) return undefined;
  // A service that also has a SysV script (Debian's ssh, dbus): systemd-sysv-install first (systemctl-sysv.ts).
  const system = ctx.manager.configDir === CONFIG_DIR && !ctx.opts.runtime;
  const sysv = sysvInstall(ctx.manager.kernel.fs, verb, all, (name) => ctx.manager.peekUnitFile(name).fragmentPath !== undefined, { system, quiet: ctx.opts.quiet === true });
  for (const line of sysv.lines) ctx.io.stderr(line + '\n');
  const names = all.filter((name) => !sysv.redirected.includes(name));
  const files: UnitFile[] = [];
  const seen = new Set<string>();
  const add = (name: string, explicit: boolean): boolean => {
    if (seen.has(name)) return true;
    seen.add(name);
    const unit = ctx.manager.getUnit(name);
    const file = unit && !ctx.manager.changedOnDisk(unit) ? unit.file : ctx.manager.peekUnitFile(name);
    if (!file.fragmentPath) {
      if (explicit) ctx.io.stderr(`Failed to ${verb} unit: Unit file ${name} does not exist.\n`);
      return !explicit;
    }
    // install.c refuses to enable a masked unit (ERFKILL), naming the mask link, and [Install] lines it cannot follow.
    if (file.loadState === 'masked' && verb !== 'disable') {
      ctx.io.stderr(`Failed to ${verb} unit: Unit file ${file.fragmentPath} is masked.\n`);
      return false;
    }
    const error = verb === 'disable' ? undefined : installError(file);
    if (error) {
      ctx.io.stderr(`Failed to ${verb} unit: ${error}\n`);
      return false;
    }
    files.push(file);
    for (const also of file.install.also) if (!add(also, false)) return false;
    return true;
  };
  for (const name of names) if (!add(name, true)) return undefined;
  return files;
}

/** Signal names `systemctl kill -s` takes: KILL, SIGKILL, 9. */
const KILL_SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGTERM: 15, SIGCONT: 18, SIGSTOP: 19 };

/** The signal name for `-s VALUE`, or undefined when systemctl could not parse it. */
function killSignal(value: string): string | undefined {
  const upper = value.toUpperCase();
  if (/^\d+$/.test(value)) return Object.keys(KILL_SIGNALS).find((name) => KILL_SIGNALS[name] === Number(value));
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return name in KILL_SIGNALS ? name : undefined;
}

const verbs: Record<string, Verb> = {
  start: (ctx) => runJobs(ctx, 'start', 'start'),

  /**
   * systemctl kill [-s SIGNAL] UNIT…: the signal to the unit's main process, logged as systemd 252 logs it
   * (`Sent signal SIGKILL to main process 56 (node) on client request.`); the unit then handles the exit.
   */
  async kill(ctx) {
    const signal = killSignal(ctx.opts.signal ?? 'SIGTERM');
    if (!signal) {
      ctx.io.stderr(`Failed to parse signal string "${ctx.opts.signal}".\n`);
      return 1;
    }
    const names = needUnits(ctx);
    if (!names) return 1;
    let status = 0;
    for (const name of names) {
      const unit = ctx.manager.getUnit(name);
      if (!unit || unit.file.loadState === 'not-found') {
        ctx.io.stderr(`Failed to kill unit ${name}: Unit ${name} not loaded.\n`);
        status = 1;
        continue;
      }
      const pid = unit instanceof ServiceUnit ? unit.mainPid : undefined;
      const main = pid === undefined ? undefined : ctx.manager.kernel.processes.list().find((process) => process.pid === pid);
      if (!main) continue;
      ctx.manager.unitLog(unit, `Sent signal ${signal} to main process ${main.pid} (${(main.argv[0] ?? '').split('/').pop()}) on client request.`);
      main.kill(signal);
    }
    return status;
  },
  stop: (ctx) => runJobs(ctx, 'stop', 'stop'),
  restart: (ctx) => runJobs(ctx, 'restart', 'restart'),

  /** `try-restart` (condrestart): restarts the units that are running, leaves the others alone. */
  async 'try-restart'(ctx) {
    const names = needUnits(ctx);
    if (!names) return 1;
    const running = names.filter((name) => isRunning(ctx.manager.getUnit(name)));
    if (running.length === 0) return 0;
    return runJobs({ ...ctx, opts: { ...ctx.opts, args: running } }, 'restart', 'try-restart');
  },
  condrestart: (ctx) => verbs['try-restart'](ctx),

  /** `reload-or-restart`: reloads the units that can reload (ExecReload=, running), restarts (starts) the others. */
  async 'reload-or-restart'(ctx) {
    const names = needUnits(ctx);
    if (!names) return 1;
    const reloadable = names.filter((name) => canReload(ctx.manager.getUnit(name)));
    const others = names.filter((name) => !reloadable.includes(name));
    let status = 0;
    if (reloadable.length > 0) status = await verbs.reload({ ...ctx, opts: { ...ctx.opts, args: reloadable } });
    if (others.length > 0) {
      const restarted = await runJobs({ ...ctx, opts: { ...ctx.opts, args: others } }, 'restart', 'reload-or-restart');
      if (status === 0) status = restarted;
    }
    return status;
  },

  /** `try-reload-or-restart`: reload-or-restart for the units that are running only. */
  async 'try-reload-or-restart'(ctx) {
    const names = needUnits(ctx);
    if (!names) return 1;
    const running = names.filter((name) => isRunning(ctx.manager.getUnit(name)));
    if (running.length === 0) return 0;
    return verbs['reload-or-restart']({ ...ctx, opts: { ...ctx.opts, args: running } });
  },

  async reload(ctx) {
    const names = needUnits(ctx);
    if (!names) return 1;
    let status = 0;
    for (const name of names) {
      const unit = ctx.manager.getUnit(name) ?? ctx.manager.loadUnit(name);
      warnIfChanged(ctx, unit);
      if (unit.file.loadState === 'not-found') {
        ctx.io.stderr(`Failed to reload ${name}: ${loadErrorText(name, 'not-found')}\n`);
        status = 5;
        continue;
      }
      // unit_reload(): -EBADR "Job type reload is not applicable" without ExecReload= or when not active;
      // translate_bus_error_to_exit_status() makes that EXIT_NOTIMPLEMENTED (3).
      if (!canReload(unit)) {
        ctx.io.stderr(`Failed to reload ${name}: Job type reload is not applicable for unit ${name}.\n`);
        if (status === 0) status = 3;
        continue;
      }
      if (await unit.reload() !== 'done') {
        ctx.io.stderr(`Job for ${name} failed.\nSee "systemctl status ${name}" and "journalctl -xeu ${name}" for details.\n`);
        status = 1;
      }
    }
    return status;
  },

  /**
   * `systemctl list-timers`: the emulated machine has no timer units (the unit types are service, socket, path and
   * target), so this is the empty table as systemd 252 prints it (scenario journal-and-list-formats).
   */
  async 'list-timers'(ctx) {
    if (ctx.opts.legend) {
      ctx.io.stdout(`NEXT LEFT LAST PASSED UNIT ACTIVATES\n\n0 timers listed.\n${ctx.opts.all ? '' : 'Pass --all to see loaded but inactive timers, too.\n'}`);
    }
    return 0;
  },

  async 'list-unit-files'(ctx) {
    const files = listUnitFiles(ctx.manager, { patterns: ctx.opts.args, types: ctx.opts.types, states: ctx.opts.states });
    ctx.io.stdout(formatUnitFileList(files, ctx.opts.legend));
    return files.length > 0 ? 0 : 1;
  },

  async status(ctx) {
    let names: string[];
    let first = true;
    if (ctx.opts.args.length > 0) names = ctx.opts.args.map((a) => mangleUnitName(a));
    else {
      // verb_show(): no unit and no filter shows the manager itself; --all/--state=/--type= add the matching units.
      const filtered = ctx.opts.states.length > 0 || ctx.opts.types.length > 0;
      if (!filtered) {
        ctx.io.stdout(formatSystemStatus(ctx.manager));
        first = false;
      }
      if (!ctx.opts.all && !filtered) return 0;
      names = [...ctx.manager.units.values()]
        .filter((u) => ctx.opts.types.length === 0 || ctx.opts.types.includes(u.file.type))
        .filter((u) => ctx.opts.states.length === 0 || ctx.opts.states.some((st) => [u.file.loadState, u.activeState, u.subState].includes(st)))
        .map((u) => u.name)
        .sort();
    }
    let status = 0;
    for (const [index, name] of names.entries()) {
      // A template without an instance is no unit name for PID 1 (GetUnit fails, and so does the invocation ID lookup).
      if (/@\.[a-z]+$/.test(name)) {
        ctx.io.stderr(`Failed to get properties: Unit name ${name} is neither a valid invocation ID nor unit name.\n`);
        return 1;
      }
      // show_one() of each unit is a request of its own: PID 1 collected what the one before left unreferenced.
      if (index > 0) ctx.manager.collectGarbage(true);
      let unit = ctx.manager.getUnit(name);
      // show_one(): a unit whose file is not found and that is inactive "could not be found" (exit 4), even
      // while it is loaded because another unit wants it (scenario status-unit-kinds).
      if (unit ? unit.file.loadState === 'not-found' && unit.activeState === 'inactive' : ctx.manager.peekUnitFile(name).loadState === 'not-found') {
        ctx.io.stderr(`Unit ${name} could not be found.\n`);
        if (status === 0) status = 4; // show(): the first unit's non-zero answer is the exit code
        continue;
      }
      if (!unit) unit = ctx.manager.loadUnit(name);
      if (!first) ctx.io.stdout('\n');
      first = false;
      ctx.io.stdout(formatStatus(ctx.manager, unit, ctx.opts.lines));
      // print_status_info() warns about changed files after the journal lines.
      warnIfChanged(ctx, unit);
      if (unit.activeState !== 'active' && unit.activeState !== 'reloading' && status === 0) status = 3;
    }
    return status;
  },

  async 'is-active'(ctx) {
    return checkStates(ctx, ['active', 'reloading']);
  },

  async 'is-failed'(ctx) {
    return checkStates(ctx, ['failed']);
  },

  async 'is-system-running'(ctx) {
    // systemctl_is_system_running(): the manager's SystemState, "degraded" once a unit failed; 0 only for "running".
    const state = [...ctx.manager.units.values()].some((unit) => unit.activeState === 'failed') ? 'degraded' : 'running';
    if (!ctx.opts.quiet) ctx.io.stdout(`${state}\n`);
    return state === 'running' ? 0 : 1;
  },

  async 'is-enabled'(ctx) {
    const names = needUnits(ctx);
    if (!names) return 1;
    const lines: string[] = [];
    let good = false;
    for (const name of names) {
      const file = ctx.manager.peekUnitFile(name);
      const state = unitFileState(ctx.manager.kernel.fs, file, undefined, ctx.manager.configDir);
      if (!state) {
        ctx.io.stderr(`Failed to get unit file state for ${name}: No such file or directory\n`);
        return 1;
      }
      lines.push(state);
      if (['enabled', 'enabled-runtime', 'static', 'indirect', 'generated', 'alias', 'transient'].includes(state)) good = true;
    }
    if (!ctx.opts.quiet) ctx.io.stdout(lines.join('\n') + '\n');
    return good ? 0 : 1;
  },

  async enable(ctx) {
    const files = installFiles(ctx, 'enable');
    if (!files) return 1;
    const changes = enableUnits(ctx.manager.kernel.fs, files.filter(hasInstallRules), installDir(ctx));
    for (const change of changes) ctx.io.stderr(formatInstallChange(change) + '\n');
    if (files.every((f) => !hasInstallRules(f))) ctx.io.stderr(NO_INSTALL_INFO);
    ctx.manager.daemonReload();
    if (ctx.opts.now) return runJobs(ctx, 'start', 'start');
    return 0;
  },

  /** `systemctl reenable UNIT…`: disable, then enable (unit_file_reenable()), every change printed in that order. */
  async reenable(ctx) {
    const files = installFiles(ctx, 'reenable');
    if (!files) return 1;
    const fs = ctx.manager.kernel.fs;
    const changes = [...disableUnits(fs, files, installDir(ctx)), ...enableUnits(fs, files.filter(hasInstallRules), installDir(ctx))];
    for (const change of changes) ctx.io.stderr(formatInstallChange(change) + '\n');
    if (files.every((f) => !hasInstallRules(f))) ctx.io.stderr(NO_INSTALL_INFO);
    ctx.manager.daemonReload();
    if (ctx.opts.now) return runJobs(ctx, 'restart', 'restart');
    return 0;
  },

  /** `systemctl link PATH…`: makes a unit file outside the search path loadable under its own name. */
  async link(ctx) {
    if (ctx.opts.args.length === 0) {
      ctx.io.stderr('Too few arguments.\n');
      return 1;
    }
    for (const arg of ctx.opts.args) {
      if (!arg.includes('/')) {
        ctx.io.stderr(`Link argument must contain at least one directory separator.\nIf you intended to link a file in the current directory, try ./${arg} instead.\n`);
        return 1;
      }
    }
    const changes = [];
    for (const arg of ctx.opts.args) {
      const path = arg.startsWith('/') ? arg : `${(ctx.io.env?.PWD ?? '/').replace(/\/$/, '')}/${arg.replace(/^\.\//, '')}`;
      const result = linkUnitFile(ctx.manager.kernel.fs, path, ctx.manager.configDir);
      if ('error' in result) {
        ctx.io.stderr(result.error + '\n');
        return 1;
      }
      changes.push(...result);
    }
    for (const change of changes) ctx.io.stderr(formatInstallChange(change) + '\n');
    ctx.manager.daemonReload();
    return 0;
  },

  async disable(ctx) {
    const files = installFiles(ctx, 'disable');
    if (!files) return 1;
    const changes = disableUnits(ctx.manager.kernel.fs, files, installDir(ctx));
    for (const change of changes) ctx.io.stderr(formatInstallChange(change) + '\n');
    ctx.manager.daemonReload();
    if (ctx.opts.now) return runJobs(ctx, 'stop', 'stop');
    return 0;
  },

  async mask(ctx) {
    const names = needUnits(ctx);
    if (!names) return 1;
    return maskUnits({ io: ctx.io, manager: ctx.manager, names, stopNow: ctx.opts.now ? () => runJobs(ctx, 'stop', 'stop') : undefined, dir: installDir(ctx) });
  },

  async unmask(ctx) {
    const names = needUnits(ctx);
    if (!names) return 1;
    return unmaskUnits({ io: ctx.io, manager: ctx.manager, names, dir: installDir(ctx) });
  },

  async 'daemon-reload'(ctx) {
    ctx.manager.daemonReload();
    return 0;
  },

  async 'reset-failed'(ctx) {
    if (ctx.opts.args.length === 0) {
      for (const unit of [...ctx.manager.units.values()]) unit.resetFailed();
      return 0;
    }
    // One ResetFailedUnit() call per name: a unit that is not loaded is reported, the others are still reset.
    let status = 0;
    for (const name of ctx.opts.args.map((a) => mangleUnitName(a))) {
      const unit = ctx.manager.getUnit(name);
      if (!unit) {
        ctx.io.stderr(`Failed to reset failed state of unit ${name}: Unit ${name} not loaded.\n`);
        status = 1;
        continue;
      }
      unit.resetFailed();
    }
    return status;
  },

  async 'list-units'(ctx) {
    ctx.io.stdout(listUnits(ctx.manager, { all: ctx.opts.all, types: ctx.opts.types, states: ctx.opts.states, patterns: ctx.opts.args, legend: ctx.opts.legend }));
    return 0;
  },

  async 'list-dependencies'(ctx) {
    const names = ctx.opts.args.length > 0 ? ctx.opts.args.map((a) => mangleUnitName(a)) : ['default.target'];
    const options = { direction: ctx.opts.dependency, all: ctx.opts.all, plain: ctx.opts.plain };
    const followed: string[] = [];
    ctx.io.stdout(names.map((name) => listDependencies(ctx.manager, name, options, followed).join('\n') + '\n').join('\n'));
    return 0;
  },

  async 'list-sockets'(ctx) {
    ctx.io.stdout(listSockets(ctx.manager, { all: ctx.opts.all, patterns: ctx.opts.args, legend: ctx.opts.legend, showTypes: ctx.opts.showTypes }));
    return 0;
  },

  async cat(ctx) {
    const names = needUnits(ctx);
    if (!names) return 1;
    let status = 0;
    let first = true;
    for (const name of names) {
      const file = ctx.manager.peekUnitFile(name);
      const paths = [file.fragmentPath, ...file.dropInPaths].filter((p): p is string => p !== undefined);
      if (paths.length === 0) {
        ctx.io.stderr(`No files found for ${name}.\n`);
        status = 1;
        continue;
      }
      const unit = ctx.manager.getUnit(name);
      if (unit) warnIfChanged(ctx, unit);
      for (const path of paths) {
        if (!first) ctx.io.stdout('\n');
        first = false;
        let text = '';
        try {
          text = ctx.manager.kernel.fs.readFile(path);
        } catch {
          text = '';
        }
        ctx.io.stdout(`# ${path}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}`);
      }
    }
    return status;
  },

  async show(ctx) {
    const names = ctx.opts.args.map((a) => mangleUnitName(a));
    if (names.length === 0) {
      // The manager's own properties (org.freedesktop.systemd1.Manager): the few the emulator knows.
      const state = [...ctx.manager.units.values()].some((unit) => unit.activeState === 'failed') ? 'degraded' : 'running';
      const props: Array<[string, string]> = [['Version', SYSTEMD_VERSION], ['Features', SYSTEMD_FEATURES], ['SystemState', state]];
      const lines = formatShow(props, ctx.opts.properties, ctx.opts.value, ctx.opts.all);
      if (lines.length > 0) ctx.io.stdout(lines.join('\n') + '\n');
      return 0;
    }
    let first = true;
    for (const name of names) {
      const unit = ctx.manager.getUnit(name) ?? ctx.manager.loadUnit(name);
      if (!first) ctx.io.stdout('\n');
      first = false;
      const lines = formatShow(unitProperties(ctx.manager, unit), ctx.opts.properties, ctx.opts.value, ctx.opts.all);
      if (lines.length > 0) ctx.io.stdout(lines.join('\n') + '\n');
    }
    return 0;
  },
};

async function checkStates(ctx: Context, good: string[]): Promise<number> {
  const names = needUnits(ctx);
  if (!names) return 1;
  let found = false;
  const lines: string[] = [];
  for (const name of names) {
    // The ActiveState property of the unit's bus object: reading it loads a unit that is not loaded.
    const unit = ctx.manager.getUnit(name) ?? ctx.manager.loadUnit(name);
    const state = unit.activeState;
    lines.push(state);
    if (good.includes(state)) found = true;
  }
  if (!ctx.opts.quiet) ctx.io.stdout(lines.join('\n') + '\n');
  return found ? 0 : good.includes('failed') ? 1 : 3;
}

/** The `systemctl` command handler. */
export async function systemctl(argv: string[], io: CommandIO, system: System): Promise<number> {
  const parsed = parseSystemctlArgs(argv.slice(1));
  if ('error' in parsed) {
    io.stderr(parsed.error + '\n');
    return 1;
  }
  if (parsed.version) {
    io.stdout(SYSTEMD_VERSION_BANNER);
    return 0;
  }
  const verb = parsed.verb ?? 'list-units';
  const handler = Object.hasOwn(verbs, verb) ? verbs[verb] : undefined;
  if (!handler) {
    io.stderr(`Unknown command verb ${verb}.\n`);
    return 1;
  }
  return handler({ io, manager: system.manager, opts: parsed });
}

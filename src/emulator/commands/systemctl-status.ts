/**
 * `systemctl status UNIT` laid out as systemd 252's print_status_info() (src/systemctl/systemctl-show.c).
 */
import { formatJournalLine } from '../manager/journal.ts';
import { unitFileState } from '../manager/install.ts';
import type { Manager } from '../manager/manager.ts';
import { PathUnit } from '../manager/path-unit.ts';
import { ServiceUnit } from '../manager/service-unit.ts';
import { SocketUnit, listenKindName } from '../manager/socket-unit.ts';
import { formatRelative, formatTimespan, formatTimestamp } from '../manager/time-format.ts';
import { describeExit } from '../manager/exit-status.ts';
import type { ExitStatus, FileSystem } from '../kernel/kernel.ts';
import { ERRNO } from '../kernel/errno.ts';
import type { Unit } from '../manager/unit.ts';
import type { ActiveState } from '../system-events.ts';

/** unit_active_state_to_glyph(): ● active/activating/deactivating, ↻ reloading, ○ inactive, × failed. */
export function stateGlyph(state: ActiveState): string {
  if (state === 'failed') return '×';
  if (state === 'inactive') return '○';
  if (state === 'reloading') return '↻';
  return '●';
}

/** Unit file states for which status and list-unit-files leave the preset out (show_preset_for_state()). */
const NO_PRESET_STATES = new Set(['alias', 'static', 'generated', 'transient']);

/** A status field: label right-aligned in 11 columns, then `: `. */
function field(label: string, value: string): string {
  return `${label.padStart(11)}: ${value}`;
}

/** Continuation line of a multi-value field (13 columns of indent). */
function more(value: string): string {
  return `${' '.repeat(13)}${value}`;
}

/** The `Loaded:` value. */
function loadedText(manager: Manager, unit: Unit): string {
  const file = unit.file;
  if (file.loadState !== 'loaded') {
    return `${file.loadState}${file.loadError ? ` (Reason: ${file.loadError})` : ''}`;
  }
  // The unit file state is read from disk (systemctl asks for UnitFileState, which PID 1 looks up afresh).
  const state = unitFileState(manager.kernel.fs, manager.changedOnDisk(unit) ? manager.peekUnitFile(unit.name) : file, undefined, manager.configDir);
  if (!file.fragmentPath) return file.loadState;
  if (!state) return `loaded (${file.fragmentPath})`;
  // The emulated machine has Debian's presets, which enable everything.
  const preset = NO_PRESET_STATES.has(state) ? '' : '; preset: enabled';
  return `loaded (${file.fragmentPath}; ${state}${preset})`;
}

/** The timestamp `Active: … since` shows: the one of the transition into the current state class. */
function sinceTimestamp(unit: Unit): number | undefined {
  switch (unit.activeState) {
    case 'active': case 'reloading': return unit.activeEnterTimestamp;
    // unit_notify() sets InactiveEnterTimestamp only when a unit leaves an active state: a unit that failed
    // straight from inactive (a socket whose port is taken) has no "since".
    case 'inactive': case 'failed': return unit.inactiveExitTimestamp === undefined ? undefined : unit.inactiveEnterTimestamp;
    case 'activating': return unit.inactiveExitTimestamp;
    default: return unit.activeExitTimestamp;
  }
}

/** The `Active:` line and, for a unit that was up and went down, the `Duration:` line. */
function activeLines(manager: Manager, unit: Unit): string[] {
  // print_status_info() leaves out the sub state when it equals the active state (`failed`).
  let text = unit.subState === unit.activeState ? unit.activeState : `${unit.activeState} (${unit.subState})`;
  if (unit.result && unit.result !== 'success') text += ` (Result: ${unit.result})`;
  const since = sinceTimestamp(unit);
  if (since === undefined) return [field('Active', text)];
  const now = manager.kernel.clock.now();
  const lines = [field('Active', `${text} since ${formatTimestamp(since)}; ${formatRelative(since, now)}`)];
  const enter = unit.activeEnterTimestamp;
  const exit = unit.activeExitTimestamp;
  const down = unit.activeState === 'inactive' || unit.activeState === 'failed';
  if (down && unit.file.type !== 'target' && enter !== undefined && exit !== undefined && exit >= enter) {
    lines.push(field('Duration', formatTimespan((exit - enter) * 1000, 1000)));
  }
  return lines;
}

/** `(code=exited, status=1/FAILURE)` as the Process:/Main PID: lines print it (libc and systemd names only). */
function exitText(status: ExitStatus): string {
  if (status.signal) return `code=${describeExit(status).code}, signal=${status.signal.replace(/^SIG/, '')}`;
  const code = status.code ?? 0;
  const name = code <= 1 || code >= 200 ? describeExit(status).status.split('/')[1] : undefined;
  return `code=exited, status=${code}${name && name !== 'n/a' ? `/${name}` : ''}`;
}

/** strerror() of an errno number (glibc's "Unknown error N" when the emulator does not know it). */
function strerrorOf(errno: number): string {
  return Object.values(ERRNO).find((entry) => entry.errno === errno)?.text ?? `Unknown error ${errno}`;
}

/**
 * A process's command line as the kernel reports it (/proc/PID/cmdline): a script started through its `#!` line runs
 * as the interpreter with the script as argument, and `#!/usr/bin/env node` leaves `node` (env's execvp) in argv[0].
 * The memory kernel already names its Node for scripts; the Node kernel gives the script itself.
 */
export function kernelCommandLine(fs: FileSystem, argv: string[]): string[] {
  let args = argv;
  if (args[0] === '/usr/bin/node' && args[1] !== undefined && shebangOf(fs, args[1]) !== undefined) args = args.slice(1);
  // /usr/bin/node is the machine's Node binary, whatever file stands for it in the root (the Node kernel's is a script).
  const shebang = args[0] !== undefined && args[0] !== '/usr/bin/node' ? shebangOf(fs, args[0]) : undefined;
  if (!shebang) return args;
  const [interpreter, ...interpreterArgs] = shebang;
  if (interpreter === '/usr/bin/env' && interpreterArgs.length > 0) return [...interpreterArgs, ...args];
  return [interpreter, ...interpreterArgs, ...args];
}

/** The `#!` line of an executable file, split into words; undefined when it has none (or cannot be read). */
function shebangOf(fs: FileSystem, path: string): string[] | undefined {
  if (!path.startsWith('/')) return undefined;
  try {
    if (fs.stat(path)?.type !== 'file') return undefined;
    const first = fs.readFile(path).split('\n', 1)[0];
    if (!first.startsWith('#!')) return undefined;
    const words = first.slice(2).trim().split(/\s+/).filter(Boolean);
    return words.length > 0 ? words : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The kernel's comm of a process: exec of a `#!` script names the process after the script; `#!/usr/bin/env X` then
 * execs X, whose name it takes.
 */
export function commOf(fs: FileSystem, argv: string[]): string {
  const script = argv[0] === '/usr/bin/node' && argv[1] !== undefined && shebangOf(fs, argv[1]) ? argv[1] : argv[0];
  const shebang = script !== undefined ? shebangOf(fs, script) : undefined;
  if (!shebang) return comm(argv);
  if (shebang[0] === '/usr/bin/env' && shebang[1] !== undefined) return comm([shebang[1]]);
  return comm([script]);
}

/** Process:, Main PID:/Control PID: and CGroup: of a service. */
function serviceLines(unit: ServiceUnit, fs: FileSystem): string[] {
  const lines: string[] = [];
  for (const p of unit.shownExits) lines.push(field('Process', `${p.pid} ${p.property}=${p.argv.join(' ')} (${exitText(p.status)})`));
  const main = unit.mainProcess;
  const control = unit.controlProcess;
  let pids = '';
  if (main) pids = `${main.pid} (${commOf(fs, main.argv)})`;
  else if (unit.lastMainPid !== undefined) pids = `${unit.lastMainPid}${unit.mainExit ? ` (${exitText(unit.mainExit)})` : ''}`;
  if (pids) lines.push(field('Main PID', pids));
  if (control) {
    // "Cntrl PID" when it is first in its line, abbreviated so the colon stays aligned.
    if (pids) lines[lines.length - 1] += `; Control PID: ${control.pid} (${commOf(fs, control.argv)})`;
    else lines.push(`  Cntrl PID: ${control.pid} (${commOf(fs, control.argv)})`);
  }
  // STATUS= and ERRNO= of the service's last notifications (print_status_info()).
  if (unit.statusText) lines.push(field('Status', `"${unit.statusText}"`));
  if (unit.statusErrno > 0) lines.push(field('Error', `${unit.statusErrno} (${strerrorOf(unit.statusErrno)})`));
  // Tasks:, Memory: and CPU: come from cgroup accounting, which the emulator does not model: left out.
  const processes = [main, control].filter((p) => p !== undefined);
  if (processes.length > 0) {
    lines.push(field('CGroup', `/system.slice/${unit.name}`));
    processes.forEach((p, i) => lines.push(more(`${i === processes.length - 1 ? '└─' : '├─'}${p.pid} ${kernelCommandLine(fs, p.argv).join(' ')}`)));
  }
  return lines;
}

/** Groups drop-in paths by directory, as the `Drop-In:` field shows them. */
function dropInLines(paths: string[]): string[] {
  const byDir = new Map<string, string[]>();
  for (const path of paths) {
    const dir = path.slice(0, path.lastIndexOf('/'));
    byDir.set(dir, [...(byDir.get(dir) ?? []), path.slice(path.lastIndexOf('/') + 1)]);
  }
  const lines: string[] = [];
  let first = true;
  for (const [dir, names] of byDir) {
    lines.push(first ? field('Drop-In', dir) : more(dir));
    first = false;
    lines.push(more(`└─${names.join(', ')}`));
  }
  return lines;
}

/** The status block of one unit, followed by its last journal lines. */
export function formatStatus(manager: Manager, unit: Unit, journalLines = 10): string {
  const lines: string[] = [];
  const title = unit.description !== unit.name ? `${unit.name} - ${unit.description}` : unit.name;
  lines.push(`${stateGlyph(unit.activeState)} ${title}`);
  lines.push(field('Loaded', loadedText(manager, unit)));
  if (unit.file.dropInPaths.length > 0) lines.push(...dropInLines(unit.file.dropInPaths));
  lines.push(...activeLines(manager, unit));

  // The TriggeredBy= and Triggers= properties come with the unit's own (GetAll); print_status_info() then asks PID 1
  // for each one's state (get_state_one_unit()), one request each: between two requests PID 1 collects what nothing
  // holds, and a request that names a unit not loaded loads it (its warnings again, as its dependencies').
  const triggeredBy = manager.triggeredByOf(unit);
  // Triggers: always shows a black circle, whatever the state (systemctl-show.c).
  let triggers = unit instanceof SocketUnit || unit instanceof PathUnit ? unit.triggers() : [];
  // A socket or path unit that failed to load still triggers its service: socket_add_extras() and path_add_extras()
  // add the dependency before the unit is verified.
  if (/\.(socket|path)$/.test(unit.name) && triggers.length === 0 && unit.file.loadState === 'bad-setting') {
    triggers = [unit.name.replace(/\.(socket|path)$/, '.service')];
  }
  const stateOf = (name: string): Unit => {
    manager.collectGarbage(true);
    return manager.getUnit(name) ?? manager.loadUnit(name);
  };
  triggeredBy.forEach((name, i) => {
    const text = `${stateGlyph(stateOf(name).activeState)} ${name}`;
    lines.push(i === 0 ? field('TriggeredBy', text) : more(text));
  });
  for (const name of triggers) stateOf(name);
  // The dependency is on the unit, which an alias names by its own name (sshd.service → ssh.service on Debian 12).
  triggers = [...new Set(triggers.map((name) => manager.getUnit(name)?.name ?? name))];
  triggers.forEach((name, i) => lines.push(i === 0 ? field('Triggers', `● ${name}`) : more(`● ${name}`)));
  // ConditionResult=no: when the last start tested them, and each unmet one (print_status_info()).
  if (unit.conditionFailure) {
    const { at, unmet } = unit.conditionFailure;
    lines.push(field('Condition', `start condition failed at ${formatTimestamp(at)}; ${formatRelative(at, manager.kernel.clock.now())}`));
    unmet.forEach((text, i) => lines.push(more(`${i === unmet.length - 1 ? '└─' : '├─'} ${text} was not met`)));
  }
  unit.file.unit.documentation.forEach((doc, i) => lines.push(i === 0 ? field('Docs', doc) : more(doc)));
  if (unit instanceof SocketUnit) {
    unit.config.listen.forEach((address, i) => {
      const text = `${address.text} (${listenKindName(address)})`;
      lines.push(i === 0 ? field('Listen', text) : more(text));
    });
    if (unit.config.accept) {
      let text = `   Accepted: ${unit.nAccepted}; Connected: ${unit.nConnections};`;
      if (unit.nRefused > 0) text += `   Refused: ${unit.nRefused}`;
      lines.push(text);
    }
  }
  if (unit instanceof ServiceUnit) lines.push(...serviceLines(unit, manager.kernel.fs));
  // A started socket has its own cgroup (for its Exec*= processes); status shows it while the unit is up.
  if (unit instanceof SocketUnit && unit.activeState !== 'inactive' && unit.activeState !== 'failed') {
    lines.push(field('CGroup', `/system.slice/${unit.name}`));
  }

  // show_journal_by_unit(): this boot's lines of the unit since it last left the inactive state.
  const notBefore = unit.inactiveExitTimestamp ?? -Infinity;
  const entries = manager.journal.entries.filter((e) => e.unit === unit.name && e.boot === 0 && e.timestamp >= notBefore);
  const tail = journalLines > 0 ? entries.slice(-journalLines) : [];
  if (tail.length > 0) {
    lines.push('');
    for (const entry of tail) lines.push(formatJournalLine(entry, manager.kernel.hostname));
  }
  return lines.join('\n') + '\n';
}

/** The process name status shows in parentheses (the kernel's comm: executable basename, 15 characters). */
function comm(argv: string[]): string {
  return basename(argv[0] ?? '').slice(0, 15);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The systemd version string the emulated Debian 12 machine reports (Manager's Version property). */
export const SYSTEMD_VERSION = '252.39-1~deb12u2';

/** The compile-time features Debian 12's systemd 252 was built with (Manager's Features property). */
export const SYSTEMD_FEATURES = '+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified';

/** What `--version` of systemctl, journalctl and systemd-analyze prints (version(), shared/build.c). */
export const SYSTEMD_VERSION_BANNER = `systemd 252 (${SYSTEMD_VERSION})\n${SYSTEMD_FEATURES}\n`;

/**
 * `systemctl status` without a unit: the manager's overview (show_system_status()). The process tree
 * is the emulator's own: PID 1 in init.scope and each unit's processes under system.slice.
 */
export function formatSystemStatus(manager: Manager): string {
  const units = [...manager.units.values()];
  const failed = units.filter((u) => u.activeState === 'failed').length;
  const jobs = manager.pendingJobs().length;
  const state = manager.bootTimestamp === undefined ? 'offline' : jobs > 0 && !manager.bootFinished ? 'starting' : failed > 0 ? 'degraded' : 'running';
  const since = manager.bootTimestamp ?? manager.kernel.clock.now();
  const lines = [
    `● ${manager.kernel.hostname}`,
    `    State: ${state}`,
    `    Units: ${units.length} loaded (incl. loaded aliases)`,
    `     Jobs: ${jobs} queued`,
    `   Failed: ${failed} units`,
    `    Since: ${formatTimestamp(since)}; ${formatRelative(since, manager.kernel.clock.now())}`,
    `  systemd: ${SYSTEMD_VERSION}`,
    '   CGroup: /',
  ];
  const pad = ' '.repeat(11);
  const services = units
    .filter((u): u is ServiceUnit => u instanceof ServiceUnit && (u.mainProcess !== undefined || u.controlProcess !== undefined))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  lines.push(`${pad}${services.length > 0 ? '├─' : '└─'}init.scope`);
  lines.push(`${pad}${services.length > 0 ? '│ ' : '  '}└─1 /sbin/init`);
  if (services.length > 0) {
    lines.push(`${pad}└─system.slice`);
    services.forEach((service, i) => {
      const last = i === services.length - 1;
      lines.push(`${pad}  ${last ? '└─' : '├─'}${service.name}`);
      const processes = [service.mainProcess, service.controlProcess].filter((p) => p !== undefined);
      processes.forEach((p, j) => lines.push(`${pad}  ${last ? '  ' : '│ '}${j === processes.length - 1 ? '└─' : '├─'}${p.pid} ${p.argv.join(' ')}`));
    });
  }
  return lines.join('\n') + '\n';
}

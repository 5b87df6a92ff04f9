/**
 * The service unit's state machine (src/core/service.c): ExecStartPre → ExecStart → ExecStartPost,
 * Type= readiness, exits and their results, Restart=, the start limit, ExecStop and stop signals,
 * and the fds/LISTEN_* handed to ExecStart= from the sockets that trigger it.
 *
 * Type=forking is approximated: the ExecStart= process is the "parent"; its exit with 0 marks the
 * service started (active, running, no main PID tracked), a non-zero exit fails it.
 */
import { KernelError } from '../kernel/kernel.ts';
import type { Connection, ExitStatus, ListeningSocket, NotifySender, Process, SpawnOptions, StoredFd } from '../kernel/kernel.ts';
import type { UnitSnapshot } from '../system-events.ts';
import type { ExecCommand, NotifyAccess, ServiceSection } from '../unit-file/unit-types.ts';
import { parseEnvironmentFile } from './environment-file.ts';
import { replaceEnvArgv } from './exec-environment.ts';
import { describeExit } from './exit-status.ts';
import { PRIORITY } from './journal.ts';
import { interpretNotifyTags, notifyRefusal, notifyTagsOf } from './notify-message.ts';
import { formatTimespan } from './time-format.ts';
import { createRateLimit } from './rate-limit.ts';
import type { RateLimit } from './rate-limit.ts';
import { SocketUnit } from './socket-unit.ts';
import { strerror } from '../kernel/errno.ts';
import { Unit } from './unit.ts';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const STOP_TIMEOUT_MS = 90_000;

/** One fd handed to ExecStart=. */
export interface HandedFd {
  fd: number;
  name: string;
  socket: string;
}

/** Exec*= properties in the order systemctl status lists their `Process:` lines. */
const EXEC_PROPERTIES: Record<string, string> = {
  'start-pre': 'ExecStartPre', start: 'ExecStart', 'start-post': 'ExecStartPost', reload: 'ExecReload', stop: 'ExecStop',
};

/** A process of this run that has exited: what `systemctl status` shows as `Process: PID ExecX=… (code=…)`. */
export interface ExitedProcess {
  /** ExecStartPre, ExecStart, ExecStartPost, ExecReload or ExecStop. */
  property: string;
  pid: number;
  argv: string[];
  status: ExitStatus;
}

/** The Accept=yes connection an instance was started for. */
interface AcceptedConnection {
  socket: SocketUnit;
  connection: Connection;
  peer: string;
  release: () => void;
}

/** A `.service` unit. */
export class ServiceUnit extends Unit {
  mainProcess?: Process;
  controlProcess?: Process;
  nRestarts = 0;
  /** Processes of the current run that exited, oldest first (exec_status of each ExecCommand). */
  exited: ExitedProcess[] = [];
  /** ExecMainPID=: the last main process, kept after it exited; with mainExit its exit status. */
  lastMainPid?: number;
  mainExit?: ExitStatus;
  /** fds handed at the last start. */
  handedFds: HandedFd[] = [];
  /** STATUS= and ERRNO= of the last notifications (StatusText=, StatusErrno=). */
  statusText?: string;
  statusErrno = 0;
  /** FDSTORE=1: fds the service gave to keep, passed again at its next start after the socket fds. */
  fdStore: Array<{ fd: StoredFd; name: string }> = [];
  private startLimit: RateLimit;
  private timer?: number;
  private timerDeadline?: number;
  private timerCallback?: () => void;
  private watchdogTimer?: number;
  /** WATCHDOG_USEC= sent by the service (replaces WatchdogSec= until the next start). */
  private watchdogOverrideMs?: number;
  private accepted?: AcceptedConnection;
  /** Bumped on every start/stop so callbacks of an older run are ignored. */
  private generation = 0;
  private stopRequested = false;
  /** The environment of the current run (ExecStartPost= after READY=1 uses it). */
  private env: Record<string, string> = {};

  constructor(...args: ConstructorParameters<typeof Unit>) {
    super(...args);
    this.startLimit = this.makeStartLimit();
  }

  get config(): ServiceSection {
    return this.file.service!;
  }

  override get description(): string {
    const base = this.file.unit.description || this.name;
    return this.accepted ? `${base} (${this.accepted.peer})` : base;
  }

  get mainPid(): number | undefined {
    return this.mainProcess?.pid;
  }

  private makeStartLimit(): RateLimit {
    return createRateLimit(this.file.unit.startLimitIntervalMs ?? 10_000, this.file.unit.startLimitBurst ?? 5);
  }

  override reloaded(): void {
    this.startLimit = this.makeStartLimit();
  }

  /** Resets the start limit and a failed state (systemctl reset-failed). */
  resetFailed(): void {
    this.startLimit.reset();
    if (this.activeState === 'failed') {
      this.result = 'success';
      this.setState('inactive', 'dead');
    }
  }

  /** Accept=yes: this instance serves `connection`; `release` runs when the instance is gone. */
  attachConnection(socket: SocketUnit, connection: Connection, peer: string, release: () => void): void {
    this.accepted = { socket, connection, peer, release };
  }

  /** Sockets whose fds this service gets: its Sockets= and the Accept=no sockets that trigger it. */
  activatingSockets(): SocketUnit[] {
    const out: SocketUnit[] = [];
    for (const name of this.config.sockets) {
      const unit = this.ctx.getUnit(name);
      if (unit instanceof SocketUnit && !out.includes(unit)) out.push(unit);
    }
    for (const unit of this.ctx.socketsTriggering(this.name)) {
      if (!out.includes(unit)) out.push(unit);
    }
    return out;
  }

  override triggeredBy(): string[] {
    if (this.accepted) return [this.accepted.socket.name];
    return this.activatingSockets().map((s) => s.name);
  }

  /** The start limit (service_can_start()): the 6th start within 10 s by default fails the job. */
  override canStart(): boolean {
    if (this.activeState === 'active' || this.activeState === 'reloading') return true;
    if (this.startLimit.below(this.ctx.kernel.clock.now())) return true;
    this.clearTimer();
    this.ctx.unitLog(this, 'Start request repeated too quickly.', PRIORITY.warning);
    this.result = 'start-limit-hit';
    this.ctx.unitLog(this, `Failed with result 'start-limit-hit'.`, PRIORITY.warning);
    this.setState('failed', 'failed');
    this.ctx.finishJob(this, 'failed');
    this.releaseConnection();
    return false;
  }

  override start(): void {
    if (this.activeState === 'active' || this.activeState === 'reloading') {
      this.ctx.finishJob(this, 'done');
      return;
    }
    this.clearTimer();
    this.generation++;
    this.stopRequested = false;
    this.result = 'success';
    this.handedFds = [];
    this.exited = [];
    this.lastMainPid = undefined;
    this.mainExit = undefined;
    this.statusText = undefined;
    this.statusErrno = 0;
    this.watchdogOverrideMs = undefined;
    const env = this.buildEnvironment();
    if (!env) return;
    this.env = env;
    this.runSequence(this.config.execStartPre, 'start-pre', env, () => this.startMain(env));
  }

  /** Environment for every Exec*=: PATH, User's variables, Environment=, EnvironmentFile=. */
  private buildEnvironment(): Record<string, string> | undefined {
    const env: Record<string, string> = { PATH: DEFAULT_PATH };
    if (this.config.user) {
      env.USER = this.config.user;
      env.LOGNAME = this.config.user;
      env.HOME = this.config.user === 'root' ? '/root' : `/home/${this.config.user}`;
      env.SHELL = '/bin/sh';
    }
    for (const [key, value] of this.config.environment) env[key] = value;
    for (const file of this.config.environmentFiles) {
      let text: string;
      try {
        text = this.ctx.kernel.fs.readFile(file.path);
      } catch (error) {
        if (file.optional) continue;
        const code = error instanceof KernelError ? strerror(error.code) : String(error);
        this.ctx.unitLog(this, `Failed to load environment files: ${code}`, PRIORITY.err);
        this.ctx.unitLog(this, `Failed to run 'start-pre' task: ${code}`, PRIORITY.err);
        this.failStart('resources');
        return undefined;
      }
      const contents = parseEnvironmentFile(text);
      for (const assignment of contents.invalid) {
        this.ctx.unitLog(this, `Ignoring invalid environment assignment '${assignment}': ${file.path}`, PRIORITY.err);
      }
      for (const [key, value] of contents.assignments) env[key] = value;
    }
    if (this.accepted) {
      const remote = this.accepted.connection.remote;
      if (remote.family !== 'unix') {
        env.REMOTE_ADDR = remote.address.replace(/^::ffff:(\d+\.)/i, '$1');
        env.REMOTE_PORT = String(remote.port ?? 0);
      }
    }
    return env;
  }

  /** Runs control commands one after the other in `sub` state, then `next`. */
  private runSequence(commands: ExecCommand[], sub: string, env: Record<string, string>, next: () => void): void {
    const generation = this.generation;
    const run = (index: number): void => {
      if (generation !== this.generation) return;
      if (index >= commands.length) {
        next();
        return;
      }
      const command = commands[index];
      this.setState(this.stopRequested ? 'deactivating' : 'activating', sub);
      const process = this.spawn(command, env, false);
      if (!process) {
        if (command.ignoreFailure) run(index + 1);
        else this.failStart('exit-code');
        return;
      }
      this.controlProcess = process;
      process.onExit((status) => {
        this.recordExit(sub, process, command, status);
        if (generation !== this.generation) return;
        this.controlProcess = undefined;
        const meaning = describeExit(status);
        if (meaning.result !== 'success' && !command.ignoreFailure) {
          this.ctx.unitLog(this, `Control process exited, code=${meaning.code}, status=${meaning.status}`, PRIORITY.notice);
          this.failStart(meaning.result);
          return;
        }
        run(index + 1);
      });
    };
    run(0);
  }

  /**
   * ExecReload= (systemctl reload): "Reloading X...", the commands one after the other in state
   * reloading, then "Reloaded X." or, when one fails, "Reload failed for X." with the unit running on.
   * Resolves with the job result. Only for an active service with ExecReload= (the caller checks).
   */
  reload(): Promise<'done' | 'failed'> {
    const generation = this.generation;
    const env = { ...this.env };
    this.setState('reloading', 'reload');
    this.ctx.log(this, `Reloading ${this.description}...`);
    return new Promise((resolve) => {
      const finish = (ok: boolean): void => {
        if (generation === this.generation && this.activeState === 'reloading') this.setState('active', 'running');
        this.ctx.log(this, ok ? `Reloaded ${this.description}.` : `Reload failed for ${this.description}.`, ok ? PRIORITY.info : PRIORITY.err);
        resolve(ok ? 'done' : 'failed');
      };
      const run = (index: number): void => {
        const command = this.config.execReload[index];
        if (!command || generation !== this.generation) return finish(true);
        const process = this.spawn(command, env, false);
        if (!process) return command.ignoreFailure ? run(index + 1) : finish(false);
        this.controlProcess = process;
        process.onExit((status) => {
          this.recordExit('reload', process, command, status);
          if (this.controlProcess === process) this.controlProcess = undefined;
          const meaning = describeExit(status);
          if (meaning.result !== 'success' && !command.ignoreFailure) {
            this.ctx.unitLog(this, `Control process exited, code=${meaning.code}, status=${meaning.status}`, PRIORITY.notice);
            return finish(false);
          }
          run(index + 1);
        });
      };
      run(0);
    });
  }

  /** Remembers an exited Exec*= process for `systemctl status` (Process: lines). */
  private recordExit(sub: string, process: Process, command: ExecCommand, status: ExitStatus): void {
    const property = EXEC_PROPERTIES[sub] ?? 'ExecStart';
    const argv = command.argv.length > 0 ? command.argv : [command.path];
    this.exited.push({ property, pid: process.pid, argv, status });
  }

  /** Spawns one Exec*= command; logs systemd's lines and returns undefined when it cannot start. */
  private spawn(command: ExecCommand, env: Record<string, string>, main: boolean, fds: Array<ListeningSocket | Connection> = [], storedFds: StoredFd[] = []): Process | undefined {
    const names = this.handedFds.map((f) => f.name);
    const fullEnv = { ...env };
    // PID 1 gives the address of its notification socket to services whose NotifyAccess= is not none;
    // the Node kernel replaces it with its own, the memory kernel routes sd_notify() to onNotify.
    if (this.notifyAccess !== 'none') fullEnv.NOTIFY_SOCKET = '/run/systemd/notify';
    const watchdogMs = this.config.watchdogMs ?? 0;
    if (main && watchdogMs > 0 && Number.isFinite(watchdogMs)) fullEnv.WATCHDOG_USEC = String(Math.round(watchdogMs * 1000));
    // service_spawn(): every process started while a main process is known gets MAINPID=.
    if (!main && this.mainProcess) fullEnv.MAINPID = String(this.mainProcess.pid);
    let stdioConnection: Connection | undefined;
    if (main && this.config.standardInput === 'socket') {
      stdioConnection = this.accepted?.connection;
      fds = [];
    } else if (main && fds.length + storedFds.length > 0) {
      fullEnv.LISTEN_FDS = String(fds.length + storedFds.length);
      fullEnv.LISTEN_FDNAMES = names.join(':');
    }
    const identifier = basename(command.argv[0] ?? command.path);
    let pidHolder: Process | undefined;
    const early: string[] = [];
    // exec_child(): $NAME / ${NAME} in the arguments expand from the process's final environment.
    const argv = replaceEnvArgv(command.argv.length > 0 ? command.argv : [command.path], fullEnv);
    const options: SpawnOptions = {
      argv: argv.length > 0 ? argv : [command.path],
      env: fullEnv,
      setListenPid: main && fds.length + storedFds.length > 0,
      fds,
      storedFds: storedFds.length > 0 ? storedFds : undefined,
      stdioConnection,
      nonBlocking: this.config.nonBlocking,
      user: this.config.user,
      group: this.config.group,
      dynamicUser: this.config.dynamicUser,
      cwd: '/',
      unit: this.name,
      onOutput: (line) => {
        // Output written before spawn() returned has no pid yet: hold it until it does.
        if (pidHolder) this.ctx.log(this, line, PRIORITY.info, { identifier, pid: pidHolder.pid });
        else early.push(line);
      },
      onNotify: (message, sender) => this.onNotify(message, sender),
    };
    try {
      pidHolder = this.ctx.kernel.processes.spawn(options);
      for (const line of early.splice(0)) this.ctx.log(this, line, PRIORITY.info, { identifier, pid: pidHolder.pid });
      return pidHolder;
    } catch (error) {
      const reason = error instanceof KernelError ? strerror(error.code) : String((error as Error).message ?? error);
      this.ctx.unitLog(this, `Failed to execute ${command.path}: ${reason}`, PRIORITY.err);
      this.ctx.unitLog(this, `Failed at step EXEC spawning ${command.path}: ${reason}`, PRIORITY.err);
      if (main && command.ignoreFailure) return undefined;
      this.ctx.unitLog(this, `${main ? 'Main' : 'Control'} process exited, code=exited, status=203/EXEC`, PRIORITY.notice);
      return undefined;
    }
  }

  /** Collects the activation fds (in socket and Listen order) and starts ExecStart=. */
  private startMain(env: Record<string, string>): void {
    const commands = this.config.execStart;
    if (commands.length === 0) {
      this.runSequence(this.config.execStartPost, 'start-post', env, () => this.enterRunning(true));
      return;
    }
    const fds: Array<ListeningSocket | Connection> = [];
    const stored: StoredFd[] = [];
    if (this.accepted) {
      fds.push(this.accepted.connection);
      this.handedFds = [{ fd: 3, name: 'connection', socket: this.accepted.socket.name }];
    } else {
      for (const socket of this.activatingSockets()) {
        for (const listening of socket.sockets) {
          this.handedFds.push({ fd: 3 + fds.length, name: socket.fdName(), socket: socket.name });
          fds.push(listening);
        }
      }
      // service_collect_fds(): the fd store follows the socket fds, each with its FDNAME=.
      for (const entry of this.fdStore) {
        this.handedFds.push({ fd: 3 + fds.length + stored.length, name: entry.name, socket: '' });
        stored.push(entry.fd);
      }
    }
    if (this.config.standardInput === 'socket' && fds.length !== 1) {
      this.ctx.unitLog(this, `Got more than one socket.`, PRIORITY.err);
      this.failStart('resources');
      return;
    }
    const generation = this.generation;
    this.setState('activating', 'start');
    const process = this.spawn(commands[0], env, true, fds, stored);
    if (!process) {
      this.failStart('exit-code');
      return;
    }
    this.mainProcess = process;
    this.lastMainPid = process.pid;
    process.onExit((status) => {
      this.recordExit('start', process, commands[0], status);
      this.mainExit = status;
      if (generation === this.generation) this.onMainExit(status, env);
    });
    this.ctx.unitChanged(this);
    if (this.config.type === 'simple' || this.config.type === 'exec') {
      this.runSequence(this.config.execStartPost, 'start-post', env, () => this.enterRunning(false));
    } else if (this.config.type === 'notify') {
      if (this.config.timeoutStartMs > 0) this.armTimer(this.config.timeoutStartMs, () => {
        this.ctx.unitLog(this, 'start operation timed out. Terminating.', PRIORITY.err);
        this.result = 'timeout';
        this.stopRequested = true;
        this.setState('deactivating', 'stop-sigterm');
        this.mainProcess?.kill('SIGTERM');
      });
    }
  }

  /** NotifyAccess= as systemd 252 settles it: a notify or watchdog service that says none (or nothing) gets main. */
  get notifyAccess(): NotifyAccess {
    const access = this.config.notifyAccess ?? 'none';
    return access === 'none' && (this.config.type === 'notify' || (this.config.watchdogMs ?? 0) > 0) ? 'main' : access;
  }

  /**
   * An sd_notify() message (service_notify_message()): refused unless NotifyAccess= allows its sender, then
   * applied in systemd's order (notify-message.ts reads it). MAINPID= is read but not followed: the kernel can
   * only watch processes it started.
   */
  private onNotify(message: string, sender?: NotifySender): void {
    const pid = sender?.pid ?? this.mainProcess?.pid ?? 0;
    const refusal = notifyRefusal(this.notifyAccess, pid, this.mainPid, this.controlProcess?.pid);
    if (refusal) {
      this.ctx.unitLog(this, refusal, PRIORITY.warning);
      return;
    }
    const request = interpretNotifyTags(notifyTagsOf(message), sender?.notUtf8);
    for (const warning of request.warnings) this.ctx.unitLog(this, warning, PRIORITY.warning);
    const running = this.activeState === 'active' && this.subState === 'running';
    if (request.reloading && running) this.setState('reloading', 'reload');
    if (request.ready) {
      if (this.config.type === 'notify' && this.activeState === 'activating' && this.subState === 'start') {
        this.clearTimer();
        this.startWatchdog();
        this.runSequence(this.config.execStartPost, 'start-post', this.env, () => this.enterRunning(false));
      } else if (this.activeState === 'reloading' && !this.controlProcess) {
        this.setState('active', 'running');
      }
    }
    if (request.stopping && running) {
      // service_enter_stop_by_notify(): wait for the main process to exit, with TimeoutStopSec=.
      this.setState('deactivating', 'stop-sigterm');
      this.armTimer(STOP_TIMEOUT_MS, () => this.mainProcess?.kill('SIGKILL'));
    }
    if (request.status !== undefined) this.statusText = request.status ?? undefined;
    if (request.errno !== undefined) this.statusErrno = request.errno;
    if (request.extendTimeoutUsec !== undefined && this.timer !== undefined) {
      this.extendTimer(Math.ceil(request.extendTimeoutUsec / 1000));
    }
    if (request.watchdogUsec !== undefined) this.watchdogOverrideMs = request.watchdogUsec / 1000;
    if (request.watchdog === 'ping' || request.watchdogUsec !== undefined) this.startWatchdog();
    else if (request.watchdog === 'trigger') this.watchdogFired();
    if (request.fdStore && sender) this.storeFds(sender, request.fdStore.name ?? 'stored');
    if (request.fdStoreRemove) this.dropStoredFds(request.fdStoreRemove);
    this.ctx.unitChanged(this);
  }

  /** FDSTORE=1: keeps the message's fds (up to FileDescriptorStoreMax=) for the next start. */
  private storeFds(sender: NotifySender, name: string): void {
    const max = this.config.fileDescriptorStoreMax ?? 0;
    for (const [index, fd] of sender.fds.entries()) {
      if (this.fdStore.length >= max) {
        this.ctx.unitLog(this, `Cannot store more fds than FileDescriptorStoreMax=${max}, closing remaining.`, PRIORITY.warning);
        for (const rest of sender.fds.slice(index)) {
          sender.keep(rest); // taken, and closed here: PID 1 logs nothing more about them
          rest.close();
        }
        return;
      }
      sender.keep(fd);
      this.fdStore.push({ fd, name });
    }
  }

  /** FDSTOREREMOVE=1 / the service is gone for good: closes stored fds (all of them without a name). */
  private dropStoredFds(name?: string): void {
    this.fdStore = this.fdStore.filter((entry) => {
      if (name !== undefined && entry.name !== name) return true;
      entry.fd.close();
      return false;
    });
  }

  /** (Re)arms the watchdog (WatchdogSec=, or WATCHDOG_USEC= from the service) from now. */
  private startWatchdog(): void {
    this.stopWatchdog();
    const ms = this.watchdogOverrideMs ?? this.config.watchdogMs ?? 0;
    if (!(ms > 0) || !Number.isFinite(ms)) return;
    this.watchdogTimer = this.ctx.kernel.clock.setTimer(ms, () => {
      this.watchdogTimer = undefined;
      this.watchdogFired();
    });
  }

  private stopWatchdog(): void {
    if (this.watchdogTimer !== undefined) this.ctx.kernel.clock.cancelTimer(this.watchdogTimer);
    this.watchdogTimer = undefined;
  }

  /** service_dispatch_watchdog(): the watchdog fired (or WATCHDOG=trigger): SIGABRT, result 'watchdog'. */
  private watchdogFired(): void {
    this.stopWatchdog();
    if (!this.mainProcess) return;
    const ms = this.watchdogOverrideMs ?? this.config.watchdogMs ?? 0;
    this.ctx.unitLog(this, `Watchdog timeout (limit ${formatTimespan(ms * 1000, 1)})!`, PRIORITY.err);
    this.result = 'watchdog';
    this.setState('deactivating', 'stop-watchdog');
    const comm = basename(this.mainProcess.argv[0] ?? '').slice(0, 15);
    this.ctx.unitLog(this, `Killing process ${this.mainProcess.pid} (${comm}) with signal SIGABRT.`, PRIORITY.notice);
    this.mainProcess.kill('SIGABRT');
  }

  /** EXTEND_TIMEOUT_USEC=: the running timeout ends no earlier than `ms` from now. */
  private extendTimer(ms: number): void {
    const now = this.ctx.kernel.clock.now();
    if (this.timerDeadline !== undefined && this.timerDeadline >= now + ms) return;
    const callback = this.timerCallback;
    if (callback) this.armTimer(ms, callback);
  }

  /** Reached the active state (or, for oneshot, finished every ExecStart=). */
  private enterRunning(noMain: boolean): void {
    if (noMain && this.config.type === 'oneshot') {
      this.ctx.unitLog(this, 'Deactivated successfully.');
      this.setState('inactive', 'dead');
      this.ctx.finishJob(this, 'done');
      return;
    }
    this.setState('active', 'running');
    this.ctx.finishJob(this, 'done');
  }

  /** The main process ended. */
  private onMainExit(status: ExitStatus, env: Record<string, string>): void {
    this.mainProcess = undefined;
    this.stopWatchdog();
    const exit = describeExit(status);
    // ExecStart=-…: a failure of the main process counts as success (and is logged at debug level only).
    const meaning = this.config.execStart[0]?.ignoreFailure ? { ...exit, result: 'success' as const } : exit;
    const wasStopping = this.stopRequested;
    if (meaning.result !== 'success' || (meaning.code !== 'exited' && !wasStopping)) {
      if (meaning.result !== 'success') {
        this.ctx.unitLog(this, `Main process exited, code=${meaning.code}, status=${meaning.status}`, PRIORITY.notice);
      }
    }
    if (this.result === 'success' && meaning.result !== 'success') this.result = meaning.result;
    this.clearTimer();

    if (!wasStopping && meaning.result === 'success') {
      if (this.config.type === 'oneshot' && this.activeState === 'activating') {
        const rest = this.config.execStart.slice(1);
        this.runSequence(rest, 'start', env, () => this.runSequence(this.config.execStartPost, 'start-post', env, () => this.enterRunning(true)));
        return;
      }
      if (this.config.type === 'forking' && this.activeState === 'activating') {
        this.runSequence(this.config.execStartPost, 'start-post', env, () => this.enterRunning(false));
        return;
      }
    }
    // The main process is gone: run ExecStop= (as systemd does), then settle.
    this.setState('deactivating', 'stop');
    this.runSequence(this.config.execStop, 'stop', { ...env }, () => this.enterDead(!wasStopping));
  }

  /** Settles in inactive/failed; may schedule a restart; ends the job. */
  private enterDead(unexpected: boolean): void {
    const failed = this.result !== 'success';
    if (failed) this.ctx.unitLog(this, `Failed with result '${this.result}'.`, PRIORITY.warning);
    else this.ctx.unitLog(this, 'Deactivated successfully.');
    const job = this.job;
    if (unexpected && this.shouldRestart()) {
      // auto-restart maps to `activating`: a pending start job stays (unit_process_job()) and the restart
      // job merges into it; it ends when the service is up or hits the start limit.
      this.setState('activating', 'auto-restart');
      this.armTimer(this.config.restartMs, () => {
        this.nRestarts++;
        this.ctx.unitLog(this, `Scheduled restart job, restart counter is at ${this.nRestarts}.`);
        this.ctx.enqueue(this, 'restart');
      });
      return;
    }
    this.setState(failed ? 'failed' : 'inactive', failed ? 'failed' : 'dead');
    // The fd store lives across restarts (a restart job, Restart=); once the service is simply gone it is released.
    if (job?.type !== 'restart') this.dropStoredFds();
    // A start job still pending here means the service died before it was up.
    if (job) this.ctx.finishJob(this, job.type === 'start' ? 'failed' : 'done');
    this.releaseConnection();
  }

  private shouldRestart(): boolean {
    const r = this.result;
    switch (this.config.restart) {
      case 'always': return true;
      case 'on-success': return r === 'success';
      case 'on-failure': return r !== 'success';
      case 'on-abnormal': return r === 'signal' || r === 'core-dump' || r === 'timeout' || r === 'watchdog';
      case 'on-abort': return r === 'signal' || r === 'core-dump';
      case 'on-watchdog': return r === 'watchdog';
      default: return false;
    }
  }

  /** A start step failed: run ExecStop=-less cleanup and enter failed (or auto-restart). */
  private failStart(result: string): void {
    if (this.result === 'success') this.result = result;
    this.clearTimer();
    if (this.mainProcess) {
      this.stopRequested = true;
      this.setState('deactivating', 'stop-sigterm');
      this.mainProcess.kill('SIGTERM');
      return;
    }
    this.enterDead(true);
  }

  override stop(): void {
    this.clearTimer();
    this.stopWatchdog();
    if (this.activeState === 'inactive' || this.activeState === 'failed' || this.subState === 'auto-restart') {
      if (this.subState === 'auto-restart') this.setState('inactive', 'dead');
      this.ctx.finishJob(this, 'done');
      return;
    }
    this.stopRequested = true;
    this.generation++;
    const generation = this.generation;
    this.controlProcess?.kill('SIGTERM');
    this.controlProcess = undefined;
    // ExecStop= runs with the unit's environment (MAINPID= is added by spawn()).
    const env: Record<string, string> = { PATH: DEFAULT_PATH, ...this.env };
    const main = this.mainProcess;
    if (main) {
      main.onExit((status) => {
        if (generation !== this.generation) return;
        this.mainProcess = undefined;
        const meaning = describeExit(status);
        if (meaning.result !== 'success') {
          this.ctx.unitLog(this, `Main process exited, code=${meaning.code}, status=${meaning.status}`, PRIORITY.notice);
          if (this.result === 'success') this.result = meaning.result;
        }
        this.clearTimer();
        this.enterDead(false);
      });
    }
    this.runSequence(this.config.execStop, 'stop', env, () => {
      if (!this.mainProcess) {
        this.enterDead(false);
        return;
      }
      this.setState('deactivating', 'stop-sigterm');
      this.mainProcess.kill('SIGTERM');
      this.armTimer(STOP_TIMEOUT_MS, () => {
        this.ctx.unitLog(this, `State 'stop-sigterm' timed out. Killing.`, PRIORITY.warning);
        this.setState('deactivating', 'final-sigterm');
        this.mainProcess?.kill('SIGKILL');
      });
    });
  }

  private releaseConnection(): void {
    if (!this.accepted) return;
    const accepted = this.accepted;
    accepted.release();
    if (this.activeState === 'inactive' || this.activeState === 'failed') this.ctx.collect(this);
  }

  /** Arms the unit's one timer; 0 or infinity means "no timeout". */
  private armTimer(ms: number, callback: () => void): void {
    this.clearTimer();
    if (!Number.isFinite(ms) || ms < 0) return;
    this.timerDeadline = this.ctx.kernel.clock.now() + ms;
    this.timerCallback = callback;
    this.timer = this.ctx.kernel.clock.setTimer(ms, () => {
      this.timer = this.timerDeadline = this.timerCallback = undefined;
      callback();
    });
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.ctx.kernel.clock.cancelTimer(this.timer);
    this.timer = this.timerDeadline = this.timerCallback = undefined;
  }

  override snapshotExtra(): Partial<UnitSnapshot> {
    return { mainPid: this.mainPid, fds: this.handedFds.map((f) => ({ ...f })) };
  }
}

function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(i + 1) : path;
}

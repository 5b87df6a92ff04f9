/**
 * The service unit's state machine (src/core/service.c): ExecCondition → ExecStartPre → ExecStart →
 * ExecStartPost, Type= readiness, RemainAfterExit=, exits and their results, Restart=, the start limit,
 * ExecStop → stop signals → ExecStopPost, ExecReload, and the fds/LISTEN_* handed to ExecStart= from the
 * sockets that trigger it. How one command is started is execute.ts; every command list runs through
 * one runner (runCommands), and the main process's end is handled in one place (onMainExit).
 *
 * Type=forking is approximated: the ExecStart= process is the "parent"; its exit with 0 marks the
 * service started (active, running, no main PID tracked), a non-zero exit fails it.
 */
import type { Connection, ExitStatus, ListeningSocket, NotifySender, Process, StoredFd } from '../kernel/kernel.ts';
import { serviceUser } from './dynamic-user.ts';
import type { UnitSnapshot } from '../system-events.ts';
import type { ExecCommand, NotifyAccess, ServiceSection } from '../unit-file/unit-types.ts';
import { DEFAULT_PATH, buildExecEnvironment, childProcessName, execFailure, execSpawn, stillbornProcess } from './execute.ts';
import { describeExit } from './exit-status.ts';
import { PRIORITY } from './journal.ts';
import { basename } from '../path-util.ts';
import { interpretNotifyTags, notifyRefusal, notifyTagsOf } from './notify-message.ts';
import { formatTimespan } from './time-format.ts';
import { createRateLimit } from './rate-limit.ts';
import type { RateLimit } from './rate-limit.ts';
import { SocketUnit } from './socket-unit.ts';
import { escapeUnitName } from '../unit-file/unit-name.ts';
import type { StatusFormat, StatusJobType, UnitStatusMessageFormats } from './status-messages.ts';
import { SERVICE_STATE_TRANSLATION, type ServiceResult, type ServiceState } from './unit-def.ts';
import { Unit, type JobResult } from './unit.ts';

/** service.c's status_message_formats. */
const SERVICE_STATUS_MESSAGES: UnitStatusMessageFormats = {
  finishedStartJob: { failed: 'Failed to start %s.' },
  finishedStopJob: { done: 'Stopped %s.', failed: 'Stopped (with error) %s.' },
};

const STOP_TIMEOUT_MS = 90_000;

/** One fd handed to ExecStart=. */
export interface HandedFd {
  fd: number;
  name: string;
  socket: string;
}

/** Exec*= properties in the order systemctl status lists their `Process:` lines. */
const EXEC_PROPERTIES: Partial<Record<ServiceState, string>> = {
  condition: 'ExecCondition', 'start-pre': 'ExecStartPre', start: 'ExecStart', 'start-post': 'ExecStartPost',
  reload: 'ExecReload', stop: 'ExecStop', 'stop-post': 'ExecStopPost',
};

/** How a command list ended: all ran (or failed with `-`), one failed with `result`, or the run was superseded. */
type RunOutcome = { kind: 'done' } | { kind: 'failed'; result: ServiceResult; status?: ExitStatus } | { kind: 'abandoned' };

/** A process of this run that has exited: what `systemctl status` shows as `Process: PID ExecX=… (code=…)`. */
export interface ExitedProcess {
  /** ExecCondition, ExecStartPre, ExecStart, ExecStartPost, ExecReload, ExecStop or ExecStopPost. */
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

/**
 * StandardInput=socket: StandardOutput= inherit (its default then) or socket writes to the connection, and
 * StandardError= follows it when it is inherit (exec_context: stderr inherits stdout).
 */
function socketOutputs(config: ServiceSection): Array<'stdout' | 'stderr'> {
  const toSocket = (value: string) => value === 'inherit' || value === 'socket';
  const out: Array<'stdout' | 'stderr'> = [];
  const stdout = toSocket(config.standardOutput);
  if (stdout) out.push('stdout');
  if (config.standardError === 'socket' || (config.standardError === 'inherit' && stdout)) out.push('stderr');
  return out;
}

/** The states whose processes TimeoutStartSec= bounds (besides a non-simple ExecStart=). */
const START_PHASES: ReadonlySet<string> = new Set(['condition', 'start-pre', 'start-post']);

/** A `.service` unit. */
export class ServiceUnit extends Unit<ServiceState, ServiceResult> {
  readonly stateTable = SERVICE_STATE_TRANSLATION;
  mainProcess?: Process;
  controlProcess?: Process;
  nRestarts = 0;
  /** Processes of the current run that exited, oldest first (exec_status of each ExecCommand). */
  exited: ExitedProcess[] = [];
  /** How many of `exited` ran before the last daemon-reload (status no longer shows them). */
  private forgottenExits = 0;
  /** The main process that ran across the last daemon-reload: its exit is not shown as a `Process:` line. */
  private forgottenMain: Process | undefined;
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
  /** Bumped on every start/stop so command lists of an older run stop where they are. */
  private generation = 0;
  /** The manager is taking the service down (a stop job, a failed start, a timeout): no Restart= afterwards. */
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

  /** An Accept=yes instance is described by its peer (service_set_socket_fd(): `Description (PEER)` or `PEER`). */
  override get ownDescription(): string | undefined {
    const own = this.file.unit.description || undefined;
    if (!this.accepted) return own;
    return own ? `${own} (${this.accepted.peer})` : this.accepted.peer;
  }

  override get statusMessageFormats(): UnitStatusMessageFormats {
    return SERVICE_STATUS_MESSAGES;
  }

  /** service_finished_job(): a oneshot's done start job says "Finished %s.". */
  override finishedJobFormat(type: StatusJobType, result: JobResult): StatusFormat | undefined {
    return type === 'start' && result === 'done' && this.config.type === 'oneshot' ? 'Finished %s.' : undefined;
  }

  /** unit_set_default_slice(): instances of `PREFIX@.service` run in `system-PREFIX.slice`. */
  override slice(): { name: string; description: string } | undefined {
    if (this.file.instance === undefined) return undefined;
    return { name: `system-${escapeUnitName(this.file.prefix)}.slice`, description: `Slice /system/${this.file.prefix}` };
  }

  /** service_add_extras(): Sockets= are wanted. */
  override implicitWants(): string[] {
    return [...this.config.sockets];
  }

  /** service_add_extras(): After= its sockets (dependencies.ts adds the default ones). */
  override implicitAfter(): string[] {
    const out = [...this.config.sockets];
    if (this.file.instance !== undefined) out.push(...this.extraTriggeredBy(), ...this.triggeringSockets().map((s) => s.name));
    return out;
  }

  get mainPid(): number | undefined {
    return this.mainProcess?.pid;
  }

  private makeStartLimit(): RateLimit {
    return createRateLimit(this.file.unit.startLimitIntervalMs ?? 10_000, this.file.unit.startLimitBurst ?? 5);
  }

  /**
   * daemon-reload: the commands are loaded again without their exec_status (service_serialize() keeps the main
   * process's exit status, ExecMainStatus=, not each command's), so status shows no `Process:` line for what ran
   * before, nor for the main process running now when it exits (only `Main PID: … (code=…)`).
   */
  override reloaded(): void {
    this.startLimit = this.makeStartLimit();
    this.forgottenExits = this.exited.length;
    this.forgottenMain = this.mainProcess;
  }

  /** The exited processes `systemctl status` shows as `Process:` lines (those whose command still has its exec_status). */
  get shownExits(): ExitedProcess[] {
    return this.exited.slice(this.forgottenExits).filter((p) => p.pid !== this.forgottenMain?.pid || p.property !== 'ExecStart');
  }

  /** Resets the start limit and a failed state (systemctl reset-failed). */
  override resetFailed(): void {
    this.startLimit.reset();
    super.resetFailed();
    if (this.accepted && this.activeState === 'inactive') this.ctx.collect(this);
  }

  /** Accept=yes: this instance serves `connection`; `release` runs when the instance is gone. */
  attachConnection(socket: SocketUnit, connection: Connection, peer: string, release: () => void): void {
    this.accepted = { socket, connection, peer, release };
  }

  /** Its Sockets= that are loaded socket units. */
  private listedSockets(): SocketUnit[] {
    const out: SocketUnit[] = [];
    for (const name of this.config.sockets) {
      const unit = this.ctx.getUnit(name);
      if (unit instanceof SocketUnit && !out.includes(unit)) out.push(unit);
    }
    return out;
  }

  /** The Accept=no sockets that trigger it. */
  private triggeringSockets(): SocketUnit[] {
    return this.ctx.triggeringUnits(this.name).filter((unit): unit is SocketUnit => unit instanceof SocketUnit);
  }

  /** Sockets whose fds this service gets: its Sockets= and the Accept=no sockets that trigger it. */
  activatingSockets(): SocketUnit[] {
    const out = this.listedSockets();
    for (const unit of this.triggeringSockets()) {
      if (!out.includes(unit)) out.push(unit);
    }
    return out;
  }

  /** The Accept=yes socket of an instance, else its Sockets= (they hear of its changes too). */
  override extraTriggeredBy(): string[] {
    if (this.accepted) return [this.accepted.socket.name];
    return this.listedSockets().map((s) => s.name);
  }

  /**
   * The start limit (service_can_start() → unit_test_start_limit()): the 6th start within 10 s by default fails
   * the job. service_enter_dead() keeps the result of the last run (exit-code after a crash loop); only a
   * service that had none gets start-limit-hit. The sockets that trigger it see startLimitHit.
   */
  override canStart(): boolean {
    if (this.activeState === 'active' || this.activeState === 'reloading') return true;
    if (this.startLimit.below(this.ctx.kernel.clock.now())) {
      this.startLimitHit = false;
      return true;
    }
    this.clearTimer();
    this.startLimitHit = true;
    this.ctx.unitLog(this, 'Start request repeated too quickly.', PRIORITY.warning);
    if (this.result === 'success') this.result = 'start-limit-hit';
    this.ctx.unitLog(this, `Failed with result '${this.result}'.`, PRIORITY.warning);
    // unit_notify() ends the job ("Failed to start X.") before it tells the triggering socket (unit_trigger_notify()).
    this.ctx.finishJob(this, 'failed');
    this.setState('failed');
    this.releaseConnection();
    return false;
  }

  /** service_start(): a fresh run from ExecCondition= on. */
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
    this.forgottenExits = 0;
    this.forgottenMain = undefined;
    this.lastMainPid = undefined;
    this.mainExit = undefined;
    this.statusText = undefined;
    this.statusErrno = 0;
    this.watchdogOverrideMs = undefined;
    const built = buildExecEnvironment(this.ctx.kernel.fs, this.config, this.accepted?.connection.remote, serviceUser(this.config, this.name));
    for (const warning of built.warnings) this.ctx.unitLog(this, warning, PRIORITY.err);
    if (!built.ok) {
      this.ctx.unitLog(this, `Failed to load environment files: ${built.error}`, PRIORITY.err);
      // service_spawn() fails for the first command it would run: ExecCondition=, ExecStartPre= or ExecStart=.
      const task = (this.config.execCondition ?? []).length > 0 ? 'condition' : this.config.execStartPre.length > 0 ? 'start-pre' : 'start';
      this.ctx.unitLog(this, `Failed to run '${task}' task: ${built.error}`, PRIORITY.err);
      this.failStart('resources');
      return;
    }
    this.env = built.env;
    this.enterCondition();
  }

  /** service_enter_condition(): ExecCondition= exiting 1–254 skips the start; 255 or a signal fails it. */
  private enterCondition(): void {
    this.runCommands(this.config.execCondition ?? [], 'condition', this.env, (outcome) => {
      if (outcome.kind === 'abandoned') return;
      if (outcome.kind === 'done') return this.enterStartPre();
      const status = outcome.status;
      if (outcome.result === 'exit-code' && status && !status.signal && (status.code ?? 0) < 255) return this.enterSkipped();
      this.failStart(outcome.result);
    });
  }

  /** service_enter_start_pre(). */
  private enterStartPre(): void {
    this.runCommands(this.config.execStartPre, 'start-pre', this.env, (outcome) => {
      if (outcome.kind === 'done') this.enterStart();
      else if (outcome.kind === 'failed') this.failStart(outcome.result);
    });
  }

  /** service_enter_start_post(), then running (or, for oneshot, done: exited or dead). */
  private enterStartPost(): void {
    this.runCommands(this.config.execStartPost, 'start-post', this.env, (outcome) => {
      if (outcome.kind === 'done') this.enterRunning();
      else if (outcome.kind === 'failed') this.failStart(outcome.result);
    });
  }

  /**
   * Runs `commands` one after the other in sub-state `state` (service_run_next_control()), each as the
   * control process, then calls `done` once. A command with `-` may fail. A new start or stop (generation)
   * abandons the list where it is.
   */
  private runCommands(commands: readonly ExecCommand[], state: ServiceState, env: Record<string, string>, done: (outcome: RunOutcome) => void): void {
    const generation = this.generation;
    const run = (index: number): void => {
      if (generation !== this.generation) return done({ kind: 'abandoned' });
      if (index >= commands.length) return done({ kind: 'done' });
      const command = commands[index];
      this.setState(state);
      const process = this.spawnCommand(command, env, false);
      this.controlProcess = process;
      const bounded = START_PHASES.has(state);
      if (bounded) this.armStartTimeout(state);
      process.onExit((status) => {
        this.recordExit(state, process, command, status);
        if (this.controlProcess === process) this.controlProcess = undefined;
        if (generation !== this.generation) return done({ kind: 'abandoned' });
        if (bounded) this.clearTimer();
        const meaning = describeExit(status, 'command');
        if (meaning.result !== 'success' && !command.ignoreFailure) {
          const skip = state === 'condition' && meaning.code === 'exited' && (status.code ?? 0) < 255;
          // unit_log_process_exit(): a condition check that says "skip" is not a failure and logs at debug level.
          if (!skip) this.ctx.unitLog(this, `${state === 'condition' ? 'Condition check process' : 'Control process'} exited, code=${meaning.code}, status=${meaning.status}`, PRIORITY.notice);
          return done({ kind: 'failed', result: meaning.result, status });
        }
        run(index + 1);
      });
    };
    run(0);
  }

  /**
   * ExecReload= (systemctl reload): "Reloading X...", the commands one after the other in state
   * reload, then "Reloaded X." or, when one fails, "Reload failed for X." with the unit running on.
   * Resolves with the job result. Only for an active service with ExecReload= (the caller checks).
   */
  reload(): Promise<'done' | 'failed'> {
    const generation = this.generation;
    this.ctx.log(this, `Reloading ${this.statusString()}...`);
    return new Promise((resolve) => {
      this.runCommands(this.config.execReload, 'reload', { ...this.env }, (outcome) => {
        const ok = outcome.kind !== 'failed';
        // Back to running, exited, or down when the main process ended meanwhile (service_enter_running()).
        if (generation === this.generation && this.activeState === 'reloading') this.enterRunning();
        this.ctx.log(this, ok ? `Reloaded ${this.statusString()}.` : `Reload failed for ${this.statusString()}.`, ok ? PRIORITY.info : PRIORITY.err);
        resolve(ok ? 'done' : 'failed');
      });
    });
  }

  /** Remembers an exited Exec*= process for `systemctl status` (Process: lines). */
  private recordExit(state: ServiceState, process: Process, command: ExecCommand, status: ExitStatus): void {
    const property = EXEC_PROPERTIES[state] ?? 'ExecStart';
    const argv = command.argv.length > 0 ? command.argv : [command.path];
    this.exited.push({ property, pid: process.pid, argv, status });
  }

  /**
   * service_spawn(): one Exec*= command with the service's environment (NOTIFY_SOCKET= unless NotifyAccess=none,
   * WATCHDOG_USEC=, MAINPID= for control processes, the activation fds and the fd store for the main one).
   * A command that cannot be executed still gives a process: it exits at once with 203/EXEC, as the forked
   * child does.
   */
  private spawnCommand(command: ExecCommand, env: Record<string, string>, main: boolean, fds: Array<ListeningSocket | Connection> = [], storedFds: StoredFd[] = []): Process {
    const user = serviceUser(this.config, this.name);
    const fullEnv = { ...env };
    // PID 1 gives the address of its notification socket to services whose NotifyAccess= is not none;
    // the Node kernel replaces it with its own, the memory kernel routes sd_notify() to onNotify.
    if (this.notifyAccess !== 'none') fullEnv.NOTIFY_SOCKET = '/run/systemd/notify';
    const watchdogMs = this.config.watchdogMs ?? 0;
    if (main && watchdogMs > 0 && Number.isFinite(watchdogMs)) fullEnv.WATCHDOG_USEC = String(Math.round(watchdogMs * 1000));
    // Every process started while a main process is known gets MAINPID=.
    if (!main && this.mainProcess) fullEnv.MAINPID = String(this.mainProcess.pid);
    const inetd = main && this.config.standardInput === 'socket';
    const outcome = execSpawn(this.ctx.kernel.processes, command, {
      env: fullEnv,
      fds: main && !inetd ? fds : [],
      storedFds: main && !inetd ? storedFds : [],
      fdNames: this.handedFds.map((f) => f.name),
      stdioConnection: inetd ? this.accepted?.connection : undefined,
      stdioOutputs: inetd ? socketOutputs(this.config) : undefined,
      nonBlocking: this.config.nonBlocking,
      user: user?.name,
      uid: user?.uid,
      group: this.config.group,
      unit: this.name,
      onOutput: (line, origin) => this.ctx.log(this, line, origin.priority ?? PRIORITY.info, origin),
      onNotify: (message, sender) => this.onNotify(message, sender),
    });
    if (outcome.ok) return outcome.process;
    // The fork succeeded, the exec did not: the child logs why and exits 203 (the exit path reports it).
    const failure = execFailure(command, outcome);
    // The child logs as itself (`(missing)[PID]`), not as PID 1; UNIT= is still the service.
    const identifier = childProcessName(command.path);
    return stillbornProcess(command.argv.length > 0 ? command.argv : [command.path], failure.code, (pid) => {
      for (const line of failure.lines) this.ctx.log(this, `${this.name}: ${line.message}`, line.priority, { identifier, pid });
    });
  }

  /** service_enter_start(): collects the activation fds (in socket and Listen order) and starts ExecStart=. */
  private enterStart(): void {
    const commands = this.config.execStart;
    if (commands.length === 0) {
      this.enterStartPost();
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
    this.setState('start');
    this.startMainProcess(commands[0], fds, stored);
    this.ctx.unitChanged(this);
    if (this.config.type === 'simple' || this.config.type === 'exec') {
      this.enterStartPost();
    } else {
      // notify waits for READY=1, forking for its parent to exit, oneshot for its commands: each within TimeoutStartSec=.
      this.armStartTimeout('start');
    }
  }

  /**
   * service_spawn() arms TimeoutStartSec= for each process of a start phase (ExecCondition=, ExecStartPre=, a
   * non-simple ExecStart=, ExecStartPost=); service_dispatch_timer() then logs "<state> operation timed out.
   * Terminating." and kills what runs, the service ending with result timeout.
   */
  private armStartTimeout(state: ServiceState): void {
    if (!(this.config.timeoutStartMs > 0)) return;
    this.armTimer(this.config.timeoutStartMs, () => {
      this.ctx.unitLog(this, `${state} operation timed out. Terminating.`, PRIORITY.warning);
      if (this.result === 'success') this.result = 'timeout';
      this.stopRequested = true;
      const control = this.controlProcess;
      // A control process's end goes on through its command list (failed), which takes the main process down too.
      if (control) control.kill('SIGTERM');
      else this.enterSignal('stop-sigterm');
    });
  }

  /** Spawns `command` as the main process. */
  private startMainProcess(command: ExecCommand, fds: Array<ListeningSocket | Connection> = [], stored: StoredFd[] = []): void {
    const process = this.spawnCommand(command, this.env, true, fds, stored);
    this.mainProcess = process;
    this.lastMainPid = process.pid;
    process.onExit((status) => {
      this.recordExit('start', process, command, status);
      this.onMainExit(process, status);
    });
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
    if (request.reloading && running) this.setState('reload');
    if (request.ready) {
      if (this.config.type === 'notify' && this.activeState === 'activating' && this.subState === 'start') {
        this.clearTimer();
        this.startWatchdog();
        this.enterStartPost();
      } else if (this.subState === 'reload' && !this.controlProcess) {
        this.setState('running');
      }
    }
    if (request.stopping && running) {
      // service_enter_stop_by_notify(): wait for the main process to exit, with TimeoutStopSec=.
      this.setState('stop-sigterm');
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
    this.setState('stop-watchdog');
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

  /**
   * service_enter_running(): up, with its main process; without one, a oneshot (every ExecStart= done) or
   * a service whose main process already exited with success stays `exited` with RemainAfterExit=yes, a
   * oneshot without it is done and dead, anything else is stopped.
   */
  private enterRunning(): void {
    if (this.mainProcess || this.config.type === 'forking') {
      this.setState('running');
      this.ctx.finishJob(this, 'done');
      return;
    }
    if (this.result === 'success' && this.config.remainAfterExit) {
      this.setState('exited');
      this.ctx.finishJob(this, 'done');
      return;
    }
    if (this.config.type === 'oneshot' || this.config.execStart.length === 0) {
      this.enterDead(false);
      return;
    }
    this.enterStop();
  }

  /** The one place a main process's end is handled (service_sigchld_event() for the main PID). */
  private onMainExit(process: Process, status: ExitStatus): void {
    if (process !== this.mainProcess) return;
    this.mainProcess = undefined;
    this.mainExit = status;
    this.stopWatchdog();
    const exit = describeExit(status, this.config.type === 'oneshot' ? 'command' : 'daemon');
    // ExecStart=-…: a failure of the main process counts as success (and is logged at debug level only).
    const meaning = this.config.execStart[0]?.ignoreFailure ? { ...exit, result: 'success' as const } : exit;
    if (meaning.result !== 'success') {
      this.ctx.unitLog(this, `Main process exited, code=${meaning.code}, status=${meaning.status}`, PRIORITY.notice);
      if (this.result === 'success') this.result = meaning.result;
    }
    switch (this.subState) {
      case 'start':
        this.clearTimer();
        if (meaning.result !== 'success') return this.enterSignal('stop-sigterm');
        if (this.config.type === 'oneshot') return this.nextOneshotCommand();
        if (this.config.type === 'forking') return this.enterStartPost();
        // A notify service that exits before READY=1, a simple one before its ExecStartPost= ran.
        return this.enterStop();
      case 'running':
        return this.enterRunning();
      case 'stop-watchdog':
      case 'stop-sigterm':
      case 'stop-sigkill':
      case 'final-watchdog':
      case 'final-sigterm':
      case 'final-sigkill':
        this.clearTimer();
        return this.enterStopPost();
      default:
        // In start-pre/start-post/stop/reload a control process runs: its end decides what comes next.
        return;
    }
  }

  /** A oneshot's next ExecStart= line, each as the main process in turn; after the last: ExecStartPost=. */
  private nextOneshotCommand(): void {
    const done = this.exited.filter((p) => p.property === 'ExecStart').length;
    const next = this.config.execStart[done];
    if (!next) {
      this.enterStartPost();
      return;
    }
    this.startMainProcess(next);
    this.armStartTimeout('start');
  }

  /** Settles in inactive/failed; may schedule a restart; ends the job. */
  private enterDead(allowRestart: boolean): void {
    const failed = this.result !== 'success';
    if (failed) this.ctx.unitLog(this, `Failed with result '${this.result}'.`, PRIORITY.warning);
    else this.ctx.unitLog(this, 'Deactivated successfully.');
    const job = this.job;
    if (allowRestart && !this.stopRequested && this.shouldRestart()) {
      // auto-restart maps to `activating`: a pending start job stays (unit_process_job()) and the restart
      // job merges into it; it ends when the service is up or hits the start limit.
      this.setState('auto-restart');
      this.armTimer(this.config.restartMs, () => {
        this.nRestarts++;
        this.ctx.unitLog(this, `Scheduled restart job, restart counter is at ${this.nRestarts}.`);
        this.ctx.enqueue(this, 'restart');
      });
      return;
    }
    this.setState(failed ? 'failed' : 'dead');
    // A start job still pending here means the service died before it was up; a oneshot that ran through is done.
    const ranThrough = this.config.type === 'oneshot' && !failed;
    // The fd store lives across restarts (a restart job, Restart=); once the service is simply gone it is released.
    if (job?.type !== 'restart') this.dropStoredFds();
    if (job) this.ctx.finishJob(this, job.type === 'start' && !ranThrough ? 'failed' : 'done');
    this.releaseConnection();
  }

  /** ExecCondition= said "skip": "Skipped due to 'exec-condition'.", dead, and the start job ends skipped. */
  private enterSkipped(): void {
    this.ctx.unitLog(this, `Skipped due to 'exec-condition'.`);
    this.setState('dead');
    this.ctx.finishJob(this, 'skipped');
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

  /** A start step failed: stop what runs (service_enter_signal()), then ExecStopPost= and failed (or auto-restart). */
  private failStart(result: ServiceResult): void {
    if (this.result === 'success') this.result = result;
    this.clearTimer();
    if (this.mainProcess) {
      this.stopRequested = true;
      this.enterSignal('stop-sigterm');
      return;
    }
    this.enterStopPost();
  }

  /** service_enter_stop(): ExecStop= (with $MAINPID), then the stop signals. */
  private enterStop(): void {
    this.runCommands(this.config.execStop, 'stop', this.stopEnvironment(), (outcome) => {
      if (outcome.kind === 'abandoned') return;
      if (outcome.kind === 'failed' && this.result === 'success') this.result = outcome.result;
      this.enterSignal('stop-sigterm');
    });
  }

  /** service_enter_signal(): SIGTERM (or SIGKILL after the timeout) to the main process; without one, ExecStopPost=. */
  private enterSignal(state: 'stop-sigterm' | 'final-sigterm'): void {
    const main = this.mainProcess;
    if (!main) {
      this.enterStopPost();
      return;
    }
    this.setState(state);
    main.kill('SIGTERM');
    this.armTimer(this.config.timeoutStopMs ?? STOP_TIMEOUT_MS, () => {
      this.ctx.unitLog(this, `State '${state}' timed out. Killing.`, PRIORITY.warning);
      if (this.result === 'success') this.result = 'timeout';
      this.setState(state === 'stop-sigterm' ? 'stop-sigkill' : 'final-sigkill');
      const main = this.mainProcess;
      if (main) this.ctx.unitLog(this, `Killing process ${main.pid} (${basename(main.argv[0] ?? '')}) with signal SIGKILL.`, PRIORITY.notice);
      main?.kill('SIGKILL');
    });
  }

  /** service_enter_stop_post(): ExecStopPost= (with $SERVICE_RESULT, $EXIT_CODE, $EXIT_STATUS), then dead. */
  private enterStopPost(): void {
    this.runCommands(this.config.execStopPost ?? [], 'stop-post', this.stopEnvironment(), (outcome) => {
      if (outcome.kind === 'abandoned') return;
      if (outcome.kind === 'failed' && this.result === 'success') this.result = outcome.result;
      this.enterDead(true);
    });
  }

  /** The environment of ExecStop=/ExecStopPost=: the unit's, with how the service ended (service_set_exec_env()). */
  private stopEnvironment(): Record<string, string> {
    const env: Record<string, string> = { PATH: DEFAULT_PATH, ...this.env, SERVICE_RESULT: this.result };
    if (this.mainExit) {
      const meaning = describeExit(this.mainExit);
      env.EXIT_CODE = meaning.code;
      env.EXIT_STATUS = this.mainExit.signal ? meaning.status.slice(meaning.status.indexOf('/') + 1) : String(this.mainExit.code ?? 0);
    }
    return env;
  }

  /** service_stop(): a stop job. */
  override stop(): void {
    this.clearTimer();
    this.stopWatchdog();
    if (this.activeState === 'inactive' || this.activeState === 'failed' || this.subState === 'auto-restart') {
      if (this.subState === 'auto-restart') this.setState('dead');
      this.ctx.finishJob(this, 'done');
      return;
    }
    this.stopRequested = true;
    this.generation++;
    this.controlProcess?.kill('SIGTERM');
    this.controlProcess = undefined;
    this.enterStop();
  }

  private releaseConnection(): void {
    if (!this.accepted) return;
    const accepted = this.accepted;
    accepted.release();
    // CollectMode=inactive: a failed instance stays loaded (list-units shows it) until reset-failed.
    if (this.activeState === 'inactive') this.ctx.collect(this);
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

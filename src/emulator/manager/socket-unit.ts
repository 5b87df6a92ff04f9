/**
 * The socket unit's state machine (src/core/socket.c, reference §3): dead → listening ⇄ running,
 * Accept=no triggering one start job of its service, Accept=yes handing each connection to a new
 * service instance, the trigger limit, MaxConnections, RemoveOnStop and Symlinks.
 */
import { strerror } from '../kernel/errno.ts';
import { KernelError } from '../kernel/kernel.ts';
import type { Connection, ListeningSocket, Unsubscribe } from '../kernel/kernel.ts';
import type { UnitSnapshot } from '../system-events.ts';
import type { ListenAddress, SocketSection } from '../unit-file/unit-types.ts';
import { LISTEN_TYPES } from '../unit-file/listen-types.ts';
import { loadFailureReason } from '../unit-file/unit-loader.ts';
import { socketServiceName } from '../unit-file/unit-name.ts';
import { acceptInstanceName, peerText } from './instance-name.ts';
import { PRIORITY } from './journal.ts';
import { createRateLimit } from './rate-limit.ts';
import type { RateLimit } from './rate-limit.ts';
import type { UnitStatusMessageFormats } from './status-messages.ts';
import { SOCKET_STATE_TRANSLATION, isInactiveOrFailed, type SocketResult, type SocketState } from './unit-def.ts';
import { Unit } from './unit.ts';
import type { ServiceUnit } from './service-unit.ts';

/** socket.c's status_message_formats. */
const SOCKET_STATUS_MESSAGES: UnitStatusMessageFormats = {
  finishedStartJob: { done: 'Listening on %s.', failed: 'Failed to listen on %s.', timeout: 'Timed out starting %s.' },
  finishedStopJob: { done: 'Closed %s.', failed: 'Failed stopping %s.', timeout: 'Timed out stopping %s.' },
};

/** How `systemctl status` names a Listen kind: Stream, Datagram, SequentialPacket, FIFO, Netlink. */
export function listenKindName(address: ListenAddress): string {
  return LISTEN_TYPES[address.kind]?.name ?? address.kind;
}

/** A `.socket` unit. */
export class SocketUnit extends Unit<SocketState, SocketResult> {
  readonly stateTable = SOCKET_STATE_TRANSLATION;
  /** Open sockets, in Listen line order (empty while dead). */
  sockets: ListeningSocket[] = [];
  private watchers: Unsubscribe[] = [];
  nAccepted = 0;
  nConnections = 0;
  nRefused = 0;
  /** Open connections per source (IP, or UID for AF_UNIX), for MaxConnectionsPerSource=. */
  private perSource = new Map<string, number>();
  /** Accept=yes instances still holding a connection. */
  private instances = new Set<string>();
  private triggerLimit: RateLimit = createRateLimit(0, 0);

  get config(): SocketSection {
    return this.file.socket!;
  }

  /** The service this socket activates (Accept=no; with Accept=yes the template its instances come from). */
  serviceName(): string {
    return socketServiceName(this.name, this.config);
  }

  override get statusMessageFormats(): UnitStatusMessageFormats {
    return SOCKET_STATUS_MESSAGES;
  }

  /** socket_add_extras(): an Accept=no socket triggers its service (UNIT_TRIGGERS). */
  override triggerTargets(): string[] {
    return this.config.accept ? [] : [this.serviceName()];
  }

  override triggers(): string[] {
    if (this.config.accept) return [...this.instances];
    return this.triggerTargets();
  }

  /** socket_add_extras(): Before= its service, or its live instances (dependencies.ts adds sockets.target, a default dependency). */
  override implicitBefore(): string[] {
    return [...this.triggers()];
  }

  /** Descriptor name passed in LISTEN_FDNAMES: FileDescriptorName= or the unit name (v252 rule). */
  fdName(): string {
    if (this.config.accept) return 'connection';
    return this.config.fileDescriptorName ?? this.name;
  }

  private makeTriggerLimit(): RateLimit {
    const interval = this.config.triggerLimitIntervalMs ?? 2000;
    const burst = this.config.triggerLimitBurst ?? (this.config.accept ? 200 : 20);
    return createRateLimit(interval, burst);
  }

  /** socket_start(): refuses while its service is missing or running; else opens the fds and listens. */
  override start(): void {
    if (this.activeState === 'active') {
      this.ctx.finishJob(this, 'done');
      return;
    }
    if (!this.config.accept && !this.serviceAllowsStart()) {
      this.ctx.finishJob(this, 'failed');
      return;
    }
    this.result = 'success';
    this.triggerLimit = this.makeTriggerLimit();
    // socket_enter_start_pre() without ExecStartPre= goes straight to socket_enter_start_chown(), which opens the
    // fds before any state change: a socket that cannot bind goes from dead to failed (status shows no "since").
    const { kernel } = this.ctx;
    try {
      for (const address of this.config.listen) {
        this.sockets.push(kernel.net.listen({
          address,
          backlog: this.config.backlog,
          socketMode: this.config.socketMode,
          directoryMode: this.config.directoryMode,
          socketUser: this.config.socketUser,
          socketGroup: this.config.socketGroup,
          bindIPv6Only: this.config.bindIPv6Only,
          freeBind: this.config.freeBind,
          passCredentials: this.config.passCredentials,
          owner: this.name,
        }));
      }
    } catch (error) {
      const address = this.config.listen[this.sockets.length];
      const reason = error instanceof KernelError ? strerror(error.code) : String(error);
      // socket_open_fds() logs the address (or the FIFO), socket_enter_listening() the summary (socket.c).
      const what = address?.kind === 'fifo' ? `open FIFO ${address.path}` : `create listening socket (${address?.text ?? '?'})`;
      this.ctx.unitLog(this, `Failed to ${what}: ${reason}`, PRIORITY.err);
      this.ctx.unitLog(this, `Failed to listen on sockets: ${reason}`, PRIORITY.warning);
      this.enterFailed('resources');
      this.ctx.finishJob(this, 'failed');
      return;
    }
    if (this.config.chownUser || this.config.chownGroup) {
      // socket_enter_start_chown(): a forked helper chowns the nodes; until it exits the socket is activating, so
      // the job is still running after start() and PID 1 logs "Starting X..." (none without SocketUser=/SocketGroup=).
      this.setState('start-chown');
      queueMicrotask(() => {
        if (this.subState !== 'start-chown') return;
        this.finishStart();
      });
      return;
    }
    this.finishStart();
  }

  /** socket_enter_start_post() without ExecStartPost=: listening, the start job done. */
  private finishStart(): void {
    this.createSymlinks();
    this.enterListening();
    this.ctx.finishJob(this, 'done');
  }

  /** "Cannot run this without the service being around" (socket_start()): logs why it refuses. */
  private serviceAllowsStart(): boolean {
    const service = this.ctx.loadUnit(this.serviceName());
    if (service.file.loadState !== 'loaded') {
      this.ctx.unitLog(this, `Socket service ${service.name} not loaded, refusing.`, PRIORITY.err);
      return false;
    }
    if (service.subState !== 'dead' && service.subState !== 'failed' && service.subState !== 'auto-restart') {
      this.ctx.unitLog(this, `Socket service ${service.name} already active, refusing.`, PRIORITY.err);
      return false;
    }
    return true;
  }

  override stop(): void {
    if (this.activeState === 'inactive' || this.activeState === 'failed') {
      this.ctx.finishJob(this, 'done');
      return;
    }
    this.setState('stop-pre');
    this.closeAll();
    this.ctx.unitLog(this, 'Deactivated successfully.');
    this.setState('dead');
    this.ctx.finishJob(this, 'done');
  }

  /**
   * After daemon-reload (socket_deserialize_item() + socket_coldplug()): each open fd is kept for the Listen=
   * line that still names its address, the others are closed. A running socket left with no fd stays active
   * but serves nothing until it is restarted, as systemd warns.
   */
  override reloaded(): void {
    if (this.sockets.length === 0) return;
    const kept: ListeningSocket[] = [];
    const unused = new Set(this.sockets);
    for (const address of this.config.listen) {
      const match = [...unused].find((socket) => sameListen(socket.address, address));
      if (!match) continue;
      unused.delete(match);
      kept.push(match);
    }
    for (const socket of unused) {
      try {
        socket.close({ removePath: this.config.removeOnStop });
      } catch {
        // Already closed by the kernel.
      }
    }
    this.sockets = kept;
    for (const unwatch of this.watchers) unwatch();
    this.watchers = [];
    if (kept.length === 0 && this.activeState === 'active') {
      this.ctx.unitLog(this, 'Socket unit configuration has changed while unit has been running, no open socket file descriptor left. The socket unit is not functional until restarted.', PRIORITY.warning);
    }
    if (this.subState === 'listening') this.watchers = this.sockets.map((socket) => socket.onPending(() => this.onTraffic(socket)));
  }

  /** Socket failure: close everything, enter failed with `result` (socket_enter_dead()). */
  enterFailed(result: SocketResult): void {
    this.closeAll();
    this.result = result;
    this.ctx.unitLog(this, `Failed with result '${result}'.`, PRIORITY.warning);
    this.setState('failed');
  }

  private closeAll(): void {
    for (const unwatch of this.watchers) unwatch();
    this.watchers = [];
    for (const socket of this.sockets) {
      try {
        socket.close({ removePath: this.config.removeOnStop });
      } catch {
        // Already closed by the kernel: nothing left to release.
      }
    }
    this.sockets = [];
    if (this.config.removeOnStop) this.removeSymlinks();
  }

  /** Symlinks= point at the first AF_UNIX path socket (or FIFO). */
  private symlinkTarget(): string | undefined {
    return this.config.listen.find((a) => a.family === 'unix' || a.family === 'fifo')?.path;
  }

  private createSymlinks(): void {
    const target = this.symlinkTarget();
    if (!target) return;
    for (const link of this.config.symlinks) {
      try {
        if (this.ctx.kernel.fs.lstat(link)) this.ctx.kernel.fs.unlink(link);
        this.ctx.kernel.fs.symlink(target, link);
      } catch (error) {
        this.ctx.unitLog(this, `Failed to create symlink ${link}, ignoring: ${String((error as Error).message)}`, PRIORITY.warning);
      }
    }
  }

  private removeSymlinks(): void {
    for (const link of this.config.symlinks) {
      try {
        if (this.ctx.kernel.fs.lstat(link)) this.ctx.kernel.fs.unlink(link);
      } catch {
        // Gone already.
      }
    }
  }

  /** Watches the fds again (Accept=no: only in `listening`); re-triggers on connections still queued. */
  enterListening(): void {
    for (const unwatch of this.watchers) unwatch();
    this.watchers = this.sockets.map((socket) => socket.onPending(() => this.onTraffic(socket)));
    this.setState('listening');
    if (this.sockets.some((socket) => socket.pending() > 0)) {
      queueMicrotask(() => {
        const waiting = this.sockets.find((socket) => socket.pending() > 0);
        if (waiting && this.subState === 'listening') this.onTraffic(waiting);
      });
    }
  }

  /** Called when a listening fd becomes readable. */
  private onTraffic(socket: ListeningSocket): void {
    if (this.subState !== 'listening') return;
    this.ctx.emit({ type: 'connection', socket: this.name, action: 'queued', pending: socket.pending() });
    // socket_enter_running(): "Suppressing connection request since unit stop is scheduled." (a debug line, not
    // in the journal): with a stop job queued no service starts; waiting connections are dropped (flush_ports()),
    // an Accept=yes one counts as refused.
    if (this.job?.type === 'stop') {
      for (let connection = socket.accept(); connection; connection = socket.accept()) {
        if (this.config.accept) this.nRefused++;
        connection.destroy();
      }
      return;
    }
    if (this.config.accept) {
      this.acceptAll(socket);
      return;
    }
    if (!this.triggerLimit.below(this.ctx.kernel.clock.now())) {
      // socket_enter_running(): the refusal counts in NRefused= (the `refuse:` path), Accept=no too.
      this.ctx.unitLog(this, 'Trigger limit hit, refusing further activation.', PRIORITY.warning);
      this.nRefused++;
      this.enterFailed('trigger-limit-hit');
      return;
    }
    this.enterRunning();
  }

  /** Accept=no: queue one start job for the service (unless it runs or has one) and stop watching. */
  enterRunning(): void {
    for (const unwatch of this.watchers) unwatch();
    this.watchers = [];
    const service = this.ctx.loadUnit(this.serviceName());
    if (service.file.loadState !== 'loaded') {
      // manager_add_job() refuses a unit that did not load; socket_enter_running() reports it this way.
      this.ctx.unitLog(this, `Failed to queue service startup job (Maybe the service file is missing or not a non-template unit?): ${loadFailureReason(service.file)}`, PRIORITY.warning);
      this.enterFailed('resources');
      return;
    }
    this.setState('running');
    const busy = service.activeState === 'active' || service.activeState === 'activating' || service.activeState === 'reloading';
    if (!busy && !(service.job && service.job.type !== 'stop')) this.ctx.enqueue(service, 'start');
  }

  /** Accept=yes: take every waiting connection and hand each to a new instance. */
  private acceptAll(socket: ListeningSocket): void {
    for (;;) {
      if (this.subState !== 'listening') return;
      const connection = socket.accept();
      if (!connection) return;
      if (!this.triggerLimit.below(this.ctx.kernel.clock.now())) {
        connection.destroy();
        this.ctx.unitLog(this, 'Trigger limit hit, refusing further activation.', PRIORITY.warning);
        this.nRefused++;
        this.enterFailed('trigger-limit-hit');
        return;
      }
      this.handOver(connection, socket);
    }
  }

  private handOver(connection: Connection, socket: ListeningSocket): void {
    const peer = peerText(connection.remote);
    if (this.nConnections >= this.config.maxConnections) {
      this.nRefused++;
      this.ctx.unitLog(this, `Too many incoming connections (${this.nConnections}), dropping connection.`, PRIORITY.warning);
      this.ctx.emit({ type: 'connection', socket: this.name, action: 'refused', pending: socket.pending(), peer });
      connection.destroy();
      return;
    }
    const source = sourceKey(connection);
    const fromSource = this.perSource.get(source) ?? 0;
    if (this.config.maxConnectionsPerSource > 0 && fromSource >= this.config.maxConnectionsPerSource) {
      this.nRefused++;
      // systemd counts the new connection in p->n_ref before comparing, so the number is one above the limit.
      this.ctx.unitLog(this, `Too many incoming connections (${fromSource + 1}) from source ${source}, dropping connection.`, PRIORITY.warning);
      this.ctx.emit({ type: 'connection', socket: this.name, action: 'refused', pending: socket.pending(), peer });
      connection.destroy();
      return;
    }
    const name = acceptInstanceName(this.file.prefix, this.nAccepted, connection.local, connection.remote);
    this.nAccepted++;
    const instance = this.ctx.loadUnit(name) as ServiceUnit;
    if (instance.file.loadState !== 'loaded' || !instance.file.service) {
      // service_set_socket_fd() refuses an instance that did not load with -EINVAL, no bus error text.
      this.ctx.unitLog(this, `Failed to queue service startup job (Maybe the service file is missing or not a template unit?): ${strerror('EINVAL')}`, PRIORITY.warning);
      connection.destroy();
      this.enterFailed('resources');
      return;
    }
    this.nConnections++;
    this.perSource.set(source, fromSource + 1);
    this.instances.add(name);
    instance.attachConnection(this, connection, peer, () => {
      this.nConnections--;
      const left = (this.perSource.get(source) ?? 1) - 1;
      if (left > 0) this.perSource.set(source, left);
      else this.perSource.delete(source);
      this.instances.delete(name);
      this.ctx.unitChanged(this);
    });
    this.ctx.emit({ type: 'connection', socket: this.name, action: 'accepted', pending: socket.pending(), peer });
    this.ctx.unitChanged(this);
    this.ctx.enqueue(instance, 'start');
  }

  /**
   * socket_trigger_notify(): the activated service changed: Accept=no sockets go back to listening once it is
   * inactive or failed with no job pending, and fail when it hit its start limit.
   */
  override triggerNotify(service: Unit): void {
    if (this.config.accept) return;
    if (this.activeState !== 'active') return;
    // "Propagate start limit hit state" (socket_trigger_notify()).
    if (service.startLimitHit) {
      this.enterFailed('service-start-limit-hit');
      return;
    }
    if (this.subState === 'running' && isInactiveOrFailed(service.activeState) && !service.job) {
      this.enterListening();
      return;
    }
    if (this.subState === 'listening' && (service.activeState === 'active' || service.activeState === 'activating')) {
      this.enterRunning();
    }
  }

  override snapshotExtra(): Partial<UnitSnapshot> {
    const extra: Partial<UnitSnapshot> = {
      listen: this.config.listen.map((address, i) => ({
        address: address.text,
        kind: listenKindName(address),
        pending: this.sockets[i]?.pending() ?? 0,
      })),
    };
    if (this.config.accept) {
      extra.accepted = this.nAccepted;
      extra.connected = this.nConnections;
      extra.refused = this.nRefused;
    }
    return extra;
  }
}

/** True when an open socket is the one a Listen= line asks for (same kind and address). */
function sameListen(open: ListenAddress, wanted: ListenAddress): boolean {
  return open.kind === wanted.kind && open.text === wanted.text;
}

function sourceKey(connection: Connection): string {
  if (connection.remote.family === 'unix') return `UID ${connection.remote.uid ?? 'unknown'}`;
  return connection.remote.address;
}


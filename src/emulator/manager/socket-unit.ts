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
import { acceptInstanceName, peerText } from './instance-name.ts';
import { PRIORITY } from './journal.ts';
import { createRateLimit } from './rate-limit.ts';
import type { RateLimit } from './rate-limit.ts';
import { Unit } from './unit.ts';
import type { ServiceUnit } from './service-unit.ts';

const KIND_NAMES: Record<string, string> = {
  stream: 'Stream', datagram: 'Datagram', seqpacket: 'SequentialPacket', fifo: 'FIFO',
};

/** How `systemctl status` names a Listen kind: Stream, Datagram, SequentialPacket, FIFO. */
export function listenKindName(address: ListenAddress): string {
  return KIND_NAMES[address.kind] ?? address.kind;
}

/** The service an Accept=no socket activates: Service= or the same name with `.service`. */
export function socketServiceName(name: string, socket: SocketSection): string {
  if (socket.service) return socket.service;
  return name.replace(/\.socket$/, '.service');
}

/** A `.socket` unit. */
export class SocketUnit extends Unit {
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

  /** The service this socket activates (Accept=no). */
  serviceName(): string {
    return socketServiceName(this.name, this.config);
  }

  /** The template `prefix@.service` of an Accept=yes socket. */
  templateName(): string {
    return `${this.file.prefix}@.service`;
  }

  override triggers(): string[] {
    if (this.config.accept) return [...this.instances];
    return [this.serviceName()];
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

  override start(): void {
    if (this.activeState === 'active') {
      this.ctx.finishJob(this, 'done');
      return;
    }
    const refusal = this.serviceRefusal();
    if (refusal) {
      this.ctx.unitLog(this, refusal, PRIORITY.err);
      this.ctx.finishJob(this, 'failed');
      return;
    }
    this.result = 'success';
    this.triggerLimit = this.makeTriggerLimit();
    this.setState('activating', 'start-pre');
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
      this.ctx.unitLog(this, `Failed to create listening socket (${address?.text ?? '?'}): ${reason}`, PRIORITY.err);
      // socket_enter_start_pre() → socket_open_fds() failed: systemd 252 logs this line too.
      this.ctx.unitLog(this, `Failed to listen on sockets: ${reason}`, PRIORITY.err);
      this.enterFailed('resources');
      this.ctx.finishJob(this, 'failed');
      return;
    }
    this.createSymlinks();
    this.enterListening();
    this.ctx.finishJob(this, 'done');
  }

  /**
   * socket_start(): an Accept=no socket cannot run without its service loaded (a typo in Service=, a
   * masked service), nor while that service still runs from an earlier activation.
   */
  private serviceRefusal(): string | undefined {
    if (this.config.accept) return undefined;
    const service = this.ctx.loadUnit(this.serviceName());
    if (service.file.loadState !== 'loaded') return `Socket service ${service.name} not loaded, refusing.`;
    const idle = service.activeState === 'inactive' || service.activeState === 'failed' || service.subState === 'auto-restart';
    return idle ? undefined : `Socket service ${service.name} already active, refusing.`;
  }

  override stop(): void {
    if (this.activeState === 'inactive' || this.activeState === 'failed') {
      this.ctx.finishJob(this, 'done');
      return;
    }
    this.setState('deactivating', 'stop-pre');
    this.closeAll();
    this.ctx.unitLog(this, 'Deactivated successfully.');
    this.setState('inactive', 'dead');
    this.ctx.finishJob(this, 'done');
  }

  /** Socket failure: close everything, enter failed with `result`. */
  enterFailed(result: string): void {
    this.closeAll();
    this.result = result;
    this.ctx.unitLog(this, `Failed with result '${result}'.`, PRIORITY.warning);
    this.setState('failed', 'failed');
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
    this.setState('active', 'listening');
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
      this.ctx.unitLog(this, `Failed to queue service startup job (Maybe the service file is missing or not a non-template unit?): ${loadFailureText(service)}`, PRIORITY.warning);
      this.enterFailed('resources');
      return;
    }
    this.setState('active', 'running');
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
      this.ctx.unitLog(this, `Failed to queue service startup job (Maybe the service file is missing or not a template unit?): ${loadFailureText(instance)}`, PRIORITY.warning);
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
   * The activated service changed: Accept=no sockets go back to listening once it is inactive or
   * failed with no job pending, and fail when it hit its start limit (socket_trigger_notify()).
   */
  serviceChanged(service: Unit): void {
    if (this.config.accept) return;
    if (this.activeState !== 'active') return;
    if (service.activeState === 'failed' && service.result === 'start-limit-hit') {
      this.enterFailed('service-start-limit-hit');
      return;
    }
    if (this.subState === 'running' && (service.activeState === 'inactive' || service.activeState === 'failed') && !service.job) {
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

/** The bus error manager_add_job() gives for a unit that is not loaded (bus_unit_validate_load_state()). */
function loadFailureText(unit: Unit): string {
  switch (unit.file.loadState) {
    case 'not-found': return `Unit ${unit.name} not found.`;
    case 'masked': return `Unit ${unit.name} is masked.`;
    case 'bad-setting': return `Unit ${unit.name} has a bad unit file setting.`;
    default: return `Unit ${unit.name} failed to load properly, please adjust/correct and reload service manager: ${unit.file.loadError ?? 'Invalid argument'}`;
  }
}

function sourceKey(connection: Connection): string {
  if (connection.remote.family === 'unix') return `UID ${connection.remote.uid ?? 'unknown'}`;
  return connection.remote.address;
}


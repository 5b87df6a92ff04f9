/**
 * A listening socket owned by the emulator, with a backlog that holds connections until a service takes them.
 *
 * While no service holds the socket, the emulator's net.Server accepts every connection at once (libuv cannot
 * leave them in the kernel's backlog) and holds it paused, unread: that queue is the backlog the manager sees
 * (pending() / onPending() / accept()). When a service starts with the socket as fd 3, there are two designs:
 *
 * Direct mode (a real Linux machine: fds can be passed and Node's socket bindings are reachable), as systemd:
 * - the service's fd 3 IS this public listening socket (the fd is passed in the child's stdio array), and the
 *   emulator closes its own libuv handle, so the service accepts straight from the kernel backlog, at full
 *   speed, and sees the clients' true addresses;
 * - the socket survives the service's exit because a copy of it lives in the fd holder (fd-holder.ts) and the
 *   emulator always keeps one un-polled spare copy (a raw handle it got back from the holder, never listened
 *   on, so it never accepts). When the last service holding the socket exits, the spare starts accepting at
 *   once (synchronously) and a new spare is fetched: connections still in the kernel backlog (a service that
 *   exited without accepting) are then accepted here and start the service again, none lost;
 * - trade-off: connections the emulator had already accepted before the service started (the ones that
 *   triggered the start) cannot be put back in the kernel backlog; they are handed over by connecting to the
 *   public address and relaying those few only. The service sees them as coming from the emulator's loopback
 *   address, not from the true client; every later connection is the real one. If the service exits without
 *   accepting such a relayed connection, it is queued in the kernel backlog like any other and comes back.
 *   The emulator's handle is closed once its copy is on its way to the holder (sendmsg done: the socket lives
 *   on in flight), so a start never waits for the holder process; in the short window after a boot where the
 *   holder has not sent a spare back yet, a second start gets the relay of relay mode instead.
 *
 * Watching instead of accepting (direct mode with libc, the usual case on Linux): once the spare copy is back, the
 * emulator does not accept at all while no service holds the socket, as PID 1 does not for Accept=no: a copy of
 * the socket (dup(2) of the spare) sits in the event loop as a read-only stream, and the first connection makes
 * its read fail (a listening socket has nothing to read), which is the wake-up. The connection stays in the kernel
 * backlog, so the service started for it accepts it itself: no relay through the public address on the way to
 * the first byte. accept() (Accept=yes) takes connections with accept4(2) on the spare; pending() and ss read the
 * kernel's backlog. Connections the emulator accepted before the spare was back (right after a boot) are held
 * and relayed as above.
 *
 * Relay mode (WebContainer shim, fdPassing: false, or a socket that cannot be handed over): the service gets a
 * private listening socket of its own (a real fd 3 bound to an abstract Unix address, or an address the preload
 * shim listens on) and attaches it here as a RelayTarget; every held and every later connection is relayed to
 * it, both ways, with half-close and resets propagated. A relayed connection to which the service never
 * answered a byte is put back in the queue if the service exits, with the bytes the client already sent, so
 * the next start gets it: "a service that exits without accepting is started again by the still-queued
 * connection" holds as on systemd.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { ListenAddress } from '../../unit-file/unit-types.ts';
import { KernelError } from '../kernel.ts';
import type { Endpoint, ListeningSocket, SocketInfo, Unsubscribe } from '../kernel.ts';
import type { FdHolder, RawHandle } from './fd-holder.ts';
import { resetSocket, wrapSocket } from './node-connection.ts';
import { loadLibc } from './libc.ts';
import { keepsPathOnClose } from './socket-binding.ts';
import { hostListenBacklog } from './service-sockets.ts';
import type { NodeConnection } from './node-connection.ts';

/** How long a relayed connection the service closed without answering waits for the service's exit. */
const EXIT_GRACE_MS = 250;
/** How often a relay retries a service that is not listening yet (shim mode). */
const RETRY_MS = 20;

/** The private listening socket of one running service, where this socket's connections are relayed. */
export interface RelayTarget {
  /** Opens a connection to the service's own listening socket. */
  connect(): net.Socket;
  /** True once the owning process exited. */
  readonly exited: boolean;
  /** Calls back once when the owning process exits (at once when it already has). */
  whenExited(callback: () => void): void;
  /** For ss -p: the process that now also owns this socket. */
  readonly owner: { name: string; pid: number };
}

/** A connection waiting in the backlog. */
interface HeldConnection {
  socket: net.Socket;
  /** Bytes read from the client that no service answered yet. */
  prelude: Buffer[];
  clientEnded: boolean;
  /** Where the client's bytes, end and close go while a relay carries the connection. */
  sink?: (chunk: Buffer) => void;
  endSink?: () => void;
  closeSink?: () => void;
  /** Removes the backlog's listeners (when the connection is accepted). */
  detach: () => void;
}

/** A process that holds a socket as one of its fds (for ss -p). */
export interface SocketOwner {
  name: string;
  pid: number;
  fd: number;
}

/** What direct mode needs: the fd holder, and how the emulator reaches its own public address. */
export interface DirectHandOver {
  holder: FdHolder;
  publicAddress: net.NetConnectOpts;
  /** Socket failures noticed later (a re-listen that fails). */
  onLateError: (error: KernelError) => void;
}

/** Where this socket accepts while no service holds it. */
interface Acceptor {
  readonly fd: number;
  readonly handle: BlockingHandle;
  close(): void;
}

/** A libuv stream handle's setBlocking() (uv_stream_set_blocking: clears or sets O_NONBLOCK). */
interface BlockingHandle {
  readonly fd: number;
  setBlocking?(blocking: boolean): number;
}

/** Sets or clears O_NONBLOCK on a handle's socket; returns a libuv error number (0 on success). */
function setBlocking(handle: BlockingHandle, blocking: boolean): number {
  return handle.setBlocking ? handle.setBlocking(blocking) : -1;
}

/** A kernel ListeningSocket over a net.Server (see the file comment for the direct and relay designs). */
export class NodeListeningSocket implements ListeningSocket {
  readonly id: number;
  readonly address: ListenAddress;
  readonly backlog: number;
  /** The address clients of this machine see (a path for Unix sockets, also when relayed over TCP). */
  readonly server: net.Server;
  private readonly queue: HeldConnection[] = [];
  private readonly pendingListeners = new Set<() => void>();
  private readonly unixPeers: boolean;
  private relay: RelayTarget | undefined;
  private closed = false;
  private readonly onClose: (removePath: boolean) => void;
  private readonly direct: DirectHandOver | undefined;
  /** Direct mode: where the emulator accepts now (undefined while a service holds the socket). */
  private acceptor: Acceptor | undefined;
  /** Direct mode: an un-polled copy of the socket, so that one is always at hand to pass or to listen on. */
  private spare: RawHandle | undefined;
  private refilling = false;
  /** Direct mode: the holder has (or is receiving) a copy, so closing ours keeps the socket alive. */
  private stored = false;
  /** Direct mode: the services that hold this socket as an fd right now. */
  private readonly owners: SocketOwner[] = [];
  /** In-process programs (pseudo-processes.ts) holding this socket as an fd: shown by ss, nothing handed over. */
  private readonly inProcessHolders: SocketOwner[] = [];
  /** The built-in program that bound it (boundBy()); undefined for PID 1's sockets. */
  private binder: SocketOwner | undefined;
  /** Direct mode: directFd() gave out the accepting handle's own fd, which must stay open until spawned(). */
  private lentAcceptor = false;
  /** Direct mode: the mode the services holding the socket asked for (see directFd()). */
  private blockingWhenHeld = false;
  /** Watching (see the file comment): the copy in the event loop whose failing read says a connection waits. */
  private watcher: net.Socket | undefined;
  private readonly libc = loadLibc();
  /** Callers of settled() waiting for the spare copy. */
  private readonly settleWaiters: Array<() => void> = [];

  constructor(options: {
    id: number;
    address: ListenAddress;
    backlog: number;
    listen: (onConnection: (socket: net.Socket) => void) => net.Server;
    onClose: (removePath: boolean) => void;
    /** Given when the socket can be handed to services directly (see the file comment). */
    direct?: DirectHandOver;
  }) {
    this.id = options.id;
    this.address = options.address;
    this.backlog = options.backlog;
    this.onClose = options.onClose;
    this.unixPeers = options.address.family === 'unix' || options.address.family === 'abstract';
    this.server = options.listen((socket) => this.hold(socket));
    const handle = (this.server as unknown as { _handle?: { fd: number } })._handle;
    // Where closing our handle would unlink the socket's path, the relay is used instead.
    this.direct = handle && keepsPathOnClose(this.server) ? options.direct : undefined;
    if (handle && this.direct) {
      this.acceptor = { fd: handle.fd, handle: handle as BlockingHandle, close: () => this.server.close() };
      this.direct.holder.store(this.id, handle).then(() => {
        this.stored = true;
        this.stopAccepting();
        this.refill();
      }, (error: Error) => {
        this.lateError(error);
        this.wakeSettled();
      });
    }
  }

  /**
   * Resolves once this socket is fully set up: in direct mode, its copy is with the fd holder and a spare copy is
   * back (at once in relay mode, or when closed). A failure on the way is reported through onLateError.
   */
  settled(): Promise<void> {
    if (!this.direct || this.closed || this.spare) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push(resolve));
  }

  private wakeSettled(): void {
    for (const resolve of this.settleWaiters.splice(0)) resolve();
  }

  /** True when services get this socket itself as their fd (direct mode). */
  get handsOverDirectly(): boolean {
    return this.direct !== undefined;
  }

  /** True while the emulator accepts on this socket itself (no service holds it, or the hand-over is not done). */
  get acceptingHere(): boolean {
    return this.acceptor !== undefined || this.watcher !== undefined;
  }

  /** True when this socket watches instead of accepting while idle (direct mode with libc). */
  private get watches(): boolean {
    return this.direct !== undefined && this.libc !== undefined;
  }

  /** No service holds the socket: watch it (or accept on it where it cannot be watched). */
  private becomeIdle(): void {
    if (!this.watches) {
      this.startAccepting();
      return;
    }
    if (!this.spare) return; // refill() comes back here
    if (this.acceptor) {
      this.acceptor.close();
      this.acceptor = undefined;
    }
    this.watch();
  }

  /** Puts a copy of the socket in the event loop, read-only: its read fails when a connection arrives. */
  private watch(): void {
    if (this.closed || this.watcher || !this.spare || this.owners.length > 0 || !this.libc) return;
    const fd = this.libc.dup(this.spare.fd);
    if (fd < 0) return;
    const watcher = new net.Socket({ fd, readable: true, writable: false });
    const wake = (): void => {
      if (this.watcher !== watcher) return; // unwatched, or woken already
      this.watcher = undefined;
      watcher.destroy();
      if (!this.closed && this.owners.length === 0) for (const listener of [...this.pendingListeners]) listener();
    };
    // The failing read is the wake-up: at its 'error', not at the 'close' that follows once libuv closed the copy.
    watcher.on('error', wake);
    watcher.on('data', () => undefined);
    watcher.once('close', wake);
    // Sooner still: libuv's read callback itself, before Node builds the read's error and destroys the stream a
    // tick later (issue 11). libuv also calls it with nothing read (EAGAIN): a connection is there when poll says so.
    const handle = (watcher as unknown as { _handle?: { onread?: unknown } })._handle;
    const libc = this.libc;
    if (handle && typeof handle.onread === 'function') handle.onread = () => libc.readable(fd) && wake();
    this.watcher = watcher;
  }

  private unwatch(): void {
    const watcher = this.watcher;
    this.watcher = undefined;
    watcher?.destroy();
  }

  /** Watching: connections waiting in the kernel's backlog right now (poll(2); their number for TCP). */
  private kernelBacklog(count = false): number {
    if (!this.watches || this.closed || this.owners.length > 0 || !this.spare || !this.libc!.readable(this.spare.fd)) return 0;
    return count ? backlogOf(this.spare.fd) ?? 1 : 1;
  }

  /** When it was made (ms): ss lists the listeners in that order (node-kernel.ts). */
  readonly createdAt = Date.now();

  /** The socket's inode (ss -x's Port column, readlink's socket:[N]), undefined when closed. */
  get inode(): number | undefined {
    return inodeOf(this.systemdFd);
  }

  /** The fd of the emulator's own copy of the socket (for ss; -1 when closed). */
  get systemdFd(): number {
    if (this.acceptor) return this.acceptor.fd;
    const watched = (this.watcher as unknown as { _handle?: { fd?: number } } | undefined)?._handle?.fd;
    if (watched !== undefined && watched >= 0) return watched;
    if (this.spare) return this.spare.fd;
    return (this.server as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
  }

  /**
   * Direct mode: the fd to pass to a service, which then holds this very socket (undefined: none at hand now).
   * The socket is put in blocking mode unless `nonBlocking` (NonBlocking=yes), as PID 1 does before exec.
   * O_NONBLOCK belongs to the socket's open file description, which every copy shares, and libuv accepts until
   * EAGAIN, so the emulator must never accept on a blocking copy: the spare (never polled) is switched at once;
   * when the accepting handle itself is passed (a start right after boot, before the spare is back), the switch
   * is made when handOver() closes it, so a service that accepts within those few milliseconds may still see
   * O_NONBLOCK. The caller calls handOver() in the same tick (and takeBack() if the service does not start).
   */
  directFd(nonBlocking = false): number | undefined {
    if (this.closed) throw new KernelError('EBADF', `${this.address.text}: the socket is closed; start its .socket unit again.`);
    this.blockingWhenHeld = !nonBlocking;
    if (this.spare && this.spare.fd >= 0) {
      setBlocking(this.spare, !nonBlocking);
      return this.spare.fd;
    }
    const fd = this.acceptor?.fd;
    if (fd === undefined || fd < 0) return undefined;
    this.lentAcceptor = true;
    return fd;
  }

  /**
   * Direct mode: the child holds its own copy of the fd now (spawn returned), so an accepting handle lent to it
   * by directFd() may close.
   */
  spawned(): void {
    if (!this.lentAcceptor) return;
    this.lentAcceptor = false;
    this.stopAccepting();
  }

  /** Direct mode: `owner` now holds the socket; stop accepting here and hand over the connections held. */
  handOver(owner: SocketOwner): void {
    this.owners.push(owner);
    this.unwatch();
    this.stopAccepting();
  }

  /** Direct mode: `owner` exited; when no service holds the socket any more, accept here again. */
  takeBack(owner: SocketOwner): void {
    const index = this.owners.indexOf(owner);
    if (index >= 0) this.owners.splice(index, 1);
    if (this.owners.length > 0) return;
    this.blockingWhenHeld = false;
    this.lentAcceptor = false;
    this.becomeIdle();
  }

  /** Closes the emulator's accepting handle once another copy keeps the socket, then relays what was held. */
  private stopAccepting(): void {
    if (this.owners.length === 0 || !(this.spare || this.stored) || this.lentAcceptor) return;
    if (this.acceptor) {
      // Closed in the same tick: libuv never polls it in blocking mode.
      if (this.blockingWhenHeld) setBlocking(this.acceptor.handle, true);
      this.acceptor.close();
      this.acceptor = undefined;
    }
    this.pump();
  }

  /** Turns the spare into the accepting handle (synchronously) and fetches a new spare. */
  private startAccepting(): void {
    if (this.closed || this.acceptor || !this.spare) return;
    const handle = this.spare;
    this.spare = undefined;
    handle.onconnection = (status, client) => {
      if (status !== 0 || !client) return;
      const options = { handle: client, allowHalfOpen: true, readable: true, writable: true, pauseOnCreate: true };
      this.hold(new net.Socket(options as net.SocketConstructorOpts));
    };
    // A service may have left the socket in blocking mode (it shares the open file description): libuv accepts
    // until EAGAIN, so accepting on a blocking socket would hang the emulator.
    const error = setBlocking(handle, false) || handle.listen(this.backlog);
    if (error !== 0) {
      handle.close();
      this.lateError(new Error(`listen() failed (${error})`));
      return;
    }
    this.acceptor = { fd: handle.fd, handle, close: () => handle.close() };
    this.refill();
  }

  /** Gets a new spare copy from the fd holder, then finishes a hand-over or a take-back that waited for it. */
  private refill(): void {
    if (!this.direct || this.closed || this.spare || this.refilling) return;
    this.refilling = true;
    this.direct.holder.fetch(this.id).then(
      (handle) => {
        this.refilling = false;
        if (this.closed) {
          handle.close();
          return;
        }
        this.spare = handle;
        if (this.owners.length > 0) this.stopAccepting();
        else if (this.watches || !this.acceptor) this.becomeIdle();
        if (this.spare) this.wakeSettled();
      },
      (error: Error) => {
        this.refilling = false;
        this.lateError(error);
        this.wakeSettled();
      },
    );
  }

  private lateError(error: Error): void {
    if (!this.closed) this.direct?.onLateError(new KernelError('EIO', `${this.address.text}: ${error.message}`));
  }

  pending(): number {
    return this.queue.length + this.kernelBacklog();
  }

  /** A built-in program bound it itself (sshd's own :22), not PID 1: ss -p lists that program alone. */
  boundBy(owner: SocketOwner): void {
    this.binder = owner;
  }

  /** An in-process program holds this socket as fd `owner.fd` until the returned function is called. */
  holdInProcess(owner: SocketOwner): () => void {
    this.inProcessHolders.push(owner);
    return () => {
      const index = this.inProcessHolders.indexOf(owner);
      if (index >= 0) this.inProcessHolders.splice(index, 1);
    };
  }

  onPending(callback: () => void): Unsubscribe {
    this.pendingListeners.add(callback);
    if (this.owners.length === 0) this.watch();
    // As the in-memory kernel: a subscriber that arrives while connections wait (an in-process program that
    // listens on the fd it was started with) hears of them at once.
    if (this.queue.length > 0) queueMicrotask(() => this.pendingListeners.has(callback) && callback());
    return () => this.pendingListeners.delete(callback);
  }

  accept(): NodeConnection | undefined {
    const held = this.queue.shift();
    if (held) {
      held.detach();
      return wrapSocket(held.socket, this.unixPeers ? this.unixEnds() : undefined, held.prelude, held.clientEnded);
    }
    if (!this.watches || this.closed || this.owners.length > 0 || !this.spare) return undefined;
    // A service may have left the socket blocking (a shared open file description): accept4 must not wait.
    this.libc!.setNonBlocking(this.spare.fd, true);
    const fd = this.libc!.accept(this.spare.fd);
    if (fd < 0 || !this.libc!.readable(this.spare.fd)) this.watch(); // drained: wake up at the next one
    if (fd < 0) return undefined;
    const options = { fd, readable: true, writable: true, allowHalfOpen: true, pauseOnCreate: true };
    return wrapSocket(new net.Socket(options as net.SocketConstructorOpts), this.unixPeers ? this.unixEnds() : undefined);
  }

  close(options?: { removePath?: boolean }): void {
    if (this.closed) return;
    this.closed = true;
    this.relay = undefined;
    this.unwatch();
    if (this.direct && this.owners.length === 0) this.stopListeningEverywhere();
    this.server.close();
    if (this.direct) {
      this.acceptor?.close();
      this.spare?.close();
      this.acceptor = this.spare = undefined;
      this.direct.holder.drop(this.id);
    }
    for (const held of this.queue.splice(0)) resetSocket(held.socket);
    this.wakeSettled();
    this.onClose(options?.removePath ?? false);
  }

  /**
   * Direct mode, no service holding the socket: the fd holder's copy is closed only when its process reads the
   * drop message, and until then the socket would still listen there, so that `systemctl restart x.socket` or
   * another unit's bind to the same port would find the address in use (systemd closes its only fd at once).
   * shutdown(2) of our copy stops the listening of every copy (the open file description is shared): the port is
   * free for a new bind (SO_REUSEADDR, as libuv and systemd set it) and the backlog's clients are refused.
   */
  private stopListeningEverywhere(): void {
    const fd = this.acceptor?.fd ?? this.spare?.fd;
    if (fd !== undefined && fd >= 0) loadLibc()?.shutdown(fd);
  }

  /** Relays every held and future connection to a service's private socket until that service exits. */
  attachRelay(target: RelayTarget): void {
    this.relay = target;
    target.whenExited(() => {
      if (this.relay === target) this.relay = undefined;
    });
    this.pump();
  }

  /** Tells the manager again about connections still waiting (after a service's exit was reported). */
  nudge(): void {
    if (this.pending() > 0 && this.owners.length === 0 && !(this.relay && !this.relay.exited)) for (const listener of [...this.pendingListeners]) listener();
  }

  /** The ss rows of this socket (the listener and the connections held in its backlog). */
  info(local: string, peer: string, fd: number): SocketInfo {
    const netid = this.unixPeers ? 'u_str' : 'tcp';
    const processes = [...(this.binder ? [this.binder] : [{ name: 'systemd', pid: 1, fd }]), ...this.owners, ...this.inProcessHolders];
    if (this.relay && !this.relay.exited) processes.push({ ...this.relay.owner, fd: 3 });
    // A service holding the socket may have listen()ed again with its own backlog (Node.js: 511): ss shows that one.
    const inode = netid === 'tcp' && this.owners.length > 0 ? inodeOf(this.systemdFd) : undefined;
    const sendQ = (inode !== undefined ? hostListenBacklog(inode) : undefined) ?? this.backlog;
    return { netid, state: 'LISTEN', recvQ: this.queue.length + this.kernelBacklog(true), sendQ, local, peer, processes, createdAt: this.createdAt };
  }

  private unixEnds(): { local: Endpoint; remote: Endpoint } {
    const path = this.address.family === 'abstract' ? `@${this.address.path}` : this.address.path ?? '';
    return { local: { family: 'unix', address: path }, remote: { family: 'unix', address: '' } };
  }

  private hold(socket: net.Socket): void {
    if (this.closed) {
      resetSocket(socket);
      return;
    }
    socket.setNoDelay(true);
    const held: HeldConnection = { socket, prelude: [], clientEnded: false, detach: () => undefined };
    // Permanent listeners: a chunk or the end can arrive between two relay attempts and must not be lost.
    const onData = (chunk: Buffer): void => {
      if (held.sink) held.sink(chunk);
      else {
        held.prelude.push(chunk);
        socket.pause();
      }
    };
    const onEnd = (): void => {
      held.clientEnded = true;
      held.endSink?.();
    };
    const onClose = (): void => {
      const index = this.queue.indexOf(held);
      if (index >= 0) this.queue.splice(index, 1);
      held.closeSink?.();
    };
    const onError = (): void => undefined; // a reset only closes it
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onClose);
    socket.on('error', onError);
    held.detach = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onClose);
      socket.off('error', onError);
    };
    this.enqueue(held, false);
  }

  private enqueue(held: HeldConnection, front: boolean): void {
    if (this.closed || held.socket.destroyed) return;
    held.socket.pause();
    if (front) this.queue.unshift(held);
    else this.queue.push(held);
    if (this.owners.length > 0) this.pump();
    else if (this.relay && !this.relay.exited) this.pump();
    else for (const listener of [...this.pendingListeners]) listener();
  }

  private pump(): void {
    if (this.direct && this.owners.length > 0) {
      // While the emulator still accepts here, a connection to the public address would come straight back.
      if (!this.acceptor) while (this.queue.length > 0) this.handToPublic(this.queue.shift()!, this.direct.publicAddress);
      return;
    }
    while (this.relay && !this.relay.exited && this.queue.length > 0) this.relayOne(this.queue.shift()!, this.relay);
  }

  /** Direct mode: hands a connection accepted here to the service by relaying it through the public address. */
  private handToPublic(held: HeldConnection, publicAddress: net.NetConnectOpts): void {
    const client = held.socket;
    held.detach();
    if (client.destroyed) return;
    const inner = net.connect({ ...publicAddress, allowHalfOpen: true } as net.NetConnectOpts);
    inner.setNoDelay(true);
    for (const chunk of held.prelude) inner.write(chunk);
    held.prelude = [];
    if (held.clientEnded) inner.end();
    else client.pipe(inner);
    inner.pipe(client);
    client.on('error', () => resetSocket(inner));
    inner.on('error', () => resetSocket(client));
  }

  /** Relays one connection; see the file comment for when it goes back to the queue. */
  private relayOne(held: HeldConnection, target: RelayTarget): void {
    const client = held.socket;
    if (client.destroyed) return;
    const inner = target.connect();
    inner.setNoDelay(true);
    let connected = false;
    let answered = false;
    for (const chunk of held.prelude) inner.write(chunk);
    if (held.clientEnded) inner.end();
    const release = (): void => {
      held.sink = held.endSink = held.closeSink = undefined;
      inner.off('drain', resume);
      client.pause();
    };
    const resume = (): void => {
      client.resume();
    };
    held.sink = (chunk) => {
      if (!answered) held.prelude.push(chunk);
      if (!inner.write(chunk)) client.pause();
    };
    held.endSink = () => inner.end();
    held.closeSink = () => {
      if (!inner.destroyed) inner.destroy();
    };
    inner.on('drain', resume);
    inner.on('connect', () => {
      connected = true;
    });
    client.resume();
    inner.once('data', (first: Buffer) => {
      answered = true;
      held.prelude = [];
      client.write(first);
      inner.pipe(client);
    });
    inner.on('error', () => {
      if (answered && !client.destroyed) resetSocket(client);
    });
    inner.on('close', (hadError: boolean) => {
      if (answered) return;
      release();
      if (client.destroyed) return;
      if (target.exited) {
        this.enqueue(held, true);
      } else if (!connected) {
        setTimeout(() => (target.exited || this.relay !== target ? this.enqueue(held, true) : this.relayOne(held, target)), RETRY_MS);
      } else {
        // The service closed it without a byte: deliberate, unless the service is dying right now.
        let decided = false;
        const timer = setTimeout(() => {
          decided = true;
          if (hadError) resetSocket(client);
          else client.end();
        }, EXIT_GRACE_MS);
        target.whenExited(() => {
          if (decided) return;
          clearTimeout(timer);
          this.enqueue(held, true);
        });
      }
    });
  }
}

/** The accept queue of a listening TCP socket as the kernel counts it (/proc/net/tcp{,6} rx_queue by inode). */
/** The inode of an open fd (a socket's, as ss names it), or undefined. */
function inodeOf(fd: number): number | undefined {
  try {
    return fd >= 0 ? fs.fstatSync(fd).ino : undefined;
  } catch {
    return undefined;
  }
}

function backlogOf(fd: number): number | undefined {
  let inode: number;
  try {
    inode = fs.fstatSync(fd).ino;
  } catch {
    return undefined;
  }
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (Number(fields[9]) === inode) return parseInt(fields[4]?.split(':')[1] ?? '0', 16);
    }
  }
  return undefined;
}

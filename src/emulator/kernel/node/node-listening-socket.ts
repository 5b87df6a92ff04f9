/**
 * A listening socket owned by the emulator, with a backlog that holds connections until a service takes them.
 *
 * Why a relay: Node's net.Server accepts every connection as soon as it arrives (libuv), so the emulator
 * cannot leave connections un-accepted in the kernel's backlog for a service to accept later. Instead:
 * - the emulator accepts every connection at once and holds it paused, unread: that queue is the backlog
 *   the manager sees (pending() / onPending() / accept());
 * - when a service starts with this socket as fd 3, the kernel gives it a private listening socket of its own
 *   (a real fd 3, or an address the preload shim listens on where fds cannot be passed) and attaches it here
 *   as a RelayTarget; every held and every later connection is then relayed to it, both ways, with half-close
 *   and resets propagated;
 * - a relayed connection to which the service never answered a byte is put back in the queue if the service
 *   exits (it was in the dead service's backlog, or the service died holding it), together with the bytes the
 *   client already sent, so the next start of the service gets it: none is lost, and "a service that exits
 *   without accepting is started again by the still-queued connection" holds as on systemd.
 */
import * as net from 'node:net';
import type { ListenAddress } from '../../unit-file/unit-types.ts';
import type { Endpoint, ListeningSocket, SocketInfo, Unsubscribe } from '../kernel.ts';
import { wrapSocket } from './node-connection.ts';
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

/** A kernel ListeningSocket over a net.Server (see the file comment for the relay design). */
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

  constructor(options: {
    id: number;
    address: ListenAddress;
    backlog: number;
    listen: (onConnection: (socket: net.Socket) => void) => net.Server;
    onClose: (removePath: boolean) => void;
  }) {
    this.id = options.id;
    this.address = options.address;
    this.backlog = options.backlog;
    this.onClose = options.onClose;
    this.unixPeers = options.address.family === 'unix' || options.address.family === 'abstract';
    this.server = options.listen((socket) => this.hold(socket));
  }

  pending(): number {
    return this.queue.length;
  }

  onPending(callback: () => void): Unsubscribe {
    this.pendingListeners.add(callback);
    return () => this.pendingListeners.delete(callback);
  }

  accept(): NodeConnection | undefined {
    const held = this.queue.shift();
    if (!held) return undefined;
    held.detach();
    return wrapSocket(held.socket, this.unixPeers ? this.unixEnds() : undefined, held.prelude, held.clientEnded);
  }

  close(options?: { removePath?: boolean }): void {
    if (this.closed) return;
    this.closed = true;
    this.relay = undefined;
    this.server.close();
    for (const held of this.queue.splice(0)) held.socket.resetAndDestroy();
    this.onClose(options?.removePath ?? false);
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
    if (this.queue.length > 0 && !(this.relay && !this.relay.exited)) for (const listener of [...this.pendingListeners]) listener();
  }

  /** The ss rows of this socket (the listener and the connections held in its backlog). */
  info(local: string, peer: string, fd: number): SocketInfo {
    const netid = this.unixPeers ? 'u_str' : 'tcp';
    const processes = [{ name: 'systemd', pid: 1, fd }];
    if (this.relay && !this.relay.exited) processes.push({ ...this.relay.owner, fd: 3 });
    return { netid, state: 'LISTEN', recvQ: this.queue.length, sendQ: this.backlog, local, peer, processes };
  }

  private unixEnds(): { local: Endpoint; remote: Endpoint } {
    const path = this.address.family === 'abstract' ? `@${this.address.path}` : this.address.path ?? '';
    return { local: { family: 'unix', address: path }, remote: { family: 'unix', address: '' } };
  }

  private hold(socket: net.Socket): void {
    if (this.closed) {
      socket.resetAndDestroy();
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
    if (this.relay && !this.relay.exited) this.pump();
    else for (const listener of [...this.pendingListeners]) listener();
  }

  private pump(): void {
    while (this.relay && !this.relay.exited && this.queue.length > 0) this.relayOne(this.queue.shift()!, this.relay);
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
      if (answered && !client.destroyed) client.resetAndDestroy();
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
          if (hadError) client.resetAndDestroy();
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

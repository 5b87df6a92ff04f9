/**
 * An established in-memory stream connection: two ends, each delivering what the other writes, in order,
 * in microtasks. Data written before anyone reads is kept (like a socket's receive queue) and delivered
 * when the first onData listener subscribes; the peer's end() is delivered after that data.
 */
import type { Connection, Endpoint, KernelError, Unsubscribe } from '../kernel.ts';
import { errnoError } from '../errno.ts';

type Incoming = { kind: 'data'; data: Uint8Array } | { kind: 'end' } | { kind: 'reset' };

const encoder = new TextEncoder();
let nextConnectionId = 1;

/** Calls every listener, reporting (not swallowing) an exception without stopping the others. */
function callEach<T extends unknown[]>(listeners: Set<(...args: T) => void>, ...args: T): void {
  for (const listener of [...listeners]) {
    try {
      listener(...args);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

/** One end of an in-memory connection. Create pairs with `connectionPair`. */
export class ConnectionEnd implements Connection {
  readonly id = nextConnectionId++;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  /** ss inode-like number. */
  readonly inode: number;
  peer!: ConnectionEnd;
  private incoming: Incoming[] = [];
  private dataListeners = new Set<(data: Uint8Array) => void>();
  private endListeners = new Set<() => void>();
  private closeListeners = new Set<(error?: KernelError) => void>();
  private flushQueued = false;
  private writeEnded = false;
  private readEnded = false;
  private closed = false;
  private closeError: KernelError | undefined;
  /** Called once when this end is fully closed (the network drops it from `ss`). */
  onFinalClose: (() => void) | undefined;

  constructor(local: Endpoint, remote: Endpoint, inode: number) {
    this.local = local;
    this.remote = remote;
    this.inode = inode;
  }

  /** Bytes received but not yet delivered to a reader (ss Recv-Q). */
  queuedBytes(): number {
    return this.incoming.reduce((n, e) => n + (e.kind === 'data' ? e.data.length : 0), 0);
  }

  /** True once both directions ended or the connection was reset. */
  isClosed(): boolean {
    return this.closed;
  }

  /** True when this side may still write. */
  isWritable(): boolean {
    return !this.closed && !this.writeEnded;
  }

  /** Sends bytes to the peer; ignored once this side ended or closed (the kernel would fail with EPIPE). */
  write(data: Uint8Array | string): void {
    if (!this.isWritable()) return;
    const bytes = typeof data === 'string' ? encoder.encode(data) : data.slice();
    if (bytes.length > 0) this.peer.receive({ kind: 'data', data: bytes });
  }

  /** Half-close: the peer sees end after the data already written. */
  end(): void {
    if (this.closed || this.writeEnded) return;
    this.writeEnded = true;
    this.peer.receive({ kind: 'end' });
    this.maybeClose();
  }

  /**
   * close(2) of the fd: sends FIN after the data already written and discards what arrives later. What a
   * process does when it closes a socket or exits (Node's socket.destroy() too: Node has read the data). With
   * data received but not read, the peer is reset instead, as Linux does.
   */
  close(): void {
    if (this.closed) return;
    // tcp_close() / unix_release_sock(): closing with received data nobody read resets the peer (ECONNRESET).
    if (this.incoming.some((event) => event.kind === 'data')) {
      this.destroy();
      return;
    }
    if (!this.writeEnded) {
      this.writeEnded = true;
      this.peer.receive({ kind: 'end' });
    }
    this.readEnded = true;
    this.incoming = [];
    this.finish(undefined);
  }

  /** Abortive close: the peer sees ECONNRESET. */
  destroy(): void {
    if (this.closed) return;
    this.writeEnded = true;
    this.readEnded = true;
    this.incoming = [];
    this.finish(undefined);
    this.peer.reset();
  }

  /** Subscribes to data; buffered data is delivered in the next microtask. */
  onData(callback: (data: Uint8Array) => void): Unsubscribe {
    this.dataListeners.add(callback);
    this.scheduleFlush();
    return () => this.dataListeners.delete(callback);
  }

  /** Subscribes to the peer's half-close (called at once, in a microtask, if it already happened). */
  onEnd(callback: () => void): Unsubscribe {
    this.endListeners.add(callback);
    if (this.readEnded && !this.closeError) queueMicrotask(() => this.endListeners.has(callback) && callback());
    return () => this.endListeners.delete(callback);
  }

  /** Subscribes to the full close (called in a microtask if already closed). */
  onClose(callback: (error?: KernelError) => void): Unsubscribe {
    this.closeListeners.add(callback);
    if (this.closed) queueMicrotask(() => this.closeListeners.has(callback) && callback(this.closeError));
    return () => this.closeListeners.delete(callback);
  }

  private receive(event: Incoming): void {
    if (this.closed) return;
    this.incoming.push(event);
    this.scheduleFlush();
  }

  /** The peer reset the connection: what arrived before the RST can still be read, then reads fail with ECONNRESET. */
  private reset(): void {
    if (this.closed) return;
    this.writeEnded = true;
    this.incoming = this.incoming.filter((event) => event.kind === 'data');
    if (this.incoming.length > 0) {
      this.incoming.push({ kind: 'reset' });
      this.scheduleFlush();
      return;
    }
    this.readEnded = true;
    this.finish(errnoError('ECONNRESET'));
  }

  private scheduleFlush(): void {
    if (this.flushQueued || this.incoming.length === 0) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.incoming.length > 0 && !this.closed) {
      const head = this.incoming[0];
      if (head.kind === 'data' && this.dataListeners.size === 0) return;
      this.incoming.shift();
      if (head.kind === 'data') callEach(this.dataListeners, head.data);
      else if (head.kind === 'reset') {
        this.incoming = [];
        this.readEnded = true;
        this.finish(errnoError('ECONNRESET'));
      } else {
        this.readEnded = true;
        callEach(this.endListeners);
        this.maybeClose();
      }
    }
  }

  private maybeClose(): void {
    if (this.writeEnded && this.readEnded && !this.closed) this.finish(undefined);
  }

  private finish(error: KernelError | undefined): void {
    this.closed = true;
    this.closeError = error;
    const listeners = new Set(this.closeListeners);
    queueMicrotask(() => callEach(listeners, error));
    this.onFinalClose?.();
  }
}

/** How each end sees itself and its peer (a server on a dual-stack socket sees v4-mapped addresses). */
export interface PairEndpoints {
  clientLocal: Endpoint;
  clientRemote: Endpoint;
  serverLocal: Endpoint;
  serverRemote: Endpoint;
}

/** Makes the two ends of a new connection: [client end, server end]. */
export function connectionPair(e: PairEndpoints, inodes: [number, number]): [ConnectionEnd, ConnectionEnd] {
  const a = new ConnectionEnd(e.clientLocal, e.clientRemote, inodes[0]);
  const b = new ConnectionEnd(e.serverLocal, e.serverRemote, inodes[1]);
  a.peer = b;
  b.peer = a;
  return [a, b];
}

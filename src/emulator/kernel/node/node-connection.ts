/**
 * A kernel Connection over a net.Socket. Sockets arrive paused (pauseOnConnect) and stay paused until someone
 * subscribes to their data, so a connection can wait in a backlog or be handed to a child process unread.
 */
import type * as net from 'node:net';
import { ERRNO, strerror } from '../errno.ts';
import { KernelError } from '../kernel.ts';
import type { Connection, Endpoint, Unsubscribe } from '../kernel.ts';

let nextConnectionId = 1;

/** A Connection that also exposes its net.Socket (to pass it to a child process as a real fd). */
export interface NodeConnection extends Connection {
  readonly socket: net.Socket;
  /** Bytes already read from the socket that the next reader must see first (after a failed relay). */
  readonly prelude: Buffer[];
}

/**
 * Aborts a connection: a reset (RST) for TCP; a Unix stream socket has no reset, so it is simply closed
 * (net.Socket.resetAndDestroy() throws ERR_INVALID_HANDLE_TYPE for it).
 */
export function resetSocket(socket: net.Socket): void {
  const handle = (socket as unknown as { _handle?: { reset?: unknown } })._handle;
  if (handle && typeof handle.reset === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

/** Describes one end of a TCP socket as an Endpoint. */
export function tcpEndpoint(address: string | undefined, port: number | undefined, family: string | undefined): Endpoint {
  const ip = address?.startsWith('::ffff:') ? address.slice(7) : address ?? '';
  return { family: family === 'IPv6' && !address?.startsWith('::ffff:') ? 'inet6' : 'inet', address: ip, port };
}

/** Wraps a net.Socket; `local`/`remote` are given for Unix sockets (Node does not report their paths). */
export function wrapSocket(
  socket: net.Socket,
  ends?: { local: Endpoint; remote: Endpoint },
  prelude: Buffer[] = [],
  alreadyEnded = false,
): NodeConnection {
  const local = ends?.local ?? tcpEndpoint(socket.localAddress, socket.localPort, socket.localFamily);
  const remote = ends?.remote ?? tcpEndpoint(socket.remoteAddress, socket.remotePort, socket.remoteFamily);
  socket.setNoDelay(true);
  let closeError: KernelError | undefined;
  socket.on('error', (error: NodeJS.ErrnoException) => {
    // Linux's words, as the memory kernel and real clients say them ("Connection reset by peer", not "read ECONNRESET").
    const code = error.code ?? 'EIO';
    closeError = new KernelError(code, ERRNO[code] ? strerror(code) : error.message);
  });
  const connection: NodeConnection = {
    id: nextConnectionId++,
    local,
    remote,
    socket,
    prelude,
    write: (data) => {
      if (!socket.destroyed) socket.write(data);
    },
    end: () => {
      socket.end();
    },
    destroy: () => {
      resetSocket(socket);
    },
    onData: (callback): Unsubscribe => {
      const listener = (chunk: Buffer): void => callback(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      const early = prelude.splice(0);
      socket.on('data', listener);
      if (early.length > 0) {
        socket.pause();
        queueMicrotask(() => {
          for (const chunk of early) listener(chunk);
          socket.resume();
        });
      } else {
        socket.resume();
      }
      return () => socket.off('data', listener);
    },
    onEnd: (callback): Unsubscribe => {
      if (alreadyEnded) {
        queueMicrotask(() => queueMicrotask(callback));
        return () => undefined;
      }
      socket.on('end', callback);
      return () => socket.off('end', callback);
    },
    onClose: (callback): Unsubscribe => {
      const listener = (): void => callback(closeError);
      if (socket.closed) {
        // Closed before anyone listened (a connection reset while it was being made): say so once, later.
        const timer = setImmediate(listener);
        return () => clearImmediate(timer);
      }
      socket.on('close', listener);
      return () => socket.off('close', listener);
    },
  };
  return connection;
}

/** True when a Connection came from this kernel (and so can be passed to a child as a real fd). */
export function isNodeConnection(value: unknown): value is NodeConnection {
  return typeof value === 'object' && value !== null && 'socket' in value && 'prelude' in value;
}

/**
 * `require('net')` for sandboxed programs: createServer/Server.listen (port, host, path, { fd: 3 }),
 * Socket (data/end/close/error, write/end/destroy/setEncoding/pipe, remote/local address) and
 * connect/createConnection, over the in-memory kernel. Behaviour follows Node: listen() reports errors
 * asynchronously through 'error', an unhandled 'error' crashes the program, a socket ends its side when
 * the peer ends (allowHalfOpen false), a listening server keeps the process alive.
 */
import type { Connection, ListeningSocket } from '../../kernel/kernel.ts';
import type { ListenAddress } from '../../unit-file/unit-types.ts';
import type { SandboxHost } from '../sandbox-host.ts';
import { SandboxBuffer } from './buffer.ts';
import { EventEmitter } from './events.ts';
import { nodeSystemError } from './node-errors.ts';
import { noteNodeOrigin } from '../error-report.ts';
import { connectErrorFrames, listenErrorFrames, LOOKUP_ERROR_FRAMES, SERVER_EMIT_FRAMES, SOCKET_EMIT_FRAMES } from './node-internals.ts';

/** Whether the object is a listening socket (has accept()) rather than a connection. */
function isListening(x: ListeningSocket | Connection): x is ListeningSocket {
  return typeof (x as ListeningSocket).accept === 'function';
}

/** A KernelError-like code from anything thrown. */
function codeOf(error: unknown): string {
  return (error as { code?: string })?.code ?? 'EINVAL';
}

/** Builds the net module for one process. */
export function createNetModule(host: SandboxHost) {
  /** A TCP or Unix stream socket, as Node's net.Socket. */
  class Socket extends EventEmitter {
    remoteAddress: string | undefined;
    remotePort: number | undefined;
    remoteFamily: string | undefined;
    localAddress: string | undefined;
    localPort: number | undefined;
    bytesWritten = 0;
    bytesRead = 0;
    readyState = 'opening';
    destroyed = false;
    writable = false;
    readable = false;
    connecting = false;
    allowHalfOpen = false;
    private connection: Connection | undefined;
    private encoding: string | undefined;
    private release: (() => void) | undefined;
    private dropCleanup: (() => void) | undefined;
    private ended = false;
    private flowing = false;
    private paused = false;
    private heldData: Uint8Array[] = [];

    constructor(options: { allowHalfOpen?: boolean } = {}) {
      super();
      this.allowHalfOpen = options.allowHalfOpen === true;
    }

    /** Attaches a kernel connection (accepted or connected). */
    attach(connection: Connection): this {
      this.connection = connection;
      const remote = connection.remote;
      const local = connection.local;
      if (remote.family !== 'unix') {
        this.remoteAddress = remote.address;
        this.remotePort = remote.port;
        this.remoteFamily = remote.family === 'inet6' ? 'IPv6' : 'IPv4';
        this.localAddress = local.address;
        this.localPort = local.port;
      }
      this.readyState = 'open';
      this.writable = true;
      this.readable = true;
      this.release = host.ref();
      this.dropCleanup = host.onCleanup(() => {
        const c = connection as Connection & { close?: () => void };
        if (c.close) c.close();
        else c.end();
      });
      connection.onEnd(
        host.guard(() => {
          this.readable = false;
          this.emit('end');
          if (!this.allowHalfOpen) this.end();
        }, 'end'),
      );
      connection.onClose(
        host.guard((error?: { code: string }) => {
          this.finish(error ? nodeSystemError('read', error.code, '', 'uv') : undefined);
        }),
      );
      if (this.listenerCount('data') > 0) this.startFlowing();
      return this;
    }

    protected override listenerAdded(name: string | symbol): void {
      if (name === 'data' || name === 'readable') this.startFlowing();
    }

    private startFlowing(): void {
      if (this.flowing || !this.connection) return;
      this.flowing = true;
      this.connection.onData(
        host.guard((bytes: Uint8Array) => {
          this.bytesRead += bytes.length;
          if (this.paused) this.heldData.push(bytes);
          else this.deliver(bytes);
        }, 'data'),
      );
    }

    private deliver(bytes: Uint8Array): void {
      this.emit('data', this.encoding ? SandboxBuffer.from(bytes).toString(this.encoding) : SandboxBuffer.from(bytes));
    }

    /** Decodes 'data' as text. */
    setEncoding(encoding = 'utf8'): this {
      this.encoding = encoding;
      return this;
    }

    /** Sends data; `cb` runs once it is handed to the kernel. */
    write(data: string | Uint8Array, encoding?: string | (() => void), cb?: () => void): boolean {
      const callback = typeof encoding === 'function' ? encoding : cb;
      const bytes = typeof data === 'string' ? SandboxBuffer.from(data, typeof encoding === 'string' ? encoding : 'utf8') : data;
      if (!this.connection || !this.writable) {
        const error = nodeSystemError('write', 'EPIPE', '', 'uv');
        queueMicrotask(host.guard(() => (callback ? callback() : this.emit('error', error))));
        return false;
      }
      this.bytesWritten += bytes.length;
      this.connection.write(bytes);
      if (callback) queueMicrotask(host.guard(callback));
      return true;
    }

    /** Writes the optional last data and half-closes. */
    end(data?: string | Uint8Array | (() => void), encoding?: string | (() => void), cb?: () => void): this {
      if (typeof data === 'function') return this.end(undefined, undefined, data);
      if (typeof encoding === 'function') return this.end(data, undefined, encoding);
      if (data !== undefined && data !== null && this.writable) this.write(data, encoding);
      if (cb) this.once('finish', cb);
      if (!this.ended && this.connection) {
        this.ended = true;
        this.writable = false;
        this.connection.end();
        queueMicrotask(host.guard(() => this.emit('finish')));
      }
      return this;
    }

    /** Closes the fd at once (FIN; Node has already read what arrived, so no RST). */
    destroy(error?: Error): this {
      if (this.destroyed) return this;
      const c = this.connection as (Connection & { close?: () => void }) | undefined;
      if (c?.close) c.close();
      else c?.destroy();
      this.finish(error);
      return this;
    }

    /** Stops 'data' events (data is held). */
    pause(): this {
      this.paused = true;
      return this;
    }

    /** Resumes 'data' events. */
    resume(): this {
      this.paused = false;
      const held = this.heldData;
      this.heldData = [];
      for (const b of held) this.deliver(b);
      this.startFlowing();
      return this;
    }

    /** Forwards data to `dest` and ends it on 'end' (the classic `socket.pipe(socket)` echo). */
    pipe<T extends { write(d: unknown): unknown; end(): unknown }>(dest: T): T {
      this.on('data', (d: unknown) => dest.write(d));
      this.on('end', () => dest.end());
      return dest;
    }

    /** Accepted for compatibility; idle timeouts are not modelled. */
    setTimeout(_ms: number, cb?: () => void): this {
      if (cb) this.once('timeout', cb);
      return this;
    }
    /** No-op (Nagle is not modelled). */
    setNoDelay(): this {
      return this;
    }
    /** No-op (keep-alive is not modelled). */
    setKeepAlive(): this {
      return this;
    }
    /** Lets the process exit although the socket is open. */
    unref(): this {
      this.release?.();
      this.release = undefined;
      return this;
    }
    /** Keeps the process alive while open (the default). */
    ref(): this {
      if (!this.release && !this.destroyed) this.release = host.ref();
      return this;
    }
    /** `{ address, family, port }` of the local end. */
    address(): { address?: string; family?: string; port?: number } {
      return { address: this.localAddress, family: this.remoteFamily, port: this.localPort };
    }

    /** Connects this socket (net.connect's work). */
    connectTo(target: string, detail: string, listener?: () => void): this {
      if (listener) this.once('connect', listener);
      this.connecting = true;
      const done = host.ref();
      host.connect(target).then(
        host.guard((connection: Connection) => {
          done();
          this.connecting = false;
          this.attach(connection);
          this.emit('connect');
          this.emit('ready');
        }),
        host.guard((error: unknown) => {
          done();
          this.connecting = false;
          this.destroyed = true;
          this.emit('error', connectError(codeOf(error), detail));
          this.emit('close', true);
        }),
      );
      return this;
    }

    private finish(error?: Error): void {
      if (this.destroyed) return;
      this.destroyed = true;
      this.writable = false;
      this.readable = false;
      this.readyState = 'closed';
      this.release?.();
      this.release = undefined;
      this.dropCleanup?.();
      if (error) this.emit('error', error);
      this.emit('close', error !== undefined);
    }
  }

  /** A failed connect() as Node reports it, with the frames Node 18 shows for it (made from its event loop). */
  function connectError(code: string, detail: string): Error {
    const emitted = { on: 'Socket', frames: SOCKET_EMIT_FRAMES };
    if (code === 'ENOTFOUND') {
      const hostname = detail.replace(/:\d+$/, '');
      return noteNodeOrigin(nodeSystemError('getaddrinfo', code, hostname, 'host-port', { hostname }), { frames: LOOKUP_ERROR_FRAMES, withProgram: false, emitted });
    }
    const port = /:(\d+)$/.exec(detail);
    const extra = detail.startsWith('/') || !port ? { address: detail } : { address: detail.slice(0, port.index), port: Number(port[1]) };
    return noteNodeOrigin(nodeSystemError('connect', code, detail, 'host-port', extra), { frames: connectErrorFrames(!port), withProgram: false, emitted });
  }

  /** A listening server, as Node's net.Server. */
  class Server extends EventEmitter {
    listening = false;
    maxConnections: number | undefined;
    private socket: ListeningSocket | undefined;
    private ownsSocket = false;
    private stopAccepting: (() => void) | undefined;
    private release: (() => void) | undefined;
    private dropCleanup: (() => void) | undefined;
    private boundText = '';
    private readonly allowHalfOpen: boolean;

    constructor(options: { allowHalfOpen?: boolean } = {}, handler?: (socket: Socket) => void) {
      super();
      this.allowHalfOpen = options.allowHalfOpen === true;
      if (handler) this.on('connection', handler);
    }

    /** listen(port[, host][, backlog][, cb]) | listen(path[, cb]) | listen({ port, host, path, fd, backlog }[, cb]). */
    listen(...args: unknown[]): this {
      const cb = typeof args[args.length - 1] === 'function' ? (args.pop() as () => void) : undefined;
      if (cb) this.once('listening', cb);
      let options: { port?: number | string; host?: string; path?: string; fd?: number; backlog?: number; ipv6Only?: boolean };
      if (typeof args[0] === 'object' && args[0] !== null) options = args[0] as typeof options;
      else if (typeof args[0] === 'string' && !/^\d+$/.test(args[0])) options = { path: args[0] };
      else options = { port: args[0] as number | undefined, host: typeof args[1] === 'string' ? args[1] : undefined, backlog: typeof args[1] === 'number' ? args[1] : (args[2] as number | undefined) };
      try {
        if (typeof options.fd === 'number') this.listenOnFd(options.fd, options.backlog ?? 511);
        else this.bind(options);
      } catch (error) {
        const failure = error as { code?: string; stage?: 'bind' | 'listen'; address?: string | null; port?: number };
        const call = typeof options.fd === 'number' ? 'fd' : options.path !== undefined ? 'path' : options.host !== undefined ? 'host' : 'port';
        const extra = call === 'fd' ? { address: null } : call === 'path' ? { address: this.boundText, port: -1 } : { address: failure.address, port: failure.port };
        const err = nodeSystemError('listen', codeOf(error), call === 'fd' ? '' : this.boundText, 'uv', extra);
        // Node looks a host up first, so a listen(port, host) fails later, from its event loop, without the program's frames.
        noteNodeOrigin(err, { frames: listenErrorFrames(failure.stage ?? 'bind', call), withProgram: call !== 'host', entry: host.entry, emitted: { on: 'Server', frames: SERVER_EMIT_FRAMES } });
        queueMicrotask(host.guard(() => this.emit('error', err)));
        return this;
      }
      this.listening = true;
      this.release = host.ref();
      const sock = this.socket!;
      this.dropCleanup = host.onCleanup(() => this.detach());
      this.stopAccepting = sock.onPending(host.guard(() => this.drain(), 'connection'));
      queueMicrotask(host.guard(() => this.emit('listening'), 'listening'));
      return this;
    }

    private listenOnFd(fd: number, backlog: number): void {
      const handed = host.fd(fd);
      // Node turns an fd it cannot listen on (closed, or not a listening socket) into EINVAL.
      if (!handed || !isListening(handed)) throw { code: 'EINVAL', stage: 'bind' };
      // Node calls listen(2) again on the inherited socket with its backlog (511): ss then shows Send-Q 511.
      handed.relisten?.(backlog);
      this.socket = handed;
      this.ownsSocket = false;
      const a = handed.address;
      this.boundText = a.path ?? `${a.host ?? '::'}:${a.port}`;
    }

    /**
     * Binds and listens as Node does: a path is a Unix socket; a port without a host is tried on :: (dual stack), and
     * when that bind fails (EACCES, EAFNOSUPPORT…) on 0.0.0.0, so that the error then names 0.0.0.0. EADDRINUSE
     * surfaces at listen(2) (libuv defers it), every other error at bind. A failure carries its stage and address.
     */
    private bind(options: { port?: number | string; host?: string; path?: string; backlog?: number; ipv6Only?: boolean }): void {
      const open = (address: ListenAddress): ListeningSocket =>
        host.listen({
          address,
          backlog: options.backlog ?? 511,
          socketMode: 0o777 & ~0o022,
          directoryMode: 0o755,
          socketUser: host.user,
          socketGroup: host.user,
          bindIPv6Only: options.ipv6Only ? 'ipv6-only' : 'default',
          freeBind: false,
          passCredentials: false,
          owner: '',
        });
      const fail = (error: unknown, address: string | undefined, port: number | undefined, path: boolean): never => {
        const code = codeOf(error);
        throw { code, stage: code === 'EADDRINUSE' && !path ? 'listen' : 'bind', address, port };
      };
      if (options.path !== undefined) {
        const path = options.path.startsWith('/') ? options.path : `${host.cwd.replace(/\/$/, '')}/${options.path}`;
        this.boundText = options.path;
        try {
          this.socket = open({ kind: 'stream', family: path.startsWith('\0') ? 'abstract' : 'unix', path, text: path });
        } catch (error) {
          fail(error, options.path, -1, true);
        }
        this.ownsSocket = true;
        return;
      }
      const port = Number(options.port ?? 0) || 0;
      const h = options.host;
      const chosen = port === 0 ? 30000 + (host.pid % 20000) : port;
      if (h === undefined || (h === '::' && !options.ipv6Only)) {
        this.boundText = `:::${chosen}`;
        try {
          this.socket = open({ kind: 'stream', family: 'dual', host: '::', port: chosen, text: `[::]:${chosen}` });
        } catch (error) {
          if (codeOf(error) === 'EADDRINUSE' || h !== undefined) fail(error, '::', chosen, false);
          this.boundText = `0.0.0.0:${chosen}`;
          try {
            this.socket = open({ kind: 'stream', family: 'inet', host: '0.0.0.0', port: chosen, text: `0.0.0.0:${chosen}` });
          } catch (again) {
            fail(again, '0.0.0.0', chosen, false);
          }
        }
      } else {
        const ip = h === 'localhost' ? '127.0.0.1' : h;
        this.boundText = `${ip}:${chosen}`;
        try {
          this.socket = open({ kind: 'stream', family: ip.includes(':') ? 'inet6' : 'inet', host: ip, port: chosen, text: `${ip}:${chosen}` });
        } catch (error) {
          fail(error, ip, chosen, false);
        }
      }
      this.ownsSocket = true;
    }

    private drain(): void {
      if (!this.socket || !this.listening) return;
      for (let c = this.socket.accept(); c; c = this.socket.accept()) {
        const socket = new Socket({ allowHalfOpen: this.allowHalfOpen }).attach(c);
        this.emit('connection', socket);
      }
    }

    private detach(): void {
      this.stopAccepting?.();
      this.stopAccepting = undefined;
      // An inherited fd is only this process's copy: the manager still holds the socket.
      if (this.ownsSocket) this.socket?.close();
      this.listening = false;
      this.release?.();
      this.release = undefined;
    }

    /** Stops listening; 'close' follows. */
    close(cb?: (error?: Error) => void): this {
      if (!this.listening) {
        if (cb) queueMicrotask(host.guard(() => cb(nodeSystemError('close', 'ERR_SERVER_NOT_RUNNING', '', 'host-port'))));
        return this;
      }
      this.dropCleanup?.();
      this.detach();
      if (cb) this.once('close', cb);
      queueMicrotask(host.guard(() => this.emit('close')));
      return this;
    }

    /** `{ address, family, port }` or the path. */
    address(): { address: string; family: string; port: number } | string | null {
      if (!this.socket) return null;
      const a = this.socket.address;
      if (a.family === 'unix' || a.family === 'abstract') return a.path ?? '';
      const ip = a.family === 'dual' ? '::' : (a.host ?? '::');
      return { address: ip, family: ip.includes(':') ? 'IPv6' : 'IPv4', port: a.port ?? 0 };
    }

    /** Lets the process exit while listening. */
    unref(): this {
      this.release?.();
      this.release = undefined;
      return this;
    }
    /** Keeps the process alive while listening (the default). */
    ref(): this {
      if (!this.release && this.listening) this.release = host.ref();
      return this;
    }
    /** Node's getConnections(cb): not tracked, reports 0. */
    getConnections(cb: (error: Error | null, count: number) => void): this {
      queueMicrotask(host.guard(() => cb(null, 0)));
      return this;
    }
  }

  /** net.createServer([options][, connectionListener]). */
  function createServer(options?: { allowHalfOpen?: boolean } | ((s: Socket) => void), handler?: (s: Socket) => void): Server {
    if (typeof options === 'function') return new Server({}, options);
    return new Server(options ?? {}, handler);
  }

  /** net.connect(port[, host][, cb]) | connect(path[, cb]) | connect({ port, host, path }[, cb]). */
  function connect(...args: unknown[]): Socket {
    const cb = typeof args[args.length - 1] === 'function' ? (args.pop() as () => void) : undefined;
    let options: { port?: number | string; host?: string; path?: string; allowHalfOpen?: boolean };
    if (typeof args[0] === 'object' && args[0] !== null) options = args[0] as typeof options;
    else if (typeof args[0] === 'string' && !/^\d+$/.test(args[0])) options = { path: args[0] };
    else options = { port: args[0] as number, host: args[1] as string | undefined };
    const socket = new Socket({ allowHalfOpen: options.allowHalfOpen });
    if (options.path !== undefined) return socket.connectTo(options.path, options.path, cb);
    const h = options.host ?? 'localhost';
    const ip = h === 'localhost' ? '127.0.0.1' : h;
    const target = h.includes(':') ? `[${h}]:${options.port}` : `${h}:${options.port}`;
    return socket.connectTo(target, ip.includes(':') ? `${ip}:${options.port}` : `${ip}:${options.port}`, cb);
  }

  /** net.isIP: 4, 6 or 0. */
  function isIP(text: string): number {
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return 4;
    return /^[0-9a-f:]+$/i.test(text) && text.includes(':') ? 6 : 0;
  }

  return { Server, Socket, createServer, connect, createConnection: connect, isIP, isIPv4: (t: string) => isIP(t) === 4, isIPv6: (t: string) => isIP(t) === 6 };
}

/** The module's shape, for the http module built on it. */
export type NetModule = ReturnType<typeof createNetModule>;

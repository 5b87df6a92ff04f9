/**
 * Binding listening sockets synchronously. The kernel contract reports EADDRINUSE/EACCES from listen() at once,
 * but net.Server.listen() reports them later (and for TCP even bind errors are deferred by libuv to listen()).
 * Where Node's socket bindings are reachable we bind and listen on a raw handle first, so errors are synchronous,
 * then hand the listening handle to a net.Server. Where they are not (WebContainers), we fall back to
 * net.Server.listen() and report a failure asynchronously through `onLateError`.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as util from 'node:util';
import { KernelError } from '../kernel.ts';

interface RawHandle {
  bind?(host: string, port: number): number;
  bind6?(host: string, port: number, flags: number): number;
  getsockname?(out: { port?: number }): number;
  listen(backlog: number): number;
  close(): void;
}
interface HandleBindings {
  newTcp(): RawHandle;
  newPipe(): RawHandle & { bind(path: string): number };
  ipv6Only: number;
}

/** Node's internal socket constructors, or undefined where the platform hides them. */
function loadBindings(): HandleBindings | undefined {
  try {
    const binding = (process as unknown as { binding(name: string): Record<string, unknown> }).binding;
    const tcp = binding('tcp_wrap') as { TCP: new (type: number) => RawHandle; constants: Record<string, number> };
    const pipe = binding('pipe_wrap') as { Pipe: new (type: number) => RawHandle & { bind(path: string): number }; constants: Record<string, number> };
    return {
      newTcp: () => new tcp.TCP(tcp.constants.SERVER),
      newPipe: () => new pipe.Pipe(pipe.constants.SERVER),
      ipv6Only: tcp.constants.UV_TCP_IPV6ONLY,
    };
  } catch {
    return undefined;
  }
}

const bindings = loadBindings();

/** True when sockets can be bound synchronously on this platform. */
export function canBindSynchronously(): boolean {
  return bindings !== undefined;
}

/** A libuv error number as a KernelError with Linux's code and text ("Address already in use"). */
export function uvError(errno: number, what: string): KernelError {
  const [code, text] = util.getSystemErrorMap().get(errno) ?? ['EIO', 'I/O error'];
  return new KernelError(code, `${what}: ${text.charAt(0).toUpperCase()}${text.slice(1)}`);
}

/** Where to listen. */
export type BindTarget =
  | { kind: 'tcp'; host: string; port: number; ipv6: boolean; ipv6Only: boolean }
  | { kind: 'pipe'; path: string };

/** Creates a listening net.Server on `target`; throws KernelError when the address cannot be bound. */
export function listenServer(
  target: BindTarget,
  backlog: number,
  onConnection: (socket: net.Socket) => void,
  onLateError: (error: KernelError) => void,
): net.Server {
  const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true, noDelay: true }, onConnection);
  const what = target.kind === 'tcp' ? `${target.ipv6 ? `[${target.host}]` : target.host}:${target.port}` : target.path;
  server.on('error', (error: NodeJS.ErrnoException) => onLateError(new KernelError(error.code ?? 'EIO', `${what}: ${error.message}`)));
  if (!bindings) {
    if (target.kind === 'tcp') server.listen({ host: target.host, port: target.port, backlog, ipv6Only: target.ipv6Only });
    else server.listen({ path: target.path, backlog });
    return server;
  }
  const handle = target.kind === 'tcp' ? bindings.newTcp() : bindings.newPipe();
  let error = 0;
  if (target.kind === 'pipe') error = (handle as RawHandle & { bind(path: string): number }).bind(target.path);
  else if (target.ipv6) error = handle.bind6!(target.host, target.port, target.ipv6Only ? bindings.ipv6Only : 0);
  else error = handle.bind!(target.host, target.port);
  if (error === 0) error = handle.listen(backlog);
  if (error !== 0) {
    handle.close();
    throw uvError(error, what);
  }
  if (target.kind === 'tcp') {
    server.listen(handle as unknown as net.ListenOptions);
    return server;
  }
  // net.Server adopts only TCP handles; a Unix socket is bound again by path (closing the probe removed it).
  // libuv unlinks the path it bound when its handle closes, but the emulator closes its handle while a service
  // holds the socket (direct mode), and the socket's node must stay: bind under a temporary name in the same
  // directory and rename it into place, so the close unlinks a name that no longer exists.
  handle.close();
  const temporary = target.path.startsWith('\0') ? undefined : temporaryName(target.path);
  server.listen({ path: temporary ?? target.path, backlog });
  if (!(server as unknown as { _handle: unknown })._handle) throw new KernelError('EADDRINUSE', `${what}: Address already in use`);
  if (temporary) fs.renameSync(temporary, target.path);
  else if (!target.path.startsWith('\0')) unlinkedOnClose.add(server);
  return server;
}

let nextTemporary = 1;
/** Servers whose Unix socket node libuv removes when they close (no temporary name fitted in sun_path). */
const unlinkedOnClose = new WeakSet<net.Server>();

/** True when closing `server`'s handle leaves the socket's node in place (see listenServer). */
export function keepsPathOnClose(server: net.Server): boolean {
  return !unlinkedOnClose.has(server);
}

/** A free name next to `socketPath` that fits in sun_path, or undefined. */
function temporaryName(socketPath: string): string | undefined {
  const candidate = path.join(path.dirname(socketPath), `.emu-${process.pid}-${nextTemporary++}`);
  return Buffer.byteLength(candidate) <= 107 && !fs.existsSync(candidate) ? candidate : undefined;
}

/** A free TCP port on 127.0.0.1, found synchronously (binding port 0 and releasing it). */
export function reserveLoopbackPort(): number | undefined {
  if (!bindings) return undefined;
  const handle = bindings.newTcp();
  const out: { port?: number } = {};
  const error = handle.bind!('127.0.0.1', 0) || handle.getsockname!(out);
  handle.close();
  return error === 0 ? out.port : undefined;
}

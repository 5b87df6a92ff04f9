/**
 * The Node kernel's Network: real TCP listeners (IPv4, IPv6, dual-stack), Unix path sockets inside the root,
 * abstract sockets, and client connections for the emulator's own tools (curl, nc, ss).
 * Where Unix sockets are missing (WebContainers), or a path is too long for AF_UNIX, a Unix address is served
 * by a loopback TCP listener instead: the path gets a placeholder file, the kernel's own clients connect to the
 * path and are routed to that port, and `ss`/`stat` still show a Unix socket.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { KernelError } from '../kernel.ts';
import { ERRNO } from '../errno.ts';
import type { Connection, Endpoint, FileSystem, ListenOptions, ListeningSocket, Network, SocketInfo } from '../kernel.ts';
import type { ListenAddress } from '../../unit-file/unit-types.ts';
import { wrapSocket } from './node-connection.ts';
import { NodeListeningSocket } from './node-listening-socket.ts';
import { hostPathOf, resolveMachinePath } from './root-paths.ts';
import type { FdHolder } from './fd-holder.ts';
import { loadLibc, SOCK_DGRAM, SOCK_SEQPACKET } from './libc.ts';
import { NodeFdSocket, openFifo } from './node-fd-socket.ts';
import { makePlaceholderNode, ModelledSocket } from './modelled-socket.ts';
import { UserDatabase } from '../memory/users.ts';
import { canBindSynchronously, listenServer, uvError } from './socket-binding.ts';
import type { BindTarget } from './socket-binding.ts';

/**
 * Where a virtual Unix socket's relay port is written (one file per machine path, its name the path with
 * `/` as `%2F`), so that the preload shim can route a service's own `net.connect('/run/x.sock')` there.
 */
export const RELAY_PORTS_DIR = 'run/emulator/unix-relays';

/** sun_path holds 108 bytes including the terminating NUL. */
const MAX_UNIX_PATH = 107;
const SOMAXCONN = 4096;

/** Options of the Node network. */
export interface NodeNetworkOptions {
  root: string;
  fs: FileSystem;
  unixSockets: boolean;
  /** Called when a socket fails after listen() returned (platforms without synchronous binding). */
  onLateError: (error: KernelError) => void;
  /** Given where services can inherit fds: sockets are then handed to them directly (node-listening-socket.ts). */
  fdHolder?: FdHolder;
  /** Filled with the placeholder nodes of modelled sockets and FIFOs (the file system reports their type). */
  modelledNodes: Map<string, 'socket' | 'fifo'>;
}

/** The Node Network plus what the rest of the kernel needs. */
export interface NodeNetwork extends Network {
  /** One datagram to a Unix path socket of the machine (what the memory network's sendDatagram does in-page). */
  sendDatagram(path: string, data: string): void;
  /** Machine paths (and `@names`) served by a loopback TCP relay instead of a Unix socket. */
  readonly virtualUnixSockets: Map<string, net.Server>;
  closeAll(): void;
  /** Resolves once every listening socket is fully set up (NodeListeningSocket.settled()). */
  settled(): Promise<void>;
}

let nextSocketId = 1;
const MACHINE_USERS = new UserDatabase();

/** Creates the Network of the Node kernel. */
export function createNodeNetwork(options: NodeNetworkOptions): NodeNetwork {
  const listeners = new Set<NodeListeningSocket>();
  const fdSockets = new Set<NodeFdSocket>();
  const modelledSockets = new Set<ModelledSocket>();
  /** Machine paths of modelled sockets' and FIFOs' placeholder nodes, with the type stat shows. */
  const modelledNodes = options.modelledNodes;
  const virtualUnixSockets = new Map<string, net.Server>();
  /** Wildcard listeners bound IPv6-only (ss shows them as [::], not *). */
  const ipv6OnlyWildcards = new WeakSet<NodeListeningSocket>();

  const bindUnix = (address: ListenAddress, listenOptions: ListenOptions, socketName: string): {
    target: BindTarget; onClose: (removePath: boolean) => void; virtual: boolean;
  } => {
    if (address.family === 'abstract') {
      if (options.unixSockets) return { target: { kind: 'pipe', path: `\0${address.path}` }, onClose: () => undefined, virtual: false };
      return { target: loopback(), onClose: () => virtualUnixSockets.delete(socketName), virtual: true };
    }
    const machinePath = resolveMachinePath(options.root, address.path!);
    const hostPath = hostPathOf(options.root, machinePath);
    fs.mkdirSync(path.dirname(hostPath), { recursive: true, mode: listenOptions.directoryMode });
    const existing = options.fs.lstat(machinePath);
    if (existing?.type === 'socket' && !virtualUnixSockets.has(machinePath)) fs.rmSync(hostPath, { force: true });
    else if (existing) throw new KernelError('EADDRINUSE', `${address.path}: Address already in use`);
    if (options.unixSockets && Buffer.byteLength(hostPath) <= MAX_UNIX_PATH) {
      // As systemd, the node stays when the socket closes (the next start binds over it) unless RemoveOnStop=.
      return { target: { kind: 'pipe', path: hostPath }, onClose: (removePath) => removePath && fs.rmSync(hostPath, { force: true }), virtual: false };
    }
    fs.writeFileSync(hostPath, '', { mode: listenOptions.socketMode });
    return {
      target: loopback(),
      onClose: () => {
        virtualUnixSockets.delete(machinePath);
        fs.rmSync(hostPath, { force: true });
      },
      virtual: true,
    };
  };

  /** ListenDatagram=, ListenSequentialPacket=, ListenFIFO=, ListenNetlink=: a real fd from libc, watched (node-fd-socket.ts). */
  const listenFd = (listenOptions: ListenOptions): ListeningSocket => {
    const { address } = listenOptions;
    const libc = options.unixSockets ? loadLibc() : undefined;
    if (!libc) return listenModelled(listenOptions);
    if (address.family === 'netlink') return listenNetlink(libc, listenOptions);
    let fd: number;
    let hostPath: string | undefined;
    const isPath = address.family === 'unix' || address.family === 'fifo';
    if (isPath) {
      const machinePath = resolveMachinePath(options.root, address.path!);
      hostPath = hostPathOf(options.root, machinePath);
      fs.mkdirSync(path.dirname(hostPath), { recursive: true, mode: listenOptions.directoryMode });
      const existing = options.fs.lstat(machinePath);
      if (address.family === 'unix' && existing?.type === 'socket') fs.rmSync(hostPath, { force: true });
      else if (address.family === 'unix' && existing) throw new KernelError('EADDRINUSE', `${address.path}: Address already in use`);
    }
    const type = address.kind === 'seqpacket' ? SOCK_SEQPACKET : SOCK_DGRAM;
    if (address.family === 'fifo') fd = openFifo(libc, hostPath!, listenOptions.socketMode);
    else if (address.family === 'unix') fd = libc.unixSocket(type, hostPath!);
    else if (address.family === 'abstract') fd = libc.unixSocket(type, `\0${address.path}`);
    else {
      const target = tcpTarget(address, listenOptions);
      if (target.kind !== 'tcp') throw new KernelError('EAFNOSUPPORT', `${address.text}: address family not supported by the Node kernel.`);
      fd = libc.inetSocket(type, target.host, target.port, target.ipv6, target.ipv6Only);
    }
    if (fd >= 0 && address.kind === 'seqpacket') {
      const listened = libc.listen(fd, Math.min(Math.max(listenOptions.backlog, 1), SOMAXCONN));
      if (listened < 0) {
        libc.close(fd);
        fd = listened;
      }
    }
    if (fd < 0) throw uvError(fd, address.text);
    if (isPath) {
      const machinePath = resolveMachinePath(options.root, address.path!);
      options.fs.chmod(machinePath, listenOptions.socketMode);
      options.fs.chown(machinePath, listenOptions.socketUser, listenOptions.socketGroup);
    }
    const socket: NodeFdSocket = new NodeFdSocket({
      id: nextSocketId++,
      address,
      fd,
      libc,
      onClose: (removePath) => {
        fdSockets.delete(socket);
        if (removePath && hostPath) fs.rmSync(hostPath, { force: true });
      },
    });
    fdSockets.add(socket);
    return socket;
  };

  /**
   * ListenNetlink=: a real AF_NETLINK socket where this process may open it. The machine's PID 1 is root, this
   * process need not be: where the kernel refuses the protocol or its groups to this user (EPERM, EACCES: the
   * audit groups need CAP_AUDIT_READ, most others CAP_NET_ADMIN), the socket is modelled instead, as on a
   * platform without libc (not Linux, a WebContainer). A protocol the kernel lacks fails as it does for systemd.
   */
  const listenNetlink = (libc: NonNullable<ReturnType<typeof loadLibc>>, listenOptions: ListenOptions): ListeningSocket => {
    const { address } = listenOptions;
    const fd = libc.netlinkSocket(address.netlink!.protocol, address.netlink!.groups);
    if (fd === -ERRNO.EPERM.errno || fd === -ERRNO.EACCES.errno) return listenModelled(listenOptions);
    if (fd < 0) throw uvError(fd, address.text);
    const socket: NodeFdSocket = new NodeFdSocket({ id: nextSocketId++, address, fd, libc, onClose: () => fdSockets.delete(socket) });
    fdSockets.add(socket);
    return socket;
  };

  /** The same, modelled in the machine's view where libc cannot make the fd (modelled-socket.ts). */
  const listenModelled = (listenOptions: ListenOptions): ListeningSocket => {
    const { address } = listenOptions;
    let machinePath: string | undefined;
    if (address.family === 'unix' || address.family === 'fifo') {
      machinePath = resolveMachinePath(options.root, address.path!);
      const hostPath = hostPathOf(options.root, machinePath);
      fs.mkdirSync(path.dirname(hostPath), { recursive: true, mode: listenOptions.directoryMode });
      const existing = options.fs.lstat(machinePath);
      const reusable = existing?.type === (address.family === 'fifo' ? 'fifo' : 'socket');
      if (existing && !reusable) {
        throw address.family === 'fifo' ? new KernelError('EEXIST', `${address.path}: File exists`) : new KernelError('EADDRINUSE', `${address.path}: Address already in use`);
      }
      makePlaceholderNode(hostPath, listenOptions.socketMode);
      modelledNodes.set(machinePath, address.family === 'fifo' ? 'fifo' : 'socket');
      options.fs.chown(machinePath, listenOptions.socketUser, listenOptions.socketGroup);
    }
    const socket: ModelledSocket = new ModelledSocket({
      id: nextSocketId++,
      address,
      onClose: (removePath) => {
        modelledSockets.delete(socket);
        if (!machinePath) return;
        // The node stays (and stat still shows a socket or FIFO) until RemoveOnStop= removes it, as systemd
        // leaves it behind; the next start reuses it.
        if (removePath) {
          modelledNodes.delete(machinePath);
          fs.rmSync(hostPathOf(options.root, machinePath), { force: true });
        }
      },
    });
    modelledSockets.add(socket);
    return socket;
  };

  const listen = (listenOptions: ListenOptions): ListeningSocket => {
    const { address } = listenOptions;
    if (address.kind !== 'stream') return listenFd(listenOptions);
    const backlog = Math.min(Math.max(listenOptions.backlog, 1), SOMAXCONN);
    const isUnix = address.family === 'unix' || address.family === 'abstract';
    const socketName = address.family === 'abstract' ? `@${address.path}` : isUnix ? resolveMachinePath(options.root, address.path!) : '';
    let target: BindTarget;
    let onClose: (removePath: boolean) => void = () => undefined;
    let virtual = false;
    if (isUnix) ({ target, onClose, virtual } = bindUnix(address, listenOptions, socketName));
    else target = tcpTarget(address, listenOptions);
    const socket = new NodeListeningSocket({
      id: nextSocketId++,
      address,
      backlog,
      listen: (onConnection) => {
        try {
          return listenServer(target, backlog, onConnection, options.onLateError);
        } catch (error) {
          onClose(true);
          if (address.family === 'dual' && (error as KernelError).code === 'EAFNOSUPPORT') {
            return listenServer({ kind: 'tcp', host: '0.0.0.0', port: address.port!, ipv6: false, ipv6Only: false }, backlog, onConnection, options.onLateError);
          }
          throw error;
        }
      },
      onClose: (removePath) => {
        listeners.delete(socket);
        onClose(removePath);
      },
      direct: options.fdHolder && canBindSynchronously() && !virtual
        ? { holder: options.fdHolder, publicAddress: publicAddressOf(address, target, listenOptions), onLateError: options.onLateError }
        : undefined,
    });

    listeners.add(socket);
    if (target.kind === 'tcp' && target.ipv6Only && target.host === '::') ipv6OnlyWildcards.add(socket);
    if (virtual) {
      virtualUnixSockets.set(socketName, socket.server);
      if (address.family === 'unix') publishRelayPort(options.root, socketName, socket.server);
    }
    // SocketMode=/SocketUser=/SocketGroup= on the node, a real socket or the placeholder of a relayed one.
    if (isUnix && address.family === 'unix') {
      options.fs.chmod(socketName, listenOptions.socketMode);
      options.fs.chown(socketName, listenOptions.socketUser, listenOptions.socketGroup);
    }
    return socket;
  };

  const connect = (target: string, as?: { pid?: number; uid?: number }): Promise<Connection> => {
    let connectOptions: net.NetConnectOpts;
    let ends: { local: Endpoint; remote: Endpoint } | undefined;
    if (target.startsWith('/') || target.startsWith('@')) {
      const name = target.startsWith('@') ? target : resolveMachinePath(options.root, target);
      // connect(2) on a Unix socket path needs write permission on its node: checked against the machine's
      // view (the emulator's own clients connect as root on the host; runuser -u USER makes them USER here).
      const node = target.startsWith('/') && as?.uid !== undefined ? options.fs.stat(name) : undefined;
      if (node && !MACHINE_USERS.mayAccess(as!.uid!, node, 2)) return Promise.reject(new KernelError('EACCES', `${target}: Permission denied`));
      ends = { local: { family: 'unix', address: '' }, remote: { family: 'unix', address: target } };
      // A relayed socket is at the path while its placeholder is: a service may have unlinked it and bound its own.
      const relayed = virtualUnixSockets.get(name);
      if (relayed && !placeholderAt(hostPathOf(options.root, name))) connectOptions = { path: hostPathOf(options.root, name) };
      else if (relayed) connectOptions = { host: '127.0.0.1', port: (relayed.address() as net.AddressInfo).port };
      else if (target.startsWith('@')) connectOptions = { path: `\0${target.slice(1)}` };
      else connectOptions = { path: hostPathOf(options.root, name) };
    } else {
      const match = /^\[(.+)\]:(\d+)$/.exec(target) ?? /^([^:]+):(\d+)$/.exec(target);
      if (!match) return Promise.reject(new KernelError('EINVAL', `Invalid address '${target}': expected HOST:PORT, [IPv6]:PORT, /path or @name.`));
      connectOptions = { host: match[1], port: Number(match[2]) };
    }
    return new Promise((resolve, reject) => {
      const socket = net.connect({ ...connectOptions, allowHalfOpen: true });
      socket.pause();
      socket.once('connect', () => {
        socket.off('error', onError);
        resolve(wrapSocket(socket, ends));
      });
      const onError = (error: NodeJS.ErrnoException): void => {
        // A reset before libuv reported the connect: the handshake was done (a refused SYN is ECONNREFUSED), so
        // the client did connect, as connect(2) returned on a real machine, and its first read sees the reset
        // (curl: (56) Recv failure, not (7)). A listening socket that closes with connections in its backlog does it.
        if (error.code === 'ECONNRESET') {
          const connection = wrapSocket(socket, ends);
          socket.emit('error', error);
          return resolve(connection);
        }
        const text: Record<string, string> = { ECONNREFUSED: 'Connection refused', ENOENT: 'No such file or directory', EACCES: 'Permission denied', ETIMEDOUT: 'Connection timed out' };
        reject(new KernelError(error.code ?? 'EIO', `${target}: ${text[error.code ?? ''] ?? error.message}`));
      };
      socket.once('error', onError);
    });
  };

  const sockets = (): SocketInfo[] => [...streamSockets(), ...datagramSockets()];

  const datagramSockets = (): SocketInfo[] => [...fdSockets, ...modelledSockets].flatMap((socket) => {
    const { address } = socket;
    const local = address.family === 'abstract' ? `@${address.path}` : address.family === 'dual' ? `*:${address.port}`
      : address.family === 'inet6' ? `[${address.host}]:${address.port}` : address.family === 'inet' ? `${address.host}:${address.port}` : address.path ?? '';
    const peer = address.family === 'unix' || address.family === 'abstract' ? '*' : address.family === 'inet' ? '0.0.0.0:*' : '[::]:*';
    const info = socket.info(local, peer);
    return info ? [info] : [];
  });

  const unixInfo = (socket: NodeListeningSocket, name: string, fd: number): SocketInfo => {
    const inode = socket.inode;
    return inode === undefined ? socket.info(name, '*', fd) : socket.info(`${name} ${inode}`, '* 0', fd);
  };

  const streamSockets = (): SocketInfo[] =>
    [...listeners].map((socket) => {
      const { address } = socket;
      const fd = socket.systemdFd;
      switch (address.family) {
        // ss -x: `PATH INODE` and the peer `* 0`, as for the memory kernel's sockets (a relayed one's inode is its relay's).
        case 'unix': return unixInfo(socket, address.path!, fd);
        case 'abstract': return unixInfo(socket, `@${address.path}`, fd);
        // A wildcard that takes IPv4 too is `*`; an IPv6-only one (BindIPv6Only=ipv6-only, sshd's second socket) `[::]`.
        case 'dual': return ipv6OnlyWildcards.has(socket) ? { ...socket.info(`[::]:${address.port}`, '[::]:*', fd), v6Only: true } : socket.info(`*:${address.port}`, '*:*', fd);
        case 'inet6': return { ...socket.info(`[${address.host}]:${address.port}`, '[::]:*', fd), ...(ipv6OnlyWildcards.has(socket) ? { v6Only: true } : {}) };
        default: return socket.info(`${address.host}:${address.port}`, '0.0.0.0:*', fd);
      }
    });

  /**
   * One datagram to a Unix path of the machine (`logger -u`): queued on a modelled datagram socket (no libc,
   * a WebContainer), else sent for real with libc; without either it is EPROTOTYPE, and the sender falls back
   * to a stream connection as logger does.
   */
  const sendDatagram = (machinePath: string, data: string): void => {
    const resolved = resolveMachinePath(options.root, machinePath);
    const modelled = [...modelledSockets].find((socket) => socket.address.kind === 'datagram' && socket.address.path !== undefined && resolveMachinePath(options.root, socket.address.path) === resolved);
    if (modelled) return modelled.deliver(Buffer.from(data, 'utf8'));
    const libc = options.unixSockets ? loadLibc() : undefined;
    if (!libc) throw new KernelError('EPROTOTYPE', 'Protocol wrong type for socket');
    const hostPath = hostPathOf(options.root, resolved);
    const sent = libc.sendToUnix(hostPath, Buffer.from(data, 'utf8'));
    if (sent >= 0) return;
    const code = Object.entries(ERRNO).find(([, entry]) => entry.errno === -sent)?.[0] ?? 'ECONNREFUSED';
    throw new KernelError(code, ERRNO[code]?.text ?? code);
  };

  return {
    listen,
    connect,
    sendDatagram,
    sockets,
    virtualUnixSockets,
    closeAll() {
      for (const socket of [...listeners]) socket.close({ removePath: true });
      for (const socket of [...fdSockets]) socket.close({ removePath: true });
      for (const socket of [...modelledSockets]) socket.close({ removePath: true });
    },
    settled() {
      return Promise.all([...listeners].map((socket) => socket.settled())).then(() => undefined);
    },
  };
}

/** Where a TCP address listens. */
function tcpTarget(address: ListenAddress, listenOptions: ListenOptions): BindTarget {
  const ipv6Only = listenOptions.bindIPv6Only === 'ipv6-only';
  if (address.family === 'dual') return { kind: 'tcp', host: '::', port: address.port!, ipv6: true, ipv6Only };
  if (address.family === 'inet6') {
    const host = address.scopeInterface ? `${address.host}%${address.scopeInterface}` : address.host!;
    return { kind: 'tcp', host, port: address.port!, ipv6: true, ipv6Only: ipv6Only || (listenOptions.bindIPv6Only === 'default' && address.host !== '::') };
  }
  if (address.family === 'inet') return { kind: 'tcp', host: address.host!, port: address.port!, ipv6: false, ipv6Only: false };
  throw new KernelError('EAFNOSUPPORT', `${address.text}: address family not supported by the Node kernel.`);
}

/** Where the emulator connects to reach its own public socket (to hand over connections it accepted). */
function publicAddressOf(address: ListenAddress, target: BindTarget, listenOptions: ListenOptions): net.NetConnectOpts {
  if (target.kind === 'pipe') return { path: target.path };
  if (address.family === 'dual') return { host: listenOptions.bindIPv6Only === 'ipv6-only' ? '::1' : '127.0.0.1', port: address.port! };
  if (target.host === '0.0.0.0') return { host: '127.0.0.1', port: address.port! };
  if (target.host === '::') return { host: '::1', port: address.port! };
  return { host: target.host, port: address.port! };
}

/** Writes the relay port of a virtual Unix socket for the preload shim, and removes it when the socket closes. */
/** Whether a relayed Unix socket's placeholder (a regular file) is still at `hostPath`. */
function placeholderAt(hostPath: string): boolean {
  try {
    return fs.lstatSync(hostPath).isFile();
  } catch {
    return false;
  }
}

function publishRelayPort(root: string, machinePath: string, server: net.Server): void {
  const file = path.join(root, RELAY_PORTS_DIR, encodeURIComponent(machinePath));
  const write = (): void => {
    const port = (server.address() as net.AddressInfo | null)?.port;
    if (!port) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${port}\n`);
  };
  if (server.listening) write();
  else server.once('listening', write);
  server.once('close', () => fs.rmSync(file, { force: true }));
}

/** A loopback TCP listener on a free port (serves a Unix address where AF_UNIX cannot be used). */
function loopback(): BindTarget {
  return { kind: 'tcp', host: '127.0.0.1', port: 0, ipv6: false, ipv6Only: false };
}

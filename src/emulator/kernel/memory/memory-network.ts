/**
 * The in-memory network: TCP on IPv4/IPv6 with wildcard and dual-stack binds, Unix path sockets (a socket
 * node in the file system, permission-checked on connect), abstract sockets, and minimal datagram/FIFO.
 *
 * Backlog: a connection is established by the kernel and waits in the listener's accept queue until a
 * process accepts it, as on Linux. The queue holds min(Backlog=, somaxconn = 4096) + 1 connections (Linux's
 * sk_acceptq_is_full() tests `>`, so one more than the backlog fits). When it is full, Linux does NOT refuse
 * a TCP connection (unless net.ipv4.tcp_abort_on_overflow=1): it drops the SYN and the client retransmits
 * after 1, 2, 4, 8, 16 and 32 s, then gives up with ETIMEDOUT 64 s later (tcp_syn_retries = 6). We do the
 * same on the kernel clock, so a connection gets in as soon as room frees up. A Unix stream socket's
 * non-blocking connect (what Node and curl use) fails at once with EAGAIN. Connecting to a port nobody
 * listens on is ECONNREFUSED; to a missing Unix path ENOENT; to a stale socket node ECONNREFUSED.
 */
import type { Clock, Connection, Endpoint, ListeningSocket, ListenOptions, Network, SocketInfo, Unsubscribe } from '../kernel.ts';
import { KernelError } from '../kernel.ts';
import type { ListenAddress } from '../../unit-file/unit-types.ts';
import { errnoError } from '../errno.ts';
import { connectionPair, type ConnectionEnd } from './memory-connection.ts';
import type { MemoryFileSystem } from './memory-fs.ts';
import { parentOf } from './memory-fs.ts';
import type { UserDatabase } from './users.ts';

/** Linux's default net.core.somaxconn (since 5.4). */
export const SOMAXCONN = 4096;
/** Delays between SYN retransmissions (tcp_syn_retries = 6), then the final wait before ETIMEDOUT. */
const SYN_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16000, 32000, 64000];

/**
 * First fd number of PID 1's listening sockets: below it, a booted systemd holds its own fds (journal,
 * notify and private sockets, cgroup and signal fds…); the exact number varies per machine.
 */
const PID1_FIRST_SOCKET_FD = 40;
/**
 * The netlink protocols the oracle's kernel (Debian 12 in systemd-nspawn --private-network) opens: route,
 * usersock, sock_diag, xfrm, selinux, fib-lookup, connector, netfilter, kobject-uevent, generic (checked with a
 * ListenNetlink=N socket for N = 0…23 on systemd 252; the others fail with "Protocol not supported").
 */
const NETLINK_PROTOCOLS = new Set([0, 2, 4, 6, 7, 10, 11, 12, 15, 16]);
const NETLINK_AUDIT = 9;

/** Who holds a socket's fd, for `ss -p`. */
export interface SocketHolder {
  name: string;
  pid: number;
  fd: number;
}

/** Extra bind arguments used by sandboxed programs (the manager leaves them unset: it acts as root). */
export interface BindContext {
  /** Binding uid: ports below 1024 need root. */
  uid?: number;
  /** The first holder (defaults to systemd, pid 1). */
  holder?: SocketHolder;
  /** systemd unlinks a stale Unix socket node before binding; a plain bind() fails with EADDRINUSE. */
  unlinkStalePath?: boolean;
}

interface TcpScope {
  v4?: string; // 'any' or an address
  v6?: string;
}

let nextSocketId = 1;
let nextInode = 20000;

/** A bound socket. */
export class BoundSocket implements ListeningSocket {
  readonly id = nextSocketId++;
  readonly address: ListenAddress;
  readonly inode = nextInode++;
  backlogLimit: number;
  readonly holders: SocketHolder[];
  /** The holder that bound it (the manager): close() drops its fd. */
  private readonly owner: SocketHolder;
  readonly scope: TcpScope;
  readonly v6only: boolean;
  closed = false;
  queue: ConnectionEnd[] = [];
  private pendingListeners = new Set<() => void>();
  private pendingNotifyQueued = false;
  private readonly network: MemoryNetwork;

  constructor(network: MemoryNetwork, address: ListenAddress, backlog: number, holder: SocketHolder, scope: TcpScope, v6only: boolean) {
    this.network = network;
    this.address = address;
    this.backlogLimit = Math.max(0, Math.min(backlog, SOMAXCONN));
    this.holders = [holder];
    this.owner = holder;
    this.scope = scope;
    this.v6only = v6only;
  }

  /** Datagrams or FIFO writes not read yet (nobody reads them in this machine: they keep the fd readable). */
  messages: string[] = [];

  /** Connections waiting to be accepted, or messages waiting to be read. */
  pending(): number {
    return this.queue.length + this.messages.length;
  }

  /** A datagram or bytes written into a FIFO arrive: the fd becomes readable. */
  deliver(data: string): void {
    this.messages.push(data);
    this.notifyPending();
  }

  /** Whether one more connection fits in the accept queue. */
  hasRoom(): boolean {
    return this.queue.length <= this.backlogLimit;
  }

  /** listen(2) again: the new backlog, capped at somaxconn as Linux does. */
  relisten(backlog: number): void {
    if (this.address.kind === 'stream') this.backlogLimit = Math.max(0, Math.min(backlog, SOMAXCONN));
  }

  /** Subscribes to backlog growth (delivered in a microtask). */
  onPending(callback: () => void): Unsubscribe {
    this.pendingListeners.add(callback);
    if (this.queue.length > 0) queueMicrotask(() => this.pendingListeners.has(callback) && callback());
    return () => this.pendingListeners.delete(callback);
  }

  /** Takes the oldest waiting connection. */
  accept(): Connection | undefined {
    if (this.closed) return undefined;
    const conn = this.queue.shift();
    if (conn) this.network.acceptWaiter(this);
    return conn;
  }

  /**
   * close(2) of the binder's fd. The socket itself closes with its last fd: while a service still holds its copy
   * (stopping only the socket unit), it keeps listening and serving. Then waiting connections are reset; with
   * `removePath` the Unix node is removed.
   */
  close(options: { removePath?: boolean } = {}): void {
    if (this.closed) return;
    const mine = this.holders.indexOf(this.owner);
    if (mine >= 0) this.holders.splice(mine, 1);
    if (this.holders.length > 0) return;
    this.closed = true;
    for (const conn of this.queue) conn.destroy();
    this.queue = [];
    this.messages = [];
    this.network.unbind(this, options.removePath === true);
  }

  /** Puts a new connection in the accept queue. */
  enqueue(conn: ConnectionEnd): void {
    this.queue.push(conn);
    this.notifyPending();
  }

  /** Tells the backlog listeners, once per microtask burst. */
  private notifyPending(): void {
    if (this.pendingNotifyQueued) return;
    this.pendingNotifyQueued = true;
    queueMicrotask(() => {
      this.pendingNotifyQueued = false;
      for (const listener of [...this.pendingListeners]) listener();
    });
  }
}

/** The target of a connect(): a Unix path, an abstract name, or TCP candidates in the order tried. */
type Target = { kind: 'unix'; path: string } | { kind: 'abstract'; name: string } | { kind: 'tcp'; hosts: string[]; port: number; hostText: string };

/** Whether an IPv4 text is in 127.0.0.0/8. */
function isLoopback4(ip: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(ip);
}

/** Whether the text is an IPv4 address. */
function isIPv4(text: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(text) && text.split('.').every((p) => Number(p) <= 255);
}

/** The in-memory Network. */
export class MemoryNetwork implements Network {
  private sockets_ = new Set<BoundSocket>();
  /** PID 1's fd number per socket it opened (lowest free from PID1_FIRST_SOCKET_FD, as open(2) picks). */
  private readonly managerFds = new Map<BoundSocket, number>();
  /** The fds in managerFds, and one below which every fd is taken (so picking the lowest free one is not a scan). */
  private readonly usedManagerFds = new Set<number>();
  private managerFdFloor = PID1_FIRST_SOCKET_FD;
  private abstract = new Map<string, BoundSocket>();
  private byNode = new Map<number, BoundSocket>();
  private connections = new Set<ConnectionEnd>();
  /** FIFO nodes PID 1 holds open, and their listener: writes into the node land there. */
  private readonly fifoReaders = new Map<object, BoundSocket>();
  private waiters = new Map<BoundSocket, Array<() => void>>();
  private nextPort = 32768;
  private readonly fs: MemoryFileSystem;
  private readonly users: UserDatabase;
  private readonly clock: Clock;
  private readonly hostname: string;
  /** Addresses of the machine besides loopback (bindable, connectable). */
  readonly addresses: string[];

  constructor(options: { fs: MemoryFileSystem; users: UserDatabase; clock: Clock; hostname: string; addresses?: string[] }) {
    this.fs = options.fs;
    this.users = options.users;
    this.clock = options.clock;
    this.hostname = options.hostname;
    this.addresses = options.addresses ?? ['10.0.2.15'];
    this.fs.fifoWrites = (node, data) => this.fifoReaders.get(node)?.deliver(data);
  }

  /**
   * sendto() of one datagram to a Unix socket path (logger -u): ENOENT without a node, ECONNREFUSED for a stale
   * one, EPROTOTYPE for a stream socket, EACCES without write permission (search permission on the way).
   */
  sendDatagram(path: string, data: string, options: { uid?: number } = {}): void {
    const uid = options.uid ?? 0;
    this.searchDirectories(path, uid);
    const node = this.fs.node(path);
    if (!node) throw errnoError('ENOENT');
    if (node.type !== 'socket') throw errnoError('ECONNREFUSED');
    if (!this.users.mayAccess(uid, node, 2)) throw errnoError('EACCES');
    const sock = node.socketId !== undefined ? this.byNode.get(node.socketId) : undefined;
    if (!sock || sock.closed) throw errnoError('ECONNREFUSED');
    if (sock.address.kind !== 'datagram') throw errnoError('EPROTOTYPE');
    sock.deliver(data);
  }

  /** Binds and listens (see the file comment for the rules). */
  // Called without a context through the Kernel interface, i.e. by the manager: like systemd's
  // socket_address_listen() it unlinks a stale Unix socket node first. Programs pass their own context.
  listen(options: ListenOptions, context: BindContext = { unlinkStalePath: true }): BoundSocket {
    const a = options.address;
    const holder = context.holder ?? { name: 'systemd', pid: 1, fd: this.freeManagerFd() };
    const sock = this.listenFamily(options, holder, context);
    if (!context.holder) {
      this.managerFds.set(sock, holder.fd);
      this.usedManagerFds.add(holder.fd);
    }
    return sock;
  }

  /** The lowest fd PID 1 does not use for a socket yet. */
  private freeManagerFd(): number {
    let fd = this.managerFdFloor;
    while (this.usedManagerFds.has(fd)) fd++;
    this.managerFdFloor = fd;
    return fd;
  }

  private listenFamily(options: ListenOptions, holder: SocketHolder, context: BindContext): BoundSocket {
    const a = options.address;
    switch (a.family) {
      case 'unix':
        return this.listenUnix(options, holder, context);
      case 'abstract': {
        const name = a.path ?? '';
        if (this.abstract.has(name)) throw errnoError('EADDRINUSE');
        const sock = new BoundSocket(this, a, options.backlog, holder, {}, false);
        this.abstract.set(name, sock);
        this.sockets_.add(sock);
        return sock;
      }
      case 'fifo': {
        const path = a.path ?? '';
        const node = this.fs.node(path);
        if (!node) {
          this.fs.mkdir(parentOf(path), { recursive: true, mode: options.directoryMode });
          this.fs.makeSpecial(path, 'fifo', options.socketMode, options.socketUser, options.socketGroup);
        } else if (!reusableFifo(node, options)) throw errnoError('EEXIST');
        const sock = new BoundSocket(this, a, 0, holder, {}, false);
        this.sockets_.add(sock);
        this.fifoReaders.set(this.fs.node(path)!, sock);
        return sock;
      }
      case 'netlink': {
        // socket(AF_NETLINK, SOCK_RAW, protocol) as in the oracle's container: a protocol the kernel has no family
        // for is EPROTONOSUPPORT, audit (initial network namespace only) EAFNOSUPPORT. The kernel picks the port
        // id, so two units never collide; nothing is ever multicast to the socket on this machine.
        const protocol = a.netlink?.protocol ?? -1;
        if (protocol === NETLINK_AUDIT) throw errnoError('EAFNOSUPPORT');
        if (!NETLINK_PROTOCOLS.has(protocol)) throw errnoError('EPROTONOSUPPORT');
        const sock = new BoundSocket(this, a, 0, holder, {}, false);
        this.sockets_.add(sock);
        return sock;
      }
      case 'vsock':
        throw errnoError('EAFNOSUPPORT');
      default:
        return this.listenTcp(options, holder, context);
    }
  }

  /** Opens a client connection; see the file comment for the errors. */
  connect(target: string, options: { pid?: number; uid?: number } = {}): Promise<Connection> {
    let parsed: Target;
    try {
      parsed = this.parseTarget(target);
    } catch (error) {
      return Promise.reject(error);
    }
    if (parsed.kind === 'unix') return this.connectUnix(parsed.path, options);
    if (parsed.kind === 'abstract') {
      const sock = this.abstract.get(parsed.name);
      if (!sock) return Promise.reject(errnoError('ECONNREFUSED'));
      return this.establishLocal(sock, '@' + parsed.name, options);
    }
    return this.connectTcp(parsed.hosts, parsed.port);
  }

  /** Rows for `ss`: listening sockets and established connections. */
  sockets(): SocketInfo[] {
    const rows: SocketInfo[] = [];
    for (const s of this.sockets_) {
      const a = s.address;
      // ss lists netlink sockets only with -f netlink (not modelled): FIFOs and netlink have no row here.
      if (a.family === 'fifo' || a.family === 'netlink') continue;
      const isUnix = a.family === 'unix' || a.family === 'abstract';
      const stream = a.kind !== 'datagram';
      const netid: SocketInfo['netid'] = isUnix ? (a.kind === 'datagram' ? 'u_dgr' : a.kind === 'seqpacket' ? 'u_seq' : 'u_str') : stream ? 'tcp' : 'udp';
      const local = isUnix ? `${a.family === 'abstract' ? '@' + (a.path ?? '') : (a.path ?? '')} ${s.inode}` : tcpText(s);
      const peer = isUnix ? '* 0' : s.scope.v4 && s.scope.v6 ? '*:*' : s.scope.v6 ? '[::]:*' : '0.0.0.0:*';
      rows.push({
        netid,
        state: stream ? 'LISTEN' : 'UNCONN',
        recvQ: s.pending(),
        sendQ: stream ? s.backlogLimit : 0,
        local,
        peer,
        processes: s.holders.map((h) => ({ ...h })),
        ...(s.scope.v6 === 'any' && s.scope.v4 === undefined ? { v6Only: true } : {}),
      });
    }
    for (const c of this.connections) {
      if (c.isClosed()) continue;
      const isUnix = c.local.family === 'unix';
      rows.push({
        netid: isUnix ? 'u_str' : 'tcp',
        state: c.isWritable() ? 'ESTAB' : 'CLOSE-WAIT',
        recvQ: c.queuedBytes(),
        sendQ: 0,
        local: isUnix ? `${c.local.address || '*'} ${c.inode}` : endpointText(c.local),
        peer: isUnix ? `${c.remote.address || '*'} ${c.peer.inode}` : endpointText(c.remote),
        processes: [],
      });
    }
    return rows;
  }

  /** Every bound socket (for tests and the process table). */
  boundSockets(): BoundSocket[] {
    return [...this.sockets_];
  }

  /** Called by a socket when it accepted one: a waiting SYN may now get in. */
  acceptWaiter(sock: BoundSocket): void {
    const list = this.waiters.get(sock);
    if (list && list.length > 0) list.shift()!();
  }

  /** Removes a closed socket from the tables. */
  unbind(sock: BoundSocket, removePath: boolean): void {
    this.sockets_.delete(sock);
    const fd = this.managerFds.get(sock);
    if (fd !== undefined) {
      this.managerFds.delete(sock);
      this.usedManagerFds.delete(fd);
      this.managerFdFloor = Math.min(this.managerFdFloor, fd);
    }
    if (sock.address.family === 'abstract') this.abstract.delete(sock.address.path ?? '');
    if (sock.address.family === 'unix' && sock.address.path) {
      const node = this.fs.node(sock.address.path, false);
      if (node?.socketId === sock.id) {
        node.socketId = undefined;
        this.byNode.delete(sock.id);
        if (removePath) this.fs.unlink(sock.address.path);
      }
    }
    for (const [node, reader] of this.fifoReaders) if (reader === sock) this.fifoReaders.delete(node);
    if (sock.address.family === 'fifo' && removePath && sock.address.path) {
      if (this.fs.node(sock.address.path, false)?.type === 'fifo') this.fs.unlink(sock.address.path);
    }
    this.waiters.delete(sock);
  }

  private listenUnix(options: ListenOptions, holder: SocketHolder, context: BindContext): BoundSocket {
    const path = options.address.path ?? '';
    if (!path.startsWith('/')) throw errnoError('EINVAL');
    // A bind by anyone but root (a user manager, a program) creates the node: it needs write and search
    // permission on the directory that will hold it (Linux: EACCES), and the directories it makes are its own.
    const uid = context.uid ?? 0;
    if (uid !== 0) this.checkBindDirectory(parentOf(path), uid);
    this.fs.mkdir(parentOf(path), { recursive: true, mode: options.directoryMode });
    const existing = this.fs.node(path, false);
    if (existing) {
      const live = existing.type === 'socket' && existing.socketId !== undefined && this.byNode.has(existing.socketId);
      if (live || !context.unlinkStalePath) throw errnoError('EADDRINUSE');
      this.fs.unlink(path);
    }
    const sock = new BoundSocket(this, options.address, options.backlog, holder, {}, false);
    const node = this.fs.makeSpecial(path, 'socket', options.socketMode, options.socketUser, options.socketGroup);
    node.socketId = sock.id;
    this.byNode.set(sock.id, sock);
    this.sockets_.add(sock);
    return sock;
  }

  /** EACCES unless `uid` may create an entry in `dir` (or in its nearest existing ancestor, for mkdir -p). */
  private checkBindDirectory(dir: string, uid: number): void {
    let existing = dir;
    while (existing !== '/' && !this.fs.node(existing)) existing = parentOf(existing);
    const node = this.fs.node(existing);
    if (node && node.type === 'directory' && !(this.users.mayAccess(uid, node, 2) && this.users.mayAccess(uid, node, 1))) throw errnoError('EACCES');
  }

  private listenTcp(options: ListenOptions, holder: SocketHolder, context: BindContext): BoundSocket {
    const a = options.address;
    const port = a.port ?? 0;
    if ((context.uid ?? 0) !== 0 && port > 0 && port < 1024) throw errnoError('EACCES');
    let scope: TcpScope;
    let v6only = false;
    if (a.family === 'inet') {
      const host = a.host ?? '0.0.0.0';
      if (host !== '0.0.0.0' && !isLoopback4(host) && !this.addresses.includes(host) && !options.freeBind) throw errnoError('EADDRNOTAVAIL');
      scope = { v4: host === '0.0.0.0' ? 'any' : host };
    } else {
      const host = (a.host ?? '::').toLowerCase();
      const wildcard = host === '::' || a.family === 'dual';
      v6only = options.bindIPv6Only === 'ipv6-only';
      if (!wildcard && host !== '::1' && !this.addresses.includes(host) && !options.freeBind) throw errnoError('EADDRNOTAVAIL');
      if (wildcard) scope = v6only ? { v6: 'any' } : { v4: 'any', v6: 'any' };
      else if (host.startsWith('::ffff:') && isIPv4(host.slice(7))) scope = { v4: host.slice(7) };
      else scope = { v6: host };
    }
    const datagram = a.kind === 'datagram';
    for (const other of this.sockets_) {
      const o = other.address;
      if (o.port !== port || o.family === 'unix' || o.family === 'abstract' || o.family === 'fifo') continue;
      if ((o.kind === 'datagram') !== datagram) continue;
      if (overlaps(scope.v4, other.scope.v4) || overlaps(scope.v6, other.scope.v6)) throw errnoError('EADDRINUSE');
    }
    const sock = new BoundSocket(this, a, options.backlog, holder, scope, v6only);
    this.sockets_.add(sock);
    return sock;
  }

  private parseTarget(target: string): Target {
    if (target.startsWith('/')) return { kind: 'unix', path: target };
    if (target.startsWith('@')) return { kind: 'abstract', name: target.slice(1) };
    let host: string;
    let portText: string;
    const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(target);
    if (v6) [, host, portText] = v6;
    else {
      const i = target.lastIndexOf(':');
      if (i < 0) throw errnoError('EINVAL');
      host = target.slice(0, i);
      portText = target.slice(i + 1);
    }
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw errnoError('EINVAL');
    return { kind: 'tcp', hosts: this.resolve(host), port, hostText: host };
  }

  /** Name resolution as /etc/hosts on Debian has it (localhost → ::1 then 127.0.0.1; the hostname → 127.0.1.1). */
  resolve(host: string): string[] {
    const h = host.toLowerCase();
    if (h === 'localhost' || h === 'localhost.localdomain') return ['::1', '127.0.0.1'];
    if (h === 'ip6-localhost' || h === 'ip6-loopback') return ['::1'];
    if (h === this.hostname.toLowerCase()) return ['127.0.1.1'];
    if (isIPv4(h) || h.includes(':')) return [h];
    throw new KernelError('ENOTFOUND', 'Name or service not known');
  }

  private findTcp(ip: string, port: number): BoundSocket | undefined {
    let v4: string | undefined;
    let v6: string | undefined;
    if (isIPv4(ip)) v4 = ip;
    else if (ip.toLowerCase().startsWith('::ffff:') && isIPv4(ip.slice(7))) v4 = ip.slice(7);
    else v6 = ip.toLowerCase();
    let best: BoundSocket | undefined;
    let bestRank = 0;
    for (const s of this.sockets_) {
      if (s.address.port !== port || s.address.kind === 'datagram' || s.address.family === 'unix' || s.address.family === 'abstract' || s.address.family === 'fifo') continue;
      let rank = 0;
      if (v4 !== undefined && s.scope.v4 === v4) rank = 4;
      else if (v6 !== undefined && s.scope.v6 === v6) rank = 4;
      else if (v4 !== undefined && s.scope.v4 === 'any' && !s.scope.v6) rank = 3;
      else if (v6 !== undefined && s.scope.v6 === 'any') rank = s.scope.v4 ? 2 : 3;
      else if (v4 !== undefined && s.scope.v4 === 'any') rank = 2;
      if (rank > bestRank) {
        best = s;
        bestRank = rank;
      }
    }
    return best;
  }

  private async connectTcp(hosts: string[], port: number): Promise<Connection> {
    let lastError: KernelError = errnoError('ECONNREFUSED');
    for (const ip of hosts) {
      const sock = this.findTcp(ip, port);
      if (!sock) {
        lastError = errnoError('ECONNREFUSED');
        continue;
      }
      return this.establishTcp(sock, ip, port);
    }
    throw lastError;
  }

  private establishTcp(sock: BoundSocket, ip: string, port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      let attempt = 0;
      const tryNow = (): void => {
        if (sock.closed) return reject(errnoError('ECONNREFUSED'));
        if (!sock.hasRoom()) {
          // SYN dropped: retransmit later, or get in as soon as an accept makes room.
          if (attempt >= SYN_RETRY_DELAYS_MS.length) return reject(errnoError('ETIMEDOUT'));
          const delay = SYN_RETRY_DELAYS_MS[attempt++];
          let done = false;
          const list = this.waiters.get(sock) ?? [];
          this.waiters.set(sock, list);
          const timer = this.clock.setTimer(delay, () => {
            if (done) return;
            done = true;
            const i = list.indexOf(wake);
            if (i >= 0) list.splice(i, 1);
            if (attempt >= SYN_RETRY_DELAYS_MS.length && !sock.hasRoom()) return reject(errnoError('ETIMEDOUT'));
            tryNow();
          });
          const wake = (): void => {
            // Room appeared; the next retransmission would get in. We let it in at once rather than
            // waiting out the retransmission timer (documented simplification: no SYN-SENT latency).
            if (done) return;
            done = true;
            this.clock.cancelTimer(timer);
            tryNow();
          };
          list.push(wake);
          return;
        }
        const v4 = isIPv4(ip);
        const family: Endpoint['family'] = v4 ? 'inet' : 'inet6';
        const clientPort = this.ephemeralPort();
        const client: Endpoint = { family, address: ip, port: clientPort };
        const serverSide: Endpoint = { family, address: ip, port };
        // A v4 client on a dual-stack socket is seen as a v4-mapped IPv6 address by the server.
        const mapped = v4 && !!sock.scope.v6;
        const serverLocal: Endpoint = mapped ? { family: 'inet6', address: `::ffff:${ip}`, port } : serverSide;
        const serverRemote: Endpoint = mapped ? { family: 'inet6', address: `::ffff:${ip}`, port: clientPort } : client;
        const [clientEnd, serverEnd] = connectionPair(
          { clientLocal: client, clientRemote: serverSide, serverLocal, serverRemote },
          [nextInode++, nextInode++],
        );
        this.track(clientEnd);
        this.track(serverEnd);
        sock.enqueue(serverEnd);
        resolve(clientEnd);
      };
      tryNow();
    });
  }

  /** Search permission on every directory on the way to `path` (ENOENT, ENOTDIR, EACCES as path lookup). */
  private searchDirectories(path: string, uid: number): void {
    let dir = '';
    for (const part of path.split('/').filter(Boolean).slice(0, -1)) {
      dir += '/' + part;
      const d = this.fs.node(dir);
      if (!d) throw errnoError('ENOENT');
      if (d.type !== 'directory') throw errnoError('ENOTDIR');
      if (!this.users.mayAccess(uid, d, 1)) throw errnoError('EACCES');
    }
  }

  private connectUnix(path: string, options: { pid?: number; uid?: number }): Promise<Connection> {
    const uid = options.uid ?? 0;
    let node;
    try {
      // Search permission on every directory on the way, then write permission on the socket node.
      this.searchDirectories(path, uid);
      node = this.fs.node(path);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!node) return Promise.reject(errnoError('ENOENT'));
    if (node.type !== 'socket') return Promise.reject(errnoError('ECONNREFUSED'));
    if (!this.users.mayAccess(uid, node, 2)) return Promise.reject(errnoError('EACCES'));
    const sock = node.socketId !== undefined ? this.byNode.get(node.socketId) : undefined;
    if (!sock || sock.closed) return Promise.reject(errnoError('ECONNREFUSED'));
    // A stream connect() to a datagram socket: Linux refuses it (nc -U, curl --unix-socket on /dev/log).
    if (sock.address.kind === 'datagram') return Promise.reject(errnoError('EPROTOTYPE'));
    return this.establishLocal(sock, path, options);
  }

  private establishLocal(sock: BoundSocket, address: string, options: { pid?: number; uid?: number }): Promise<Connection> {
    if (!sock.hasRoom()) return Promise.reject(errnoError('EAGAIN'));
    const client: Endpoint = { family: 'unix', address: '' };
    const server: Endpoint = { family: 'unix', address };
    const peer: Endpoint = { family: 'unix', address: '', pid: options.pid ?? 0, uid: options.uid ?? 0 };
    const [clientEnd, serverEnd] = connectionPair({ clientLocal: client, clientRemote: server, serverLocal: server, serverRemote: peer }, [nextInode++, nextInode++]);
    this.track(clientEnd);
    this.track(serverEnd);
    sock.enqueue(serverEnd);
    return Promise.resolve(clientEnd);
  }

  private track(end: ConnectionEnd): void {
    this.connections.add(end);
    end.onFinalClose = () => this.connections.delete(end);
  }

  private ephemeralPort(): number {
    const port = this.nextPort;
    this.nextPort = port >= 60999 ? 32768 : port + 1;
    return port;
  }
}

/**
 * Whether PID 1 may reuse a FIFO node that is already there. systemd 252's fifo_address_create() keeps an
 * existing FIFO only if it has exactly the mode asked for and belongs to root:root (its own uid and gid),
 * before it applies SocketUser=/SocketGroup=; anything else fails with EEXIST ("Failed to open FIFO …: File
 * exists"). So a FIFO with SocketGroup= cannot be reopened on restart unless RemoveOnStop=yes removed it.
 */
function reusableFifo(node: { type: string; mode: number; user: string; group: string }, options: ListenOptions): boolean {
  return node.type === 'fifo' && (node.mode & 0o7777) === options.socketMode && node.user === 'root' && node.group === 'root';
}

/** Whether two bind scopes of one family collide. */
function overlaps(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return a === 'any' || b === 'any' || a === b;
}

/** ss's text for a listening TCP socket: `*:8080` (dual-stack), `[::]:8080`, `0.0.0.0:8080`, `127.0.0.1:8080`. */
function tcpText(s: BoundSocket): string {
  const port = s.address.port ?? 0;
  if (s.scope.v4 === 'any' && s.scope.v6 === 'any') return `*:${port}`;
  if (s.scope.v6 !== undefined) return `[${s.scope.v6 === 'any' ? '::' : s.scope.v6}]:${port}`;
  return `${s.scope.v4 === 'any' ? '0.0.0.0' : s.scope.v4}:${port}`;
}

/** `ip:port` with brackets around IPv6. */
function endpointText(e: Endpoint): string {
  return e.family === 'inet6' ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

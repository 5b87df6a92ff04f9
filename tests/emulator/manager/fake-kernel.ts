/**
 * A small in-memory Kernel for the manager's tests: a virtual clock, a map file system, sockets with
 * a backlog, and processes whose behaviour is a test-supplied function. Deliberately minimal; the real
 * in-memory kernel lives in src/emulator/kernel/memory/.
 */
import { KernelError } from '../../../src/emulator/kernel/kernel.ts';
import type {
  Clock, Connection, Endpoint, ExitStatus, FileStat, FileSystem, Kernel, ListenOptions, ListeningSocket,
  Network, Process, ProcessTable, SocketInfo, SpawnOptions,
} from '../../../src/emulator/kernel/kernel.ts';

/** What a fake program sees. */
export interface ProgramContext {
  pid: number;
  argv: string[];
  env: Record<string, string>;
  fds: Array<ListeningSocket | Connection>;
  stdio?: Connection;
  print(line: string): void;
  notify(message: string): void;
  exit(code: number): void;
  /** Replaces the default signal action (exit by the signal). */
  onSignal(handler: (signal: string) => void): void;
}
export type Program = (ctx: ProgramContext) => void;

/** A virtual clock: timers run only when advance() is called. */
export class VirtualClock implements Clock {
  time = Date.UTC(2026, 10, 27, 10, 0, 0);
  private timers = new Map<number, { at: number; cb: () => void }>();
  private next = 1;
  now(): number { return this.time; }
  setTimer(ms: number, cb: () => void): number {
    const id = this.next++;
    this.timers.set(id, { at: this.time + ms, cb });
    return id;
  }
  cancelTimer(handle: number): void { this.timers.delete(handle); }
  /** Runs every timer due within `ms`, in time order, letting microtasks settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    await settle();
    for (;;) {
      let best: [number, { at: number; cb: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (!best || entry[1].at < best[1].at)) best = entry;
      if (!best) break;
      this.timers.delete(best[0]);
      this.time = Math.max(this.time, best[1].at);
      best[1].cb();
      await settle();
    }
    this.time = end;
    await settle();
  }
}

/** Lets queued microtasks and promise chains run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

interface Node { type: FileStat['type']; data: string; target?: string; mode: number; user: string; group: string }

class MapFs implements FileSystem {
  nodes = new Map<string, Node>([['/', { type: 'directory', data: '', mode: 0o755, user: 'root', group: 'root' }]]);
  private watchers: Array<{ path: string; cb: () => void }> = [];
  private resolve(path: string): string {
    for (let i = 0; i < 10; i++) {
      const node = this.nodes.get(path);
      if (node?.type !== 'symlink') return path;
      path = node.target!.startsWith('/') ? node.target! : `${parent(path)}/${node.target}`;
    }
    return path;
  }
  private changed(path: string): void {
    for (const w of [...this.watchers]) if (path === w.path || path.startsWith(`${w.path}/`) || w.path.startsWith(`${path}/`)) w.cb();
  }
  readFile(path: string): string {
    const node = this.nodes.get(this.resolve(path));
    if (!node) throw new KernelError('ENOENT', `${path}: No such file or directory`);
    if (node.type === 'directory') throw new KernelError('EISDIR', `${path}: Is a directory`);
    return node.data;
  }
  writeFile(path: string, data: string, options?: { mode?: number; mkdirs?: boolean }): void {
    if (options?.mkdirs) this.mkdir(parent(path), { recursive: true });
    if (!this.nodes.has(parent(path))) throw new KernelError('ENOENT', `${parent(path)}: No such file or directory`);
    this.nodes.set(this.resolve(path), { type: 'file', data, mode: options?.mode ?? 0o644, user: 'root', group: 'root' });
    this.changed(path);
  }
  lstat(path: string): FileStat | undefined {
    const n = this.nodes.get(path);
    return n && { type: n.type, mode: n.mode, user: n.user, group: n.group, size: n.data.length, mtimeMs: 0 };
  }
  stat(path: string): FileStat | undefined {
    return this.lstat(this.resolve(path));
  }
  readdir(path: string): string[] {
    const dir = this.resolve(path);
    const node = this.nodes.get(dir);
    if (!node) throw new KernelError('ENOENT', `${path}: No such file or directory`);
    if (node.type !== 'directory') throw new KernelError('ENOTDIR', `${path}: Not a directory`);
    const prefix = dir === '/' ? '/' : `${dir}/`;
    return [...this.nodes.keys()].filter((p) => p.startsWith(prefix) && p !== dir && !p.slice(prefix.length).includes('/')).map((p) => p.slice(prefix.length)).sort();
  }
  mkdir(path: string, options?: { recursive?: boolean; mode?: number }): void {
    if (this.nodes.has(path)) return;
    if (!this.nodes.has(parent(path))) {
      if (!options?.recursive) throw new KernelError('ENOENT', `${path}: No such file or directory`);
      this.mkdir(parent(path), options);
    }
    this.nodes.set(path, { type: 'directory', data: '', mode: options?.mode ?? 0o755, user: 'root', group: 'root' });
    this.changed(path);
  }
  unlink(path: string): void {
    if (!this.nodes.delete(path)) throw new KernelError('ENOENT', `${path}: No such file or directory`);
    this.changed(path);
  }
  symlink(target: string, path: string): void {
    if (this.nodes.has(path)) throw new KernelError('EEXIST', `${path}: File exists`);
    this.nodes.set(path, { type: 'symlink', data: '', target, mode: 0o777, user: 'root', group: 'root' });
    this.changed(path);
  }
  readlink(path: string): string {
    const n = this.nodes.get(path);
    if (n?.type !== 'symlink') throw new KernelError('EINVAL', `${path}: Invalid argument`);
    return n.target!;
  }
  chmod(path: string, mode: number): void { const n = this.nodes.get(this.resolve(path)); if (n) n.mode = mode; }
  chown(path: string, user: string, group: string): void { const n = this.nodes.get(this.resolve(path)); if (n) { n.user = user; n.group = group; } }
  watch(path: string, cb: () => void): () => void {
    const w = { path, cb };
    this.watchers.push(w);
    return () => { this.watchers = this.watchers.filter((x) => x !== w); };
  }
}

function parent(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

let nextId = 1;

/** One end of a connection pair. */
class End implements Connection {
  readonly id = nextId++;
  peer!: End;
  closed = false;
  private dataCbs: Array<(d: Uint8Array) => void> = [];
  private endCbs: Array<() => void> = [];
  private closeCbs: Array<(e?: KernelError) => void> = [];
  private buffered: Uint8Array[] = [];
  private ended = false;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  constructor(local: Endpoint, remote: Endpoint) { this.local = local; this.remote = remote; }
  write(data: Uint8Array | string): void {
    if (this.closed) return;
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    this.peer.receive(bytes);
  }
  private receive(bytes: Uint8Array): void {
    if (this.dataCbs.length === 0) this.buffered.push(bytes);
    else for (const cb of this.dataCbs) cb(bytes);
  }
  end(): void { if (!this.closed) { this.closed = true; this.peer.peerEnded(); this.fireClose(); } }
  destroy(): void { if (!this.closed) { this.closed = true; this.peer.peerEnded(new KernelError('ECONNRESET', 'Connection reset by peer')); this.fireClose(); } }
  private peerEnded(error?: KernelError): void {
    this.ended = true;
    for (const cb of this.endCbs) cb();
    if (error) { this.closed = true; this.fireClose(error); }
  }
  private fireClose(error?: KernelError): void { for (const cb of this.closeCbs) cb(error); }
  onData(cb: (d: Uint8Array) => void): () => void {
    this.dataCbs.push(cb);
    const pending = this.buffered; this.buffered = [];
    for (const b of pending) cb(b);
    return () => { this.dataCbs = this.dataCbs.filter((x) => x !== cb); };
  }
  onEnd(cb: () => void): () => void { this.endCbs.push(cb); if (this.ended) cb(); return () => {}; }
  onClose(cb: (e?: KernelError) => void): () => void { this.closeCbs.push(cb); return () => {}; }
}

class FakeListener implements ListeningSocket {
  readonly id = nextId++;
  readonly address: ListenOptions['address'];
  backlog: End[] = [];
  closed = false;
  private cbs: Array<() => void> = [];
  readonly options: ListenOptions;
  constructor(options: ListenOptions) { this.options = options; this.address = options.address; }
  pending(): number { return this.backlog.length; }
  onPending(cb: () => void): () => void { this.cbs.push(cb); return () => { this.cbs = this.cbs.filter((x) => x !== cb); }; }
  push(end: End): void { this.backlog.push(end); for (const cb of [...this.cbs]) cb(); }
  accept(): Connection | undefined { return this.backlog.shift(); }
  close(): void { this.closed = true; for (const c of this.backlog) c.destroy(); this.backlog = []; }
}

class FakeNet implements Network {
  listeners: FakeListener[] = [];
  private fs: MapFs;
  private clientPort = 40000;
  constructor(fs: MapFs) { this.fs = fs; }
  listen(options: ListenOptions): ListeningSocket {
    const a = options.address;
    if (this.listeners.some((l) => !l.closed && l.address.text === a.text)) throw new KernelError('EADDRINUSE', 'Address already in use');
    const l = new FakeListener(options);
    if (a.path && a.family === 'unix') this.fs.writeFile(a.path, '', { mkdirs: true, mode: options.socketMode });
    this.listeners.push(l);
    return l;
  }
  private find(target: string): FakeListener | undefined {
    const open = this.listeners.filter((l) => !l.closed);
    const exact = open.find((l) => l.address.text === target || l.address.path === target);
    if (exact) return exact;
    const port = Number(target.slice(target.lastIndexOf(':') + 1));
    return open.find((l) => l.address.port === port && ['0.0.0.0', '::', undefined].includes(l.address.host));
  }
  async connect(target: string, options?: { pid?: number; uid?: number }): Promise<Connection> {
    const l = this.find(target);
    if (!l) throw new KernelError('ECONNREFUSED', 'Connection refused');
    const unix = l.address.family === 'unix' || l.address.family === 'abstract';
    const port = this.clientPort++;
    const serverLocal: Endpoint = unix ? { family: 'unix', address: l.address.path ?? '' } : { family: 'inet', address: target.startsWith('[') ? '::1' : target.split(':')[0] || '127.0.0.1', port: l.address.port };
    if (!unix && target.startsWith('[')) serverLocal.family = 'inet6';
    const clientLocal: Endpoint = unix ? { family: 'unix', address: '', pid: options?.pid ?? 4242, uid: options?.uid ?? 1000 } : { family: serverLocal.family, address: serverLocal.address, port };
    const client = new End(clientLocal, serverLocal);
    const server = new End(serverLocal, clientLocal);
    client.peer = server; server.peer = client;
    l.push(server);
    return client;
  }
  sockets(): SocketInfo[] {
    return this.listeners.filter((l) => !l.closed).map((l) => ({
      netid: l.address.family === 'unix' ? 'u_str' : 'tcp', state: 'LISTEN', recvQ: l.pending(), sendQ: l.options.backlog,
      local: l.address.text, peer: '*', processes: [{ name: 'systemd', pid: 1, fd: 10 + l.id }],
    }));
  }
}

class FakeProcesses implements ProcessTable {
  programs = new Map<string, Program>();
  running = new Map<number, Process>();
  spawned: Array<{ pid: number; options: SpawnOptions; env: Record<string, string> }> = [];
  private nextPid = 100;
  spawn(options: SpawnOptions): Process {
    const program = this.programs.get(options.argv[0]);
    if (!program) throw new KernelError('ENOENT', 'No such file or directory');
    const pid = this.nextPid++;
    const env = { ...options.env };
    if (options.setListenPid) env.LISTEN_PID = String(pid);
    this.spawned.push({ pid, options, env });
    const exitCbs: Array<(s: ExitStatus) => void> = [];
    let exited = false;
    let signalHandler: ((s: string) => void) | undefined;
    const finish = (status: ExitStatus): void => {
      if (exited) return;
      exited = true;
      this.running.delete(pid);
      queueMicrotask(() => { for (const cb of exitCbs) cb(status); });
    };
    const process: Process = {
      pid, argv: options.argv,
      kill: (signal: string) => {
        if (exited) return;
        if (signal !== 'SIGKILL' && signalHandler) signalHandler(signal);
        else finish({ signal });
      },
      onExit: (cb) => { exitCbs.push(cb); return () => {}; },
    };
    this.running.set(pid, process);
    // Like the memory kernel (and fork/exec): the program runs after spawn() returned, never inside it.
    queueMicrotask(() => program({
      pid, argv: options.argv, env, fds: options.fds, stdio: options.stdioConnection,
      print: (line) => options.onOutput(line, 'stdout'),
      notify: (m) => options.onNotify(m),
      exit: (code) => finish({ code }),
      onSignal: (h) => { signalHandler = h; },
    }));
    return process;
  }
  list(): Process[] { return [...this.running.values()]; }
}

/** The fake machine with handles the tests poke at. */
export interface FakeKernel extends Kernel {
  clock: VirtualClock;
  fs: MapFs;
  net: FakeNet;
  processes: FakeProcesses;
}

/** Creates a fake kernel with `files` written in. */
export function createFakeKernel(files: Record<string, string> = {}): FakeKernel {
  const fs = new MapFs();
  for (const [path, data] of Object.entries(files)) fs.writeFile(path, data, { mkdirs: true });
  return { clock: new VirtualClock(), fs, net: new FakeNet(fs), processes: new FakeProcesses(), hostname: 'lab' };
}

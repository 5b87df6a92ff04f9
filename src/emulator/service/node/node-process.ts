/**
 * `process` for sandboxed programs: env, pid, argv, exit/exitCode, signal handlers, nextTick, and
 * stdin/stdout/stderr. With StandardInput=socket, stdin and stdout ARE the connection (inetd style);
 * otherwise stdout/stderr go to the journal line by line and stdin is empty (/dev/null).
 */
import type { SandboxHost } from '../sandbox-host.ts';
import { ProcessExitSignal } from '../sandbox-host.ts';
import { SandboxBuffer } from './buffer.ts';
import { EventEmitter } from './events.ts';
import { LAB_NODE_VERSION } from './node-internals.ts';

const SIGNALS = new Set(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGQUIT']);

/** Node's version as the sandbox reports it: the lab machine's (Debian 12's Node.js 18). */
export const SANDBOX_NODE_VERSION = LAB_NODE_VERSION;

/** A writable stdio stream. */
class StdoutStream extends EventEmitter {
  readonly isTTY = false;
  private readonly put: (text: string | Uint8Array) => void;
  private readonly close: () => void;
  constructor(put: (text: string | Uint8Array) => void, close: () => void) {
    super();
    this.put = put;
    this.close = close;
  }
  /** Writes text or bytes. */
  write(data: string | Uint8Array, encoding?: string | (() => void), cb?: () => void): boolean {
    this.put(data);
    const done = typeof encoding === 'function' ? encoding : cb;
    if (done) queueMicrotask(done);
    return true;
  }
  /** Writes the last data; for a socket stdout, half-closes it. */
  end(data?: string | Uint8Array): void {
    if (data !== undefined) this.put(data);
    this.close();
  }
}

/** stdin: the connection's incoming data, or nothing. */
class StdinStream extends EventEmitter {
  readonly isTTY = false;
  private encoding: string | undefined;
  private started = false;
  private readonly host: SandboxHost;
  constructor(host: SandboxHost) {
    super();
    this.host = host;
  }
  /** Decodes 'data' as text. */
  setEncoding(encoding = 'utf8'): this {
    this.encoding = encoding;
    return this;
  }
  /** Starts the flow (also started by adding a 'data' listener). */
  resume(): this {
    this.start();
    return this;
  }
  /** Not modelled: data keeps flowing. */
  pause(): this {
    return this;
  }
  /** Forwards to `dest`. */
  pipe<T extends { write(d: unknown): unknown; end?(): unknown }>(dest: T): T {
    this.on('data', (d: unknown) => dest.write(d));
    this.on('end', () => dest.end?.());
    return dest;
  }
  protected override listenerAdded(name: string | symbol): void {
    if (name === 'data' || name === 'end' || name === 'readable') this.start();
  }
  private start(): void {
    if (this.started) return;
    this.started = true;
    const conn = this.host.stdio;
    if (!conn) {
      queueMicrotask(this.host.guard(() => this.emit('end')));
      return;
    }
    const release = this.host.ref();
    conn.onData(this.host.guard((bytes: Uint8Array) => this.emit('data', this.encoding ? SandboxBuffer.from(bytes).toString(this.encoding) : SandboxBuffer.from(bytes))));
    conn.onEnd(
      this.host.guard(() => {
        release();
        this.emit('end');
      }),
    );
    conn.onClose(() => release());
  }
}

/** Builds the `process` object of one sandboxed process. */
export function createProcessObject(host: SandboxHost) {
  const emitter = new EventEmitter();
  const text = (d: string | Uint8Array): string => (typeof d === 'string' ? d : SandboxBuffer.from(d).toString());
  const stdout = host.stdio
    ? new StdoutStream(
        (d) => host.stdio!.write(d),
        () => host.stdio!.end(),
      )
    : new StdoutStream(
        (d) => host.write('stdout', text(d)),
        () => {},
      );
  const stderr = new StdoutStream(
    (d) => host.write('stderr', text(d)),
    () => {},
  );
  const process = {
    env: host.env,
    pid: host.pid,
    ppid: 1,
    argv: host.argv,
    argv0: 'node',
    execPath: '/usr/bin/node',
    execArgv: [] as string[],
    platform: 'linux',
    arch: 'x64',
    version: SANDBOX_NODE_VERSION,
    versions: { node: SANDBOX_NODE_VERSION.slice(1) },
    title: 'node',
    exitCode: undefined as number | undefined,
    stdout,
    stderr,
    stdin: new StdinStream(host),
    /** Exits now with `code` (default process.exitCode or 0); never returns. */
    exit(code?: number): never {
      const c = code ?? process.exitCode ?? 0;
      host.exit({ code: c });
      throw new ProcessExitSignal(c);
    },
    cwd: () => host.cwd,
    uptime: () => 0,
    hrtime: Object.assign((): [number, number] => [Math.floor(host.clock.now() / 1000), (host.clock.now() % 1000) * 1e6], { bigint: () => BigInt(host.clock.now()) * 1000000n }),
    memoryUsage: () => ({ rss: 30_000_000, heapTotal: 6_000_000, heapUsed: 4_000_000, external: 1_000_000 }),
    nextTick: (fn: (...a: unknown[]) => void, ...args: unknown[]) => queueMicrotask(host.guard(() => fn(...args), 'nextTick')),
    umask: () => 0o022,
    getuid: () => host.uid,
    geteuid: () => host.uid,
    kill: (pid: number, signal = 'SIGTERM') => {
      if (pid !== host.pid) throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
      emitter.emit(signal);
      return true;
    },
    on(name: string, fn: (...a: unknown[]) => void) {
      emitter.on(name, fn);
      if (SIGNALS.has(name)) host.setSignalHandler(name, () => emitter.emit(name, name));
      if (name === 'exit') host.onProgramExit((code) => fn(code));
      return process;
    },
    once(name: string, fn: (...a: unknown[]) => void) {
      emitter.once(name, fn);
      if (SIGNALS.has(name)) host.setSignalHandler(name, () => emitter.emit(name, name));
      if (name === 'exit') host.onProgramExit((code) => fn(code));
      return process;
    },
    off(name: string, fn: (...a: unknown[]) => void) {
      emitter.off(name, fn);
      if (SIGNALS.has(name) && emitter.listenerCount(name) === 0) host.setSignalHandler(name, undefined);
      return process;
    },
    emit: (name: string, ...args: unknown[]) => emitter.emit(name, ...args),
    listenerCount: (name: string) => emitter.listenerCount(name),
  };
  (process as Record<string, unknown>).addListener = process.on;
  (process as Record<string, unknown>).removeListener = process.off;
  return process;
}

/**
 * Runs a lab program with a small Node surface, on the in-memory kernel.
 *
 * A JavaScript file is compiled with `new Function` inside a CommonJS-style wrapper whose parameters are
 * every global the program may use (require, module, exports, __filename, __dirname, process, console,
 * Buffer, timers); ES module syntax is first rewritten to require() (see esm-to-cjs.ts) and then runs in an
 * async wrapper so top-level await works. Host globals a browser or worker has (window, document, self,
 * globalThis, fetch, importScripts, XMLHttpRequest, WebSocket, postMessage, …) are parameters bound to
 * undefined, so a program cannot touch the page by accident. This is isolation by scope, not a security
 * boundary: the code runs in the emulator's realm (a Worker in the browser), so `Function('return this')()`
 * still reaches that realm's global. Lab programs are course material or the learner's own code.
 *
 * Built-in programs are functions that receive the same surface (ProgramFactory).
 *
 * Every compiled file is first rewritten by preempt.ts so that a program that never returns to its event
 * loop is stopped by the kernel instead of freezing the machine (see there for why not one Worker each).
 */
import { normalizePath } from '../path-util.ts';
import type { SandboxHost } from './sandbox-host.ts';
import { ProcessExitSignal } from './sandbox-host.ts';
import { SandboxBuffer } from './node/buffer.ts';
import { EventEmitter } from './node/events.ts';
import { createFsModule } from './node/node-fs.ts';
import { createNetModule } from './node/node-net.ts';
import { createHttpModule } from './node/node-http.ts';
import { createProcessObject, SANDBOX_NODE_VERSION } from './node/node-process.ts';
import { createSdDaemon } from './sd-daemon.ts';
import { esmToCjs, looksLikeEsm } from './esm-to-cjs.ts';
import { formatArgs } from './console-format.ts';
import { noteEntry, noteNodeOrigin, withSyntaxLocation } from './error-report.ts';
import { MODULE_NOT_FOUND_SOURCE, REQUIRE_FRAMES } from './node/node-internals.ts';
import type { EntryPoint } from './node/node-internals.ts';
import { instrumentSource, PREEMPT_CHECK, ProcessHungSignal } from './preempt.ts';

/** The globals a program gets. */
export interface NodeSurface {
  require: (name: string) => unknown;
  process: ReturnType<typeof createProcessObject>;
  console: Record<string, (...args: unknown[]) => void>;
  Buffer: typeof SandboxBuffer;
  setTimeout: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => TimerHandle;
  clearTimeout: (t: TimerHandle | undefined) => void;
  setInterval: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => TimerHandle;
  clearInterval: (t: TimerHandle | undefined) => void;
  setImmediate: (fn: (...a: unknown[]) => void, ...args: unknown[]) => TimerHandle;
  clearImmediate: (t: TimerHandle | undefined) => void;
  queueMicrotask: (fn: () => void) => void;
}

/** A built-in program: receives the Node surface, like a script would. */
export type ProgramFactory = (node: NodeSurface) => void | Promise<void>;

/** What setTimeout returns (Node's Timeout, reduced). */
export interface TimerHandle {
  ref(): TimerHandle;
  unref(): TimerHandle;
  hasRef(): boolean;
  refresh(): TimerHandle;
  [Symbol.toPrimitive](): number;
}

/** Names bound to undefined inside the wrapper. */
export const SHADOWED_GLOBALS = [
  'window', 'document', 'self', 'globalThis', 'global', 'fetch', 'importScripts', 'XMLHttpRequest', 'WebSocket',
  'postMessage', 'navigator', 'location', 'localStorage', 'sessionStorage', 'indexedDB', 'Worker', 'SharedWorker',
  'BroadcastChannel', 'caches', 'addEventListener', 'removeEventListener', 'onmessage', 'close', 'parent', 'top', 'frames', 'opener',
];

const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>;

/** Timers through the kernel clock; a pending timer keeps the process alive unless unref'd. */
function createTimers(host: SandboxHost) {
  const make = (fn: (...a: unknown[]) => void, ms: number, args: unknown[], repeat: boolean, entry: EntryPoint = 'timeout'): TimerHandle => {
    let handle = -1;
    let release: (() => void) | undefined = host.ref();
    let active = true;
    const delay = Math.max(repeat ? 1 : 0, Number(ms) || 0);
    const fire = (): void => {
      if (!active || host.exited) return;
      if (repeat) arm();
      else {
        active = false;
        release?.();
        release = undefined;
      }
      host.guard(fn, entry)(...args);
    };
    const arm = (): void => {
      handle = host.clock.setTimer(delay, fire);
    };
    arm();
    const cleanupDrop = host.onCleanup(() => host.clock.cancelTimer(handle));
    const timer: TimerHandle & { cancel(): void } = {
      ref() {
        if (!release && active) release = host.ref();
        return timer;
      },
      unref() {
        release?.();
        release = undefined;
        return timer;
      },
      hasRef: () => release !== undefined,
      refresh() {
        if (active) {
          host.clock.cancelTimer(handle);
          arm();
        }
        return timer;
      },
      cancel() {
        if (!active) return;
        active = false;
        host.clock.cancelTimer(handle);
        cleanupDrop();
        release?.();
        release = undefined;
      },
      [Symbol.toPrimitive]: () => handle,
    };
    return timer;
  };
  const clear = (t: TimerHandle | undefined): void => (t as { cancel?: () => void } | undefined)?.cancel?.();
  return {
    setTimeout: (fn: (...a: unknown[]) => void, ms = 0, ...args: unknown[]) => make(fn, ms, args, false),
    setInterval: (fn: (...a: unknown[]) => void, ms = 0, ...args: unknown[]) => make(fn, ms, args, true),
    setImmediate: (fn: (...a: unknown[]) => void, ...args: unknown[]) => make(fn, 0, args, false, 'immediate'),
    clearTimeout: clear,
    clearInterval: clear,
    clearImmediate: clear,
  };
}

/** A minimal `path` module (POSIX). */
const pathModule = {
  sep: '/',
  basename: (p: string, ext?: string) => {
    const b = p.replace(/\/+$/, '').split('/').pop() ?? '';
    return ext && b.endsWith(ext) ? b.slice(0, -ext.length) : b;
  },
  dirname: (p: string) => {
    const parts = p.replace(/\/+$/, '').split('/');
    parts.pop();
    return parts.join('/') || (p.startsWith('/') ? '/' : '.');
  },
  extname: (p: string) => /(\.[^./]*)$/.exec(p.split('/').pop() ?? '')?.[1] ?? '',
  join: (...parts: string[]) => normalizePath(parts.filter(Boolean).join('/')),
  resolve: (...parts: string[]) => normalizePath(parts.reduce((acc, p) => (p.startsWith('/') ? p : `${acc}/${p}`), '/')),
  normalize: (p: string) => normalizePath(p),
  isAbsolute: (p: string) => p.startsWith('/'),
};

/** Builds the surface for one process; `filename` anchors relative requires. */
export function createNodeSurface(host: SandboxHost, filename: string): NodeSurface {
  const process = createProcessObject(host);
  const timers = createTimers(host);
  const line = (stream: 'stdout' | 'stderr') => (...args: unknown[]) => (stream === 'stdout' ? process.stdout : process.stderr).write(formatArgs(args) + '\n');
  const console = { log: line('stdout'), info: line('stdout'), debug: line('stdout'), error: line('stderr'), warn: line('stderr'), trace: line('stderr') };
  const cache = new Map<string, unknown>();
  let net: ReturnType<typeof createNetModule> | undefined;
  const netModule = () => (net ??= createNetModule(host));
  const builtins: Record<string, () => unknown> = {
    net: netModule,
    http: () => createHttpModule(netModule(), () => host.clock.now()),
    fs: () => createFsModule(host),
    'fs/promises': () => createFsModule(host).promises,
    events: () => Object.assign(EventEmitter, { EventEmitter, default: EventEmitter }),
    path: () => pathModule,
    os: () => ({ hostname: () => host.hostname, EOL: '\n', platform: () => 'linux', type: () => 'Linux', tmpdir: () => '/tmp', homedir: () => host.env.HOME ?? '/root' }),
    process: () => process,
    buffer: () => ({ Buffer: SandboxBuffer }),
    timers: () => timers,
    util: () => ({ format: (...a: unknown[]) => formatArgs(a), inspect: (v: unknown) => formatArgs([v]) }),
    'sd-daemon': () => createSdDaemon({ env: host.env, pid: host.pid, isFdOpen: (fd) => host.isFdOpen(fd), notify: (m) => host.notify(m) }),
  };
  const surface: NodeSurface = { require: makeRequire(filename), process, console, Buffer: SandboxBuffer, ...timers, queueMicrotask: (fn) => queueMicrotask(host.guard(fn)) };

  function makeRequire(from: string) {
    return (name: string): unknown => {
      const bare = name.startsWith('node:') ? name.slice(5) : name;
      if (builtins[bare]) {
        if (!cache.has(bare)) cache.set(bare, builtins[bare]());
        return cache.get(bare);
      }
      if (name.startsWith('./') || name.startsWith('../') || name.startsWith('/')) {
        const base = name.startsWith('/') ? name : pathModule.resolve(pathModule.dirname(from), name);
        const file = [base, `${base}.js`, `${base}.cjs`, `${base}/index.js`].find((p) => host.fs.stat(p)?.type === 'file');
        if (file) {
          if (!cache.has(file)) {
            const module = { exports: {} as unknown };
            cache.set(file, module.exports);
            runModule(host.fs.readFile(file), file, module, makeRequire(file));
            cache.set(file, module.exports);
          }
          return cache.get(file);
        }
      }
      const missing = Object.assign(new Error(`Cannot find module '${name}'\nRequire stack:\n- ${from}`), { code: 'MODULE_NOT_FOUND', requireStack: [from] });
      throw noteNodeOrigin(missing, { frames: REQUIRE_FRAMES, withProgram: true, entry: host.entry, source: MODULE_NOT_FOUND_SOURCE });
    };
  }

  function runModule(source: string, file: string, module: { exports: unknown }, require: (n: string) => unknown): unknown {
    const esm = file.endsWith('.mjs') || looksLikeEsm(source);
    const plain = esm ? esmToCjs(source) : source.replace(/^#!.*/, '');
    const names = ['exports', 'require', 'module', '__filename', '__dirname', 'process', 'console', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask', '__importDefault', '__importMeta', PREEMPT_CHECK, ...SHADOWED_GLOBALS];
    const compile = (text: string) => {
      const body = `${text}\n//# sourceURL=${file}`;
      return esm ? new AsyncFunction(...names, body) : (new Function(...names, body) as (...args: unknown[]) => unknown);
    };
    let fn: (...args: unknown[]) => unknown;
    try {
      try {
        fn = compile(instrumentSource(plain));
      } catch (error) {
        // The rewrite is a tokenizer, not a parser: if it ever breaks valid code, run the code as written
        // (unpreemptable, but correct), and let a real syntax error surface from the original text.
        if (!(error instanceof SyntaxError)) throw error;
        fn = compile(plain);
      }
    } catch (error) {
      // A Content-Security-Policy without 'unsafe-eval' (inherited by a blob: worker) forbids compiling code.
      if (error instanceof EvalError) {
        throw new Error(`cannot run ${file}: this page's Content-Security-Policy forbids 'unsafe-eval', which the in-page runtime needs to run JavaScript programs (serve the worker script with its own policy, or allow 'unsafe-eval' for lab workers)`);
      }
      throw withSyntaxLocation(error, file, `${plain}\n//# sourceURL=${file}`, (code) => (esm ? new AsyncFunction(...names, code) : new Function(...names, code)));
    }
    const importDefault = (m: unknown) => (m && typeof m === 'object' && 'default' in (m as object) && !(m as { __builtin?: boolean }).__builtin ? (m as { default: unknown }).default : m);
    const values = [module.exports, require, module, file, pathModule.dirname(file), process, console, SandboxBuffer, timers.setTimeout, timers.clearTimeout, timers.setInterval, timers.clearInterval, timers.setImmediate, timers.clearImmediate, surface.queueMicrotask, importDefault, { url: `file://${file}`, filename: file, dirname: pathModule.dirname(file) }, host.preempt, ...SHADOWED_GLOBALS.map(() => undefined)];
    return fn(...values);
  }

  (surface as NodeSurface & { runMain: (source: string) => unknown }).runMain = (source: string) => runModule(source, filename, { exports: {} }, surface.require);
  return surface;
}

/** Runs a script file's source as the main module of the process; exceptions crash the process. */
export function runScript(host: SandboxHost, source: string, filename: string): void {
  const surface = createNodeSurface(host, filename) as NodeSurface & { runMain: (source: string) => unknown };
  startMain(host, () => surface.runMain(source));
}

/** Runs a built-in program with the Node surface. */
export function runFactory(host: SandboxHost, factory: ProgramFactory, filename: string): void {
  const surface = createNodeSurface(host, filename);
  startMain(host, () => factory(surface));
}

/** Runs the main body under the guard; a rejected async body crashes like an uncaught exception. */
function startMain(host: SandboxHost, main: () => unknown): void {
  let result: unknown;
  host.entry = 'main';
  try {
    result = main();
  } catch (error) {
    noteEntry(error, 'main');
    if (!(error instanceof ProcessExitSignal) && !(error instanceof ProcessHungSignal)) host.crash(error);
    return;
  } finally {
    host.entry = undefined;
  }
  if (result instanceof Promise) {
    const release = host.ref();
    result.then(
      () => release(),
      (error) => {
        release();
        if (!(error instanceof ProcessExitSignal) && !(error instanceof ProcessHungSignal)) host.crash(error);
      },
    );
  }
}

/** Node's report of an uncaught exception (error-report.ts). */
export { formatUncaught } from './error-report.ts';

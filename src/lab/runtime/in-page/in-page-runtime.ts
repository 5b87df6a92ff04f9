/**
 * The in-page LabRuntime: the main-thread half that talks to the runtime Worker (or any port serving
 * the same protocol, which is how the tests run it in Node).
 */
import type { SystemEvent } from '../../../emulator/system-events.ts';
import type { LabFiles, LabRuntime, RunningCommand, RuntimeInfo } from '../lab-runtime.ts';
import type { FromWorker, MessagePortLike, RuntimeCalls, RuntimeMethod, ToWorker } from './runtime-protocol.ts';

/** How to reach the Worker side. */
export interface InPageRuntimeOptions {
  port: MessagePortLike<ToWorker, FromWorker>;
  info: RuntimeInfo;
  /** The prompt host name, passed to the machine at boot. */
  hostname?: string;
  /** Called by dispose() to stop the Worker. */
  terminate?: () => void;
  /** Heartbeat period and how long the Worker may stay silent before the machine counts as stuck (ms). */
  watchdog?: { intervalMs: number; timeoutMs: number };
}

/**
 * The machine's last line of defence: a Worker that answers no heartbeat for this long is stuck in something the
 * kernel's preemption cannot stop (code a program compiled with eval, a catastrophic regular expression, memory
 * exhausted). The runtime then ends it, as a kernel would SIGKILL, and tells the terminal to Reset.
 */
export const WATCHDOG = { intervalMs: 2000, timeoutMs: 10_000 };
/** What the terminal says when the watchdog ended the machine. */
export const STUCK_MESSAGE = 'The lab machine stopped answering (a program used all its memory, or ran code it cannot interrupt), so it was stopped. Press Reset to start it again with your files.';

let warmWorker: Worker | undefined;

/** Creates a runtime Worker (Vite bundles runtime-worker.ts as its own file). */
function createRuntimeWorker(): Worker {
  return new Worker(new URL('./runtime-worker.ts', import.meta.url), { type: 'module', name: 'lab-runtime' });
}

/** Starts a Worker ahead of time (the lab scrolled into view) so "Start lab" only has to boot it. */
export function prewarmRuntimeWorker(): void {
  warmWorker ??= createRuntimeWorker();
}

/** A runtime Worker for a lab: the prewarmed one if there is one, else a new one. */
export function startRuntimeWorker(): Worker {
  const worker = warmWorker ?? createRuntimeWorker();
  warmWorker = undefined;
  return worker;
}

/** Creates the in-page runtime over `options.port`. */
export function createInPageRuntime(options: InPageRuntimeOptions): LabRuntime {
  const { port } = options;
  let nextId = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const outputs = new Map<number, { output(text: string, stream: 'stdout' | 'stderr'): void; done(code: number): void }>();
  const listeners = new Set<(event: SystemEvent) => void>();
  let stuck = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  port.addEventListener('message', ({ data }) => receive(data));

  /** Ends a Worker that stopped answering: every waiting command and call ends with STUCK_MESSAGE. */
  function declareStuck(): void {
    if (stuck) return;
    stuck = true;
    clearInterval(heartbeat);
    options.terminate?.();
    for (const { output, done } of outputs.values()) {
      output(`\n${STUCK_MESSAGE}\n`, 'stderr');
      done(137);
    }
    outputs.clear();
    for (const { reject } of pending.values()) reject(new Error(STUCK_MESSAGE));
    pending.clear();
  }

  /**
   * Pings the booted Worker; a ping unanswered past the timeout means it is stuck. (Timed from the ping, not
   * from the last answer: a background tab's timers run rarely, and a rare ping is no sign of a stuck Worker.)
   */
  function startWatchdog(): void {
    const { intervalMs, timeoutMs } = options.watchdog ?? WATCHDOG;
    let waitingSince: number | undefined;
    heartbeat = setInterval(() => {
      if (waitingSince !== undefined) {
        if (Date.now() - waitingSince > timeoutMs) declareStuck();
        return;
      }
      const sent = Date.now();
      waitingSince = sent;
      void call('ping').then(() => {
        if (waitingSince === sent) waitingSince = undefined;
      }, () => undefined);
    }, intervalMs);
  }

  function receive(message: FromWorker): void {
    switch (message.kind) {
      case 'batch':
        for (const inner of message.messages) receive(inner);
        return;
      case 'result':
        pending.get(message.id)?.resolve(message.value);
        pending.delete(message.id);
        return;
      case 'error':
        pending.get(message.id)?.reject(new Error(message.message));
        pending.delete(message.id);
        return;
      case 'output':
        outputs.get(message.id)?.output(message.text, message.stream);
        return;
      case 'exit':
        outputs.get(message.id)?.done(message.code);
        outputs.delete(message.id);
        return;
      case 'event':
        for (const listener of listeners) listener(message.event);
        return;
    }
  }

  /** Sends a call and resolves with its result. */
  function call<M extends RuntimeMethod>(method: M, ...args: RuntimeCalls[M]['args']): Promise<RuntimeCalls[M]['result']> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      if (stuck) return reject(new Error(STUCK_MESSAGE));
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      port.postMessage({ kind: 'call', id, method, args });
    });
  }

  return {
    info: options.info,
    async boot(files: LabFiles) {
      clearInterval(heartbeat);
      await call('boot', files, options.hostname);
      startWatchdog();
    },
    run(commandLine, output, runOptions): RunningCommand {
      const id = nextId++;
      if (stuck) {
        output(`${STUCK_MESSAGE}\n`, 'stderr');
        return { exit: Promise.resolve(137), interrupt() {}, write() {} };
      }
      const exit = new Promise<number>((resolve) => outputs.set(id, { output, done: resolve }));
      port.postMessage({ kind: 'run', id, line: commandLine, columns: runOptions?.columns });
      return {
        exit,
        interrupt: () => port.postMessage({ kind: 'interrupt', id }),
        write: (data) => port.postMessage({ kind: 'stdin', id, data }),
      };
    },
    readFile: (path) => call('readFile', path),
    writeFile: (path, contents) => call('writeFile', path, contents),
    completions: () => call('completions'),
    snapshot: () => call('snapshot'),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      clearInterval(heartbeat);
      port.postMessage({ kind: 'dispose' });
      for (const { reject } of pending.values()) reject(new Error('The lab runtime was stopped.'));
      pending.clear();
      listeners.clear();
      options.terminate?.();
    },
  };
}

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
}

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

  port.addEventListener('message', ({ data }) => receive(data));

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
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      port.postMessage({ kind: 'call', id, method, args });
    });
  }

  return {
    info: options.info,
    boot: (files: LabFiles) => call('boot', files, options.hostname),
    run(commandLine, output, runOptions): RunningCommand {
      const id = nextId++;
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
      port.postMessage({ kind: 'dispose' });
      for (const { reject } of pending.values()) reject(new Error('The lab runtime was stopped.'));
      pending.clear();
      listeners.clear();
      options.terminate?.();
    },
  };
}

/**
 * The messages between the in-page runtime (main thread) and its Worker. Plain data only (structured
 * clone). Requests carry an id; a `run` streams `output` messages and ends with one `exit`.
 */
import type { SystemEvent, SystemSnapshot } from '../../../emulator/system-events.ts';
import type { LabFiles } from '../lab-runtime.ts';

/** Request/response calls of the runtime. */
export interface RuntimeCalls {
  boot: { args: [files: LabFiles, hostname?: string]; result: void };
  readFile: { args: [path: string]; result: string | undefined };
  writeFile: { args: [path: string, contents: string]; result: void };
  completions: { args: []; result: { commands: string[]; units: string[] } };
  snapshot: { args: []; result: SystemSnapshot };
  /** The watchdog's heartbeat: answered at once by a Worker that is not stuck. */
  ping: { args: []; result: void };
}

/** Name of a call. */
export type RuntimeMethod = keyof RuntimeCalls;

/** Main thread → Worker. */
export type ToWorker =
  | { kind: 'call'; id: number; method: RuntimeMethod; args: unknown[] }
  | { kind: 'run'; id: number; line: string; columns?: number }
  | { kind: 'interrupt'; id: number }
  | { kind: 'stdin'; id: number; data: string | null }
  | { kind: 'dispose' };

/** Worker → main thread. */
export type FromWorker =
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; message: string }
  | { kind: 'output'; id: number; text: string; stream: 'stdout' | 'stderr' }
  | { kind: 'exit'; id: number; code: number }
  | { kind: 'event'; event: SystemEvent }
  /** Several of the above in one message (the Worker sends at most one message per task: see OutputBatcher). */
  | { kind: 'batch'; messages: FromWorker[] };

/** The part of a MessagePort / Worker / DedicatedWorkerGlobalScope both sides use. */
export interface MessagePortLike<Out, In> {
  postMessage(message: Out): void;
  addEventListener(type: 'message', listener: (event: { data: In }) => void): void;
  removeEventListener?(type: 'message', listener: (event: { data: In }) => void): void;
}

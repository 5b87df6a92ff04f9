/**
 * One emulated lab machine: the emulator (createSystem) on its in-memory kernel with a real clock,
 * plus the shell. This is the in-page runtime's logic as a plain module: the Worker wraps it, and the
 * tests drive it directly in Node.
 */
import type { SystemEvent, SystemSnapshot } from '../../../emulator/system-events.ts';
import type { LabFiles, RunningCommand } from '../lab-runtime.ts';
import { bootEmulator, type EmulatorHandle } from './emulator-binding.ts';
import { completionNames } from '../../../emulator/commands/command-table.ts';

/** Exit status of a command stopped with Ctrl+C (128 + SIGINT), as bash reports it. */
export const INTERRUPTED_EXIT = 130;

/** A booted machine. */
export interface LabMachine {
  run(commandLine: string, output: (text: string, stream: 'stdout' | 'stderr') => void, columns?: number): RunningCommand;
  readFile(path: string): string | undefined;
  writeFile(path: string, contents: string): void;
  completions(): { commands: string[]; units: string[] };
  snapshot(): SystemSnapshot;
  subscribe(listener: (event: SystemEvent) => void): () => void;
  dispose(): Promise<void>;
}

/** Mounts `files`, boots the emulator and returns the machine. */
export async function createLabMachine(files: LabFiles, options: { hostname?: string } = {}): Promise<LabMachine> {
  return labMachineOf(await bootEmulator(files, options.hostname ?? 'lab'));
}

/** The LabMachine surface over a booted machine of the factory (either kernel); `dispose` defaults to shutdown(). */
export function labMachineOf(emulator: EmulatorHandle, dispose: () => Promise<void> = () => emulator.system.shutdown()): LabMachine {
  const fs = emulator.system.kernel.fs;
  return {
    run(commandLine, output, columns) {
      return runLine(emulator, commandLine, output, columns);
    },
    readFile(path) {
      const stat = fs.stat(path);
      return stat?.type === 'file' ? fs.readFile(path) : undefined;
    },
    writeFile(path, contents) {
      fs.writeFile(path, contents, { mkdirs: true });
    },
    completions() {
      return { commands: completionNames('in-page'), units: [...emulator.system.unitNames()].sort() };
    },
    snapshot: () => emulator.system.snapshot(),
    subscribe: (listener) => emulator.system.subscribe(listener),
    dispose,
  };
}

/** Runs one command line with an abort signal for Ctrl+C and a stdin stream the terminal can feed. */
function runLine(
  emulator: EmulatorHandle,
  commandLine: string,
  output: (text: string, stream: 'stdout' | 'stderr') => void,
  columns = 80,
): RunningCommand {
  const abort = new AbortController();
  const dataListeners = new Set<(text: string) => void>();
  const endListeners = new Set<() => void>();
  let stdinClosed = false;
  let finished = false;
  let interrupted: () => void = () => {};
  const interruptedExit = new Promise<number>((resolve) => {
    interrupted = () => resolve(INTERRUPTED_EXIT);
  });
  const completed = emulator
    .runCommandLine(commandLine, {
      stdout: (text) => !finished && output(text, 'stdout'),
      stderr: (text) => !finished && output(text, 'stderr'),
      stdin: {
        onData(callback) {
          dataListeners.add(callback);
          return () => dataListeners.delete(callback);
        },
        onEnd(callback) {
          if (stdinClosed) queueMicrotask(callback);
          else endListeners.add(callback);
          return () => endListeners.delete(callback);
        },
      },
      signal: abort.signal,
      columns,
    })
    .catch((error: unknown) => {
      // The shell promises never to throw; if it does, say so like a crashed shell would.
      output(`bash: ${error instanceof Error ? error.message : String(error)}\n`, 'stderr');
      return 1;
    });
  // A command that ignores the signal must not hang the terminal: Ctrl+C ends it for the learner.
  const exit = Promise.race([completed, interruptedExit]).then((code) => {
    finished = true;
    return code;
  });
  return {
    exit,
    interrupt() {
      if (finished) return;
      abort.abort();
      interrupted();
    },
    write(data) {
      if (stdinClosed) return;
      if (data === null) {
        stdinClosed = true;
        for (const listener of endListeners) listener();
        return;
      }
      for (const listener of dataListeners) listener(data);
    },
  };
}

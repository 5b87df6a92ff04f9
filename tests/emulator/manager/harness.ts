/**
 * Test harness: a System over the fake kernel with unit files and fake programs, plus helpers to read
 * the journal as lines and to run commands capturing their output.
 */
import { defaultCommands } from '../../../src/emulator/commands/index.ts';
import { createSystem } from '../../../src/emulator/system.ts';
import type { CommandHandler, System } from '../../../src/emulator/system.ts';
import { createFakeKernel, settle } from './fake-kernel.ts';
import type { FakeKernel, Program } from './fake-kernel.ts';

/** A booted (or not yet booted) machine for a test. */
export interface Machine {
  system: System;
  kernel: FakeKernel;
  /** Journal messages (MESSAGE only), optionally of one unit. */
  messages(unit?: string): string[];
  /** Runs a command line given as argv; resolves with status and output. */
  run(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }>;
  /** Advances virtual time and lets everything settle. */
  advance(ms: number): Promise<void>;
}

/** Creates a machine with `files` and `programs` (keyed by path, as ExecStart= names them). */
export function machine(files: Record<string, string>, programs: Record<string, Program> = {}, commands: Record<string, CommandHandler> = defaultCommands): Machine {
  const kernel = createFakeKernel(files);
  for (const [path, program] of Object.entries(programs)) kernel.processes.programs.set(path, program);
  const system = createSystem({ kernel, commands: { ...commands } });
  // As after a boot: PID 1 has reached sysinit.target, which every unit with DefaultDependencies=yes requires.
  system.manager.loadUnit('sysinit.target').setState('active');
  return {
    system,
    kernel,
    messages(unit?: string): string[] {
      return system.manager.journal.entries.filter((e) => unit === undefined || e.unit === unit).map((e) => e.message);
    },
    async run(...argv: string[]) {
      let stdout = '';
      let stderr = '';
      const controller = new AbortController();
      const promise = system.runCommand(argv, {
        stdout: (t) => { stdout += t; },
        stderr: (t) => { stderr += t; },
        signal: controller.signal,
      });
      // Jobs run on microtasks; virtual timers never fire by themselves.
      await settle();
      const status = await promise;
      return { status, stdout, stderr };
    },
    async advance(ms: number) {
      await kernel.clock.advance(ms);
    },
  };
}

/** A program that accepts every connection on each listening fd and answers `reply`, forever. */
export function echoServer(reply = 'hello\n'): Program {
  return (ctx) => {
    for (const fd of ctx.fds) {
      if (!('accept' in fd)) continue;
      const serve = (): void => {
        for (let c = fd.accept(); c; c = fd.accept()) {
          c.write(reply);
          c.end();
        }
      };
      fd.onPending(serve);
      serve();
    }
  };
}

/** A program that exits at once with `code`. */
export function exitWith(code: number): Program {
  return (ctx) => queueMicrotask(() => ctx.exit(code));
}

/** Reads everything a connection receives until it closes. */
export function collect(connection: { onData(cb: (d: Uint8Array) => void): unknown }): () => string {
  let text = '';
  connection.onData((d) => { text += new TextDecoder().decode(d); });
  return () => text;
}

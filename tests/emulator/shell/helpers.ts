/** A System with the shell commands on an in-memory kernel, and a way to run lines and capture output. */
import { createMemoryKernel, type MemoryKernelOptions } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import { createSystem, type CommandIO } from '../../../src/emulator/system.ts';
import { shellCommands } from '../../../src/emulator/commands/shell-commands.ts';
import { createShell } from '../../../src/emulator/shell/run-command-line.ts';

/** Builds the machine and a shell for `user`. */
export function machine(options: MemoryKernelOptions = {}, user = 'root') {
  const kernel = createMemoryKernel(options);
  const system = createSystem({ kernel, commands: { ...shellCommands } });
  const shell = createShell(system, { USER: user });
  /** Runs a line; resolves with status and output. `stdin` feeds the command's input. */
  const run = async (line: string, options: { stdin?: string; abortAfterMs?: number } = {}) => {
    let stdout = '';
    let stderr = '';
    const controller = new AbortController();
    const dataCbs = new Set<(t: string) => void>();
    const endCbs = new Set<() => void>();
    const io: CommandIO = {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      signal: controller.signal,
      stdin: {
        onData: (cb) => {
          dataCbs.add(cb);
          return () => dataCbs.delete(cb);
        },
        onEnd: (cb) => {
          endCbs.add(cb);
          return () => endCbs.delete(cb);
        },
      },
    };
    const done = shell.run(line, io);
    await Promise.resolve();
    for (let i = 0; i < 20; i++) await Promise.resolve();
    if (options.stdin !== undefined) for (const cb of dataCbs) cb(options.stdin);
    for (const cb of endCbs) cb();
    if (options.abortAfterMs !== undefined) kernel.clock.setTimer(options.abortAfterMs, () => controller.abort());
    await kernel.runUntilIdle(60_000);
    const status = await done;
    return { status, stdout, stderr };
  };
  return { kernel, system, shell, run };
}

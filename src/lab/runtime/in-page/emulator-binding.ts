/**
 * The one place the in-page runtime touches the emulator's modules: a memory kernel with a real
 * clock, the System with every registered command (systemctl & co. plus the shell's builtins and
 * clients), and one bash-like shell whose cwd and variables last for the lab's lifetime.
 */
import type { CommandIO, System } from '../../../emulator/system.ts';
import { createMemoryKernel } from '../../../emulator/kernel/memory/memory-kernel.ts';
import { createDefaultSystem } from '../../../emulator/commands/index.ts';
import { registerShellCommands } from '../../../emulator/commands/shell-commands.ts';
import { createShell } from '../../../emulator/shell/run-command-line.ts';

/** A booted emulator and how to run a command line on it. */
export interface EmulatorHandle {
  system: System;
  runCommandLine(line: string, io: CommandIO): Promise<number>;
  commandNames(): string[];
}

/** Creates the machine with `files` mounted and boots it. */
export async function bootEmulator(files: Record<string, string>, hostname: string): Promise<EmulatorHandle> {
  const kernel = createMemoryKernel({ files, clock: 'real', hostname });
  const system = createDefaultSystem(kernel);
  registerShellCommands(system);
  await system.boot();
  const shell = createShell(system, { USER: 'root', HOME: '/root', HOSTNAME: hostname });
  return {
    system,
    runCommandLine: (line, io) => shell.run(line, io),
    commandNames: () => system.commandNames(),
  };
}

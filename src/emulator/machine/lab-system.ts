/**
 * The one machine factory: a kernel (in-memory or Node) with the lab's image mounted, the manager, every
 * command of the command table, and one bash-like shell whose cwd and variables last for the machine's
 * lifetime. The in-page runtime, the WebContainer daemon (`emu daemon`) and the tests all build a lab
 * machine through here, so they differ only in their kernel.
 */
import type { Kernel } from '../kernel/kernel.ts';
import type { CommandIO, System } from '../system.ts';
import { createDefaultSystem } from '../commands/index.ts';
import { registerShellCommands } from '../commands/shell-commands.ts';
import { createShell } from '../shell/run-command-line.ts';
import { createMemoryKernel, type MemoryKernelOptions } from '../kernel/memory/memory-kernel.ts';
import { debianBase, debianBootState, debianPrograms, loadDebianBase } from './debian-base.ts';

/** A machine with its shell. */
export interface LabSystem {
  system: System;
  /** Runs one command line in the machine's shell (root, cwd /root). */
  runCommandLine(line: string, io: CommandIO): Promise<number>;
}

/** A System over `kernel` with every command of the table registered and a root shell (not booted yet). */
export function createLabSystem(kernel: Kernel, hostname: string): LabSystem {
  const system = createDefaultSystem(kernel);
  registerShellCommands(system);
  const shell = createShell(system, { USER: 'root', HOME: '/root', HOSTNAME: hostname });
  return { system, runCommandLine: (line, io) => shell.run(line, io) };
}

/** The in-memory lab machine: `files` mounted over a Debian 12 (debian-base.ts) as the machine image, booted. */
export async function bootMemoryMachine(files: Record<string, string>, hostname: string, options: Omit<MemoryKernelOptions, 'files' | 'hostname'> = {}): Promise<LabSystem> {
  await loadDebianBase();
  const programs = { ...debianPrograms(Object.keys(files)), ...options.programs };
  const machine = createLabSystem(createMemoryKernel({ clock: 'real', base: debianBase(), ...options, programs, files, hostname }), hostname);
  await machine.system.boot(debianBootState(Object.keys(files)));
  return machine;
}

/**
 * The one place the in-page runtime touches the emulator's modules: a memory kernel with a real
 * clock, the System with every registered command, and the shell that runs a command line.
 */
import { createSystem, type CommandIO, type System } from '../../../emulator/system.ts';
import { createMemoryKernel } from '../../../emulator/kernel/memory/memory-kernel.ts';
import { systemdAnalyze } from '../../../emulator/commands/systemd-analyze.ts';

/** A booted emulator and how to run a command line on it. */
export interface EmulatorHandle {
  system: System;
  runCommandLine(line: string, io: CommandIO): Promise<number>;
  commandNames(): string[];
}

/** Splits a line into words (quotes respected); stands in until the emulator's shell module is wired. */
function splitWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3]);
  return words;
}

/** Creates the machine with `files` mounted and boots it. */
export async function bootEmulator(files: Record<string, string>, hostname: string): Promise<EmulatorHandle> {
  const kernel = createMemoryKernel({ files, clock: 'real', hostname });
  const system = createSystem({ kernel, commands: { 'systemd-analyze': systemdAnalyze } });
  await system.boot();
  return {
    system,
    runCommandLine: (line, io) => system.runCommand(splitWords(line), io),
    commandNames: () => system.commandNames(),
  };
}

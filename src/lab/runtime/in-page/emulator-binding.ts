/**
 * The one place the in-page runtime touches the emulator's modules: the machine factory's in-memory
 * machine (real clock), with the lab's files as its image.
 */
import { bootMemoryMachine, type LabSystem } from '../../../emulator/machine/lab-system.ts';

/** A booted emulator and how to run a command line on it. */
export type EmulatorHandle = LabSystem;

/** Creates the machine with `files` mounted and boots it. */
export function bootEmulator(files: Record<string, string>, hostname: string): Promise<EmulatorHandle> {
  return bootMemoryMachine(files, hostname);
}

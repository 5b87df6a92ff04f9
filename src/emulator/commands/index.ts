/**
 * The default command registry: every command a lab terminal offers, by name.
 * createDefaultSystem() builds a System with all of them registered.
 */
import type { Kernel } from '../kernel/kernel.ts';
import { createSystem } from '../system.ts';
import type { CommandHandler, System } from '../system.ts';
import { journalctl } from './journalctl.ts';
import { ss } from './ss.ts';
import { systemctl } from './systemctl.ts';
import { systemdAnalyze } from './systemd-analyze.ts';

/** Commands by name. The memory-kernel engineer's clients and shell builtins are added here as they land. */
export const defaultCommands: Record<string, CommandHandler> = {
  systemctl,
  journalctl,
  ss,
  'systemd-analyze': systemdAnalyze,
};

/** A System over `kernel` with every default command registered. */
export function createDefaultSystem(kernel: Kernel): System {
  return createSystem({ kernel, commands: { ...defaultCommands } });
}

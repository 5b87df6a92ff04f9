/**
 * The default command registry: every command a lab terminal offers, by name.
 * createDefaultSystem() builds a System with all of them registered.
 */
import type { Kernel } from '../kernel/kernel.ts';
import { createSystem } from '../system.ts';
import type { CommandHandler, System } from '../system.ts';
import type { CommandNameOf } from './command-table.ts';
import { journalctl } from './journalctl.ts';
import { ss } from './ss.ts';
import { systemctl } from './systemctl.ts';
import { systemdAnalyze } from './systemd-analyze.ts';

/** The systemd tools of the command table (command-table.ts), by name; the rest is in shell-commands.ts. */
export const defaultCommands: Record<CommandNameOf<'systemd'>, CommandHandler> = {
  systemctl,
  journalctl,
  ss,
  'systemd-analyze': systemdAnalyze,
};

/** A System over `kernel` with every default command registered. */
export function createDefaultSystem(kernel: Kernel): System {
  return createSystem({ kernel, commands: { ...defaultCommands } });
}

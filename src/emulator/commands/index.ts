/**
 * The default command registry: every command a lab terminal offers, by name.
 * createDefaultSystem() builds a System with all of them registered.
 */
import type { Kernel } from '../kernel/kernel.ts';
import { createSystem } from '../system.ts';
import type { CommandHandler, System } from '../system.ts';
import type { CommandNameOf } from './command-table.ts';
import { lazyCommand, loadCommands, MODULES_ON_DISK } from './lazy-command.ts';

/**
 * The systemd tools of the command table (command-table.ts), by name; the rest is in shell-commands.ts.
 * Each is loaded the first time it runs (lazy-command.ts).
 */
export const defaultCommands: Record<CommandNameOf<'systemd'>, CommandHandler> = {
  systemctl: lazyCommand(() => import('./systemctl.ts'), (module) => module.systemctl),
  journalctl: lazyCommand(() => import('./journalctl.ts'), (module) => module.journalctl),
  ss: lazyCommand(() => import('./ss.ts'), (module) => module.ss),
  'systemd-analyze': lazyCommand(() => import('./systemd-analyze.ts'), (module) => module.systemdAnalyze),
};
if (MODULES_ON_DISK) await loadCommands(defaultCommands);

/** A System over `kernel` with every default command registered. */
export function createDefaultSystem(kernel: Kernel): System {
  return createSystem({ kernel, commands: { ...defaultCommands } });
}

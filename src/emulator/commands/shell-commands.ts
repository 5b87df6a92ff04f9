/** The shell's commands and clients, by name, for the default registry (commands/index.ts). */
import type { CommandHandler, System } from '../system.ts';
import { cat, clear, echo, env, falseCommand, help, id, ls, pwd, sleep, sudo, trueCommand, whoami } from './builtins.ts';
import { curl } from './curl.ts';
import { nc } from './nc.ts';
import { logger } from './logger.ts';
import { rm } from './rm.ts';
import { stat } from './stat.ts';
import { systemctl } from './systemctl.ts';
import { registerUserCommands } from './user-commands.ts';

/** cat, ls, echo, help, clear, true, false, pwd, env, sleep, id, whoami, sudo, curl, nc, stat, rm, logger. */
export const shellCommands: Record<string, CommandHandler> = {
  cat,
  ls,
  echo,
  help,
  clear,
  true: trueCommand,
  false: falseCommand,
  pwd,
  env,
  sleep,
  id,
  whoami,
  sudo,
  curl,
  nc,
  stat,
  rm,
  logger,
};

/** Registers every shell command and client on a System. */
export function registerShellCommands(system: System): void {
  for (const [name, handler] of Object.entries(shellCommands)) system.registerCommand(name, handler);
  // loginctl, runuser and `systemctl --user -M USER@` (user managers; see manager/user-manager.ts).
  registerUserCommands(system, system.commandNames().includes('systemctl') ? systemctl : undefined);
}

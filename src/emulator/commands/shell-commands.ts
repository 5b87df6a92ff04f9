/** The tools of the command table (command-table.ts): the shell's commands and clients, by name. */
import type { CommandHandler, System } from '../system.ts';
import { cat, clear, echo, env, falseCommand, help, id, ls, pwd, sleep, sudo, trueCommand, whoami } from './builtins.ts';
import { curl } from './curl.ts';
import { nc } from './nc.ts';
import { logger } from './logger.ts';
import { rm } from './rm.ts';
import { readlink } from './readlink.ts';
import { stat } from './stat.ts';
import type { CommandNameOf } from './command-table.ts';
import { systemctl } from './systemctl.ts';
import { loginctl, registerUserCommands, runuser } from './user-commands.ts';

/** Every tool of the table; a row without a handler here does not compile. */
export const shellCommands: Record<CommandNameOf<'tool'>, CommandHandler> = {
  cat,
  ls,
  stat,
  readlink,
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
  rm,
  runuser,
  loginctl,
  logger,
};

/** Registers every shell command and client on a System. */
export function registerShellCommands(system: System): void {
  for (const [name, handler] of Object.entries(shellCommands)) system.registerCommand(name, handler);
  // loginctl, runuser and `systemctl --user -M USER@` (user managers; see manager/user-manager.ts).
  registerUserCommands(system, system.commandNames().includes('systemctl') ? systemctl : undefined);
}

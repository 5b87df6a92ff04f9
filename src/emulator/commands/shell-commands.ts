/** The shell's commands and clients, by name, for the default registry (commands/index.ts). */
import type { CommandHandler, System } from '../system.ts';
import { cat, clear, echo, env, falseCommand, help, id, ls, pwd, sleep, sudo, trueCommand, whoami } from './builtins.ts';
import { curl } from './curl.ts';
import { nc } from './nc.ts';
import { stat } from './stat.ts';

/** cat, ls, stat, echo, help, clear, true, false, pwd, env, sleep, id, whoami, sudo, curl, nc. */
export const shellCommands: Record<string, CommandHandler> = {
  cat,
  ls,
  stat,
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
};

/** Registers every shell command and client on a System. */
export function registerShellCommands(system: System): void {
  for (const [name, handler] of Object.entries(shellCommands)) system.registerCommand(name, handler);
}

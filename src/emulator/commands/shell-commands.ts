/** The tools of the command table (command-table.ts): the shell's commands and clients, by name. */
import type { CommandHandler, System } from '../system.ts';
import type { CommandNameOf } from './command-table.ts';
import { defaultCommands } from './index.ts';
import { lazyCommand, loadCommands, MODULES_ON_DISK } from './lazy-command.ts';
import { loginctl, registerUserCommands, runuser } from './user-commands.ts';

type Builtins = typeof import('./builtins.ts');
const builtins = () => import('./builtins.ts');
/** One of builtins.ts's small commands (they share one chunk), loaded the first time one of them runs. */
const builtin = (name: { [K in keyof Builtins]: Builtins[K] extends CommandHandler ? K : never }[keyof Builtins]) =>
  lazyCommand(builtins, (module) => module[name] as CommandHandler);

/** Every tool of the table; a row without a handler here does not compile. Each is loaded on first use (lazy-command.ts). */
export const shellCommands: Record<CommandNameOf<'tool'>, CommandHandler> = {
  cat: builtin('cat'),
  ls: builtin('ls'),
  stat: lazyCommand(() => import('./stat.ts'), (module) => module.stat),
  readlink: lazyCommand(() => import('./readlink.ts'), (module) => module.readlink),
  echo: builtin('echo'),
  help: builtin('help'),
  clear: builtin('clear'),
  true: builtin('trueCommand'),
  false: builtin('falseCommand'),
  pwd: builtin('pwd'),
  env: builtin('env'),
  sleep: builtin('sleep'),
  id: builtin('id'),
  whoami: builtin('whoami'),
  sudo: builtin('sudo'),
  curl: lazyCommand(() => import('./curl.ts'), (module) => module.curl),
  nc: lazyCommand(() => import('./nc.ts'), (module) => module.nc),
  rm: lazyCommand(() => import('./rm.ts'), (module) => module.rm),
  runuser,
  loginctl,
  logger: lazyCommand(() => import('./logger.ts'), (module) => module.logger),
};
if (MODULES_ON_DISK) await loadCommands(shellCommands);

/** Registers every shell command and client on a System. */
export function registerShellCommands(system: System): void {
  for (const [name, handler] of Object.entries(shellCommands)) system.registerCommand(name, handler);
  // loginctl, runuser and `systemctl --user -M USER@` (user managers; see manager/user-manager.ts).
  registerUserCommands(system, system.commandNames().includes('systemctl') ? defaultCommands.systemctl : undefined);
}

/**
 * Commands loaded on first use. The lab's Worker boots with the manager and the shell only; each command's
 * module (and what only it needs) is its own chunk, fetched the first time the command runs and kept from then
 * on. Where modules come from disk (Node: the CLI, `emu daemon`, the tests) every command is loaded when its
 * registry module is, so a command starts there exactly as it did with static imports.
 */
import type { CommandHandler } from '../system.ts';

/** A command handler whose module is imported the first time it runs. */
export interface LazyCommand extends CommandHandler {
  /** Imports the module now (once); resolves with the command. */
  load(): Promise<CommandHandler>;
}

/** A handler that imports `load`'s module the first time it runs, then runs the command `pick` names in it. */
export function lazyCommand<M>(load: () => Promise<M>, pick: (module: M) => CommandHandler): LazyCommand {
  let resolved: CommandHandler | undefined;
  let loading: Promise<CommandHandler> | undefined;
  const fetchModule = (): Promise<CommandHandler> =>
    (loading ??= load().then(
      (module) => (resolved = pick(module)),
      (error: unknown) => {
        // A failed fetch (the page went offline) is tried again the next time the command runs.
        loading = undefined;
        throw error;
      },
    ));
  const handler: CommandHandler = (argv, io, system) => (resolved ? resolved(argv, io, system) : fetchModule().then((run) => run(argv, io, system)));
  return Object.assign(handler, { load: fetchModule });
}

/** True where modules are read from disk (Node), not fetched over the network (the lab's Worker). */
export const MODULES_ON_DISK = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** Loads every lazy command of `table` (what is not lazy is left as it is). */
export async function loadCommands(table: Record<string, CommandHandler>): Promise<void> {
  await Promise.all(Object.values(table).map((handler) => ('load' in handler ? (handler as LazyCommand).load() : undefined)));
}

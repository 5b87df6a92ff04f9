/**
 * The emulator on a real machine: `npm run -s emu -- <command> [--root DIR] …` (see README, "Emulator command line").
 *   daemon --root DIR [--shim] [--hostname NAME] [--node FILE]   run the emulator in the foreground (--node: the
 *                                                  Node.js that is the machine's /usr/bin/node; default: this one)
 *   systemctl|journalctl|ss|curl|nc|… --root DIR …   run a command on that daemon
 *   systemd-analyze verify FILE…                    verify unit files (no daemon needed; inside DIR with --root)
 *   snapshot|events|stop --root DIR                  the daemon's state as JSON, its events as JSON lines, stop it
 */
import * as path from 'node:path';
import { printEvents, printSnapshot, requestStop, runRemoteCommand } from './client.ts';
import { controlPaths, controlTarget } from './control-address.ts';
// The daemon, the offline verbs and verify load the whole emulator; a remote command needs none of it,
// so those are imported on demand and `emu systemctl status` starts fast.

const USAGE = `Usage: npm run -s emu -- daemon --root DIR [--shim] [--hostname NAME] [--node FILE]
       npm run -s emu -- systemctl --root DIR VERB [UNIT…]
       npm run -s emu -- journalctl --root DIR [-u UNIT] [-f] [-n N]
       npm run -s emu -- ss --root DIR [-ltnxp]
       npm run -s emu -- systemd-analyze [--root DIR] verify FILE…
       npm run -s emu -- snapshot --root DIR     (the daemon's state: one line of JSON, a SystemSnapshot)
       npm run -s emu -- events --root DIR       (one JSON SystemEvent per line until Ctrl+C)
       npm run -s emu -- stop --root DIR         (stop the daemon, as Ctrl+C in its terminal does)
`;

/** Removes `--NAME VALUE` / `--NAME=VALUE` from args; returns the value. */
function takeOption(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args.splice(i, 2)[1];
    if (args[i].startsWith(`--${name}=`)) return args.splice(i, 1)[0].slice(name.length + 3);
  }
  return undefined;
}

/** Removes a boolean `--NAME` flag from args; true when it was there. */
function takeFlag(args: string[], name: string): boolean {
  const index = args.indexOf(`--${name}`);
  if (index >= 0) args.splice(index, 1);
  return index >= 0;
}

/** Verbs that only edit or read unit files, which `systemctl --root` performs without a running manager. */
const OFFLINE_VERBS = new Set(['enable', 'disable', 'reenable', 'link', 'is-enabled', 'cat', 'list-unit-files', 'mask', 'unmask']);

/** True when a systemctl command line can run without a daemon (no --now: that needs one). */
function isOfflineVerb(args: string[]): boolean {
  const verb = args.find((arg) => !arg.startsWith('-'));
  return verb !== undefined && OFFLINE_VERBS.has(verb) && !args.includes('--now');
}

/** Runs a unit-file-only systemctl verb on the files of `root`, as `systemctl --root` does with no manager. */
async function runOffline(root: string, argv: string[], io: { stdout(t: string): void; stderr(t: string): void }): Promise<number> {
  const { createNodeKernel } = await import('../kernel/node/node-kernel.ts');
  const { createDefaultSystem } = await import('../commands/index.ts');
  const kernel = await createNodeKernel({ root });
  try {
    const system = createDefaultSystem(kernel);
    return await system.runCommand(argv, { ...io, signal: new AbortController().signal });
  } finally {
    kernel.dispose();
  }
}

/** Runs the command line; resolves with the exit status. */
export async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  const command = args.shift();
  const write = { stdout: (t: string) => process.stdout.write(t), stderr: (t: string) => process.stderr.write(t) };
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    (command ? write.stdout : write.stderr)(USAGE);
    return command ? 0 : 1;
  }
  const rootOption = takeOption(args, 'root') ?? process.env.EMULATOR_ROOT;
  if (command === 'systemd-analyze') {
    const { systemdAnalyze } = await import('../commands/systemd-analyze.ts');
    const { createRootFileSystem } = await import('../kernel/node/root-file-system.ts');
    const root = rootOption ? path.resolve(rootOption) : '/';
    const system = { kernel: { fs: createRootFileSystem(root) } };
    return systemdAnalyze(['systemd-analyze', ...args], { stderr: write.stderr, env: { PWD: rootOption ? '/' : process.cwd() } }, system);
  }
  if (!rootOption) {
    write.stderr(`${command}: --root DIR is required (the directory that is the emulated machine's /).\n${USAGE}`);
    return 1;
  }
  const root = path.resolve(rootOption);
  if (command === 'daemon') {
    const shim = takeFlag(args, 'shim');
    const hostname = takeOption(args, 'hostname');
    const node = takeOption(args, 'node');
    if (args.length > 0) {
      write.stderr(`daemon: unexpected argument '${args[0]}'.\n${USAGE}`);
      return 1;
    }
    const { runDaemon } = await import('./daemon.ts');
    return runDaemon({ root, shim, hostname, node });
  }
  if (command === 'snapshot' || command === 'events' || command === 'stop') {
    if (args.length > 0) {
      write.stderr(`${command}: unexpected argument '${args[0]}'.\n${USAGE}`);
      return 1;
    }
    if (command === 'snapshot') return printSnapshot(root, write);
    if (command === 'stop') return requestStop(root, write);
    const interrupt = new AbortController();
    process.once('SIGINT', () => interrupt.abort());
    process.once('SIGTERM', () => interrupt.abort());
    return printEvents(root, write, interrupt.signal);
  }
  if (command === 'systemctl' && isOfflineVerb(args) && !controlTarget(controlPaths(root))) {
    return runOffline(root, [command, ...args], write);
  }
  const interrupt = new AbortController();
  process.once('SIGINT', () => interrupt.abort());
  const stdin = process.stdin.isTTY ? undefined : process.stdin;
  return runRemoteCommand(root, [command, ...args], { ...write, stdin, columns: process.stdout.columns }, interrupt.signal);
}

/** Runs the command line of this process and exits with its status (the CLI's and the bundle's entry). */
export function runMainAndExit(argv: string[]): void {
  main(argv).then(
    // Exit once stdout is flushed: where it is an asynchronous pipe (a WebContainer's), a large snapshot could be cut.
    (code) => process.stdout.write('', () => process.exit(code)),
    (error: Error) => {
      process.stderr.write(`emulator: ${error.stack ?? error.message}\n`);
      process.exit(1);
    },
  );
}

// Only when this very file was started (`node src/emulator/cli/main.ts`); the bundle starts it from bundle-entry.ts.
if (import.meta.url.endsWith('/cli/main.ts') && (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli/main.ts'))) {
  runMainAndExit(process.argv.slice(2));
}

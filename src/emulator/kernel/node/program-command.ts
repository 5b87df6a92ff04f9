/**
 * Turning an ExecStart= argv into a host command. Paths in units resolve inside the machine's root; a program
 * named `node` (or ending in `/node`) runs with the emulator's own Node, and so does a `.js`/`.mjs`/`.cjs` program.
 * A program that is absent from the root but present on the host at the same absolute path (`/bin/sleep`) runs
 * from the host, so small shell units work without copying binaries into the root.
 */
import * as fs from 'node:fs';
import { KernelError } from '../kernel.ts';
import { resolveHostPath } from './root-paths.ts';

/** The host command for a unit's argv. */
export interface HostCommand {
  /** Host executable. */
  file: string;
  /** Arguments after the executable (for Node: the script and its arguments, without Node options). */
  args: string[];
  /** True when the executable is Node (the preload shim and sd-daemon module then apply). */
  isNode: boolean;
}

const NODE_SCRIPT = /\.(c|m)?js$/;

/** Resolves argv against the root; throws KernelError ENOENT / EACCES with the program path. */
export function resolveHostCommand(root: string, argv: string[], nodePath: string): HostCommand {
  const [program, ...rest] = argv;
  if (!program) throw new KernelError('ENOENT', 'Empty command line.');
  const args = rest.map((arg) => mapArgument(root, arg));
  if (program === 'node' || program.endsWith('/node')) return { file: nodePath, args, isNode: true };
  if (!program.startsWith('/')) throw new KernelError('ENOENT', `${program}: No such file or directory`);
  const inRoot = resolveHostPath(root, program);
  const file = fs.existsSync(inRoot) ? inRoot : fs.existsSync(program) ? program : undefined;
  if (!file) throw new KernelError('ENOENT', `${program}: No such file or directory`);
  if (fs.statSync(file).isDirectory()) throw new KernelError('EACCES', `${program}: Permission denied`);
  if (NODE_SCRIPT.test(program)) return { file: nodePath, args: [file, ...args], isNode: true };
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    throw new KernelError('EACCES', `${program}: Permission denied`);
  }
  return { file, args, isNode: false };
}

/**
 * An absolute argument that names something inside the root becomes its host path; others stay as written.
 * `/` alone stays: it is more often a D-Bus object path or a URL path than the root directory.
 */
function mapArgument(root: string, arg: string): string {
  if (!arg.startsWith('/') || arg === '/') return arg;
  const inRoot = resolveHostPath(root, arg);
  return fs.existsSync(inRoot) ? inRoot : arg;
}

/**
 * Turning an ExecStart= argv into a host command. Paths in units resolve inside the machine's root; a program
 * named `node` (or ending in `/node`) runs with the emulator's own Node, and so does a `.js`/`.mjs`/`.cjs` program and
 * a script whose `#!` line runs node (`#!/usr/bin/env node`: the host's own node may be another version, without the
 * emulator's `sd-daemon` module).
 * A program that is absent from the root but present on the host at the same absolute path (`/bin/sleep`) runs
 * from the host, so small shell units work without copying binaries into the root.
 *
 * Arguments: a Node program sees them as written in the unit (`--config /opt/report/report.conf`), as under
 * systemd, because the preload shim resolves the machine paths it opens inside the root; only the script Node
 * must load is given as its host path. Other programs open host paths, so an absolute argument that names
 * something inside the root becomes its host path (what they print then shows the host path).
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
const NODE_SHEBANG = /^#!\s*(\S*\/)?(env\s+(-S\s+)?)?node(\s|$)/;

/** True when a file starts with a `#!` line that runs node. */
function hasNodeShebang(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(128);
    const length = fs.readSync(fd, head, 0, head.length, 0);
    return NODE_SHEBANG.test(head.subarray(0, length).toString('utf8').split('\n', 1)[0]);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Resolves argv against the root; throws KernelError ENOENT / EACCES with the program path. */
export function resolveHostCommand(root: string, argv: string[], nodePath: string): HostCommand {
  const [program, ...rest] = argv;
  if (!program) throw new KernelError('ENOENT', 'Empty command line.');
  if (program === 'node' || program.endsWith('/node')) return { file: nodePath, args: nodeArguments(root, rest), isNode: true };
  if (!program.startsWith('/')) throw new KernelError('ENOENT', `${program}: No such file or directory`);
  const inRoot = resolveHostPath(root, program);
  const file = fs.existsSync(inRoot) ? inRoot : fs.existsSync(program) ? program : undefined;
  if (!file) throw new KernelError('ENOENT', `${program}: No such file or directory`);
  if (fs.statSync(file).isDirectory()) throw new KernelError('EACCES', `${program}: Permission denied`);
  if (NODE_SCRIPT.test(program)) return { file: nodePath, args: [file, ...rest], isNode: true };
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    throw new KernelError('EACCES', `${program}: Permission denied`);
  }
  if (hasNodeShebang(file)) return { file: nodePath, args: [file, ...rest], isNode: true };
  return { file, args: rest.map((arg) => mapArgument(root, arg)), isNode: false };
}

/** `node [options] SCRIPT [args]`: the options and the script as host paths, the script's own arguments as written. */
function nodeArguments(root: string, args: string[]): string[] {
  const script = args.findIndex((arg) => !arg.startsWith('-'));
  if (script < 0) return args.map((arg) => mapArgument(root, arg));
  return [...args.slice(0, script + 1).map((arg) => mapArgument(root, arg)), ...args.slice(script + 1)];
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

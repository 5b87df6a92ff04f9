/**
 * `systemd-analyze verify` as a pure function over a FileSystem: loads the named unit files the way
 * analyze-verify-util.c does (their directories first in the search path, dependencies loaded too) and
 * returns the lines the real tool prints and its exit code.
 *
 * Differences, on purpose: man pages are never checked (as `--man=no`), implicit default dependencies
 * (sysinit.target…) are not loaded, and executables are checked in the emulator's own file system.
 */
import type { FileSystem } from '../kernel/kernel.ts';
import { basename, dirname } from '../path-util.ts';
import type { UnitFile, ExecCommand } from './unit-types.ts';
import { DEFAULT_SEARCH_PATHS, formatDiagnostic, loadErrorText, loadUnit, triggeredPathUnitName } from './unit-loader.ts';
import { parseUnitName, socketServiceName, unitTypeOf } from './unit-name.ts';

/** What verifyUnits returns: every line in order (the real tool writes them to stderr) and the exit code. */
export interface VerifyResult {
  /** The lines systemd-analyze 252 prints. */
  lines: string[];
  /** The emulator's own notes (keys it parses but does not model), which the real tool does not print. */
  notes: string[];
  exitCode: number;
}

const DEFAULT_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function absolute(path: string, cwd: string): string {
  return path.startsWith('/') ? path : `${cwd.replace(/\/$/, '')}/${path}`;
}

/** find_executable_full(): the errno text when `path` is not an executable file, else undefined. */
export function executableError(fs: FileSystem, path: string): string | undefined {
  const candidates = path.startsWith('/') ? [path] : DEFAULT_PATH.map((d) => `${d}/${path}`);
  let last = 'No such file or directory';
  for (const c of candidates) {
    const st = fs.stat(c);
    if (!st) continue;
    if (st.type === 'directory') {
      last = 'Is a directory';
      continue;
    }
    if ((st.mode & 0o111) === 0) {
      last = 'Permission denied';
      continue;
    }
    return undefined;
  }
  return last;
}

/**
 * Whether socket_load() got as far as socket_add_extras(): a unit that loaded, or one that socket_verify() refused
 * afterwards (no Listen setting…) — not one whose fragment had a fatal error. The extras load the service, so
 * `verify x.socket` reports the service's own refusal too, before the socket's "bad unit file setting".
 */
function extrasAdded(u: UnitFile): boolean {
  if (u.loadState === 'loaded') return true;
  return u.loadState === 'bad-setting' && !u.diagnostics.some((d) => d.message === 'Unit configuration has fatal error, unit will not be started.');
}

/** Names a loaded unit pulls into the load queue, in file order (explicit dependencies and triggers). */
function referencedUnits(u: UnitFile): string[] {
  const names = [...u.unit.requires, ...u.unit.wants, ...u.unit.partOf, ...u.unit.conflicts, ...u.unit.before, ...u.unit.after];
  if (u.type === 'socket' && extrasAdded(u) && !u.socket!.accept) names.push(socketServiceName(u.name, u.socket));
  if (u.type === 'service') names.push(...u.service!.sockets);
  if (u.type === 'path' && u.loadState === 'loaded') names.push(triggeredPathUnitName(u));
  return names.filter((n) => unitTypeOf(n) !== undefined && !parseUnitName(n)?.template);
}

/** Runs the verification of `paths` (unit files) against `fs`; `cwd` resolves relative paths. */
export function verifyUnits(paths: readonly string[], fs: FileSystem, options: { cwd?: string } = {}): VerifyResult {
  const lines: string[] = [];
  const notes: string[] = [];
  let failed = false;
  const cwd = options.cwd ?? '/';
  const dirs: string[] = [];
  for (const p of paths) {
    const d = dirname(absolute(p, cwd));
    if (!dirs.includes(d)) dirs.push(d);
  }
  const searchPaths = [...dirs, ...DEFAULT_SEARCH_PATHS.filter((d) => !dirs.includes(d))];
  const units = new Map<string, UnitFile>();

  /** manager_load_unit() + dispatching the load queue (which systemd runs newest-first). */
  const load = (name: string): UnitFile => {
    const stack = [name];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (units.has(next)) continue;
      const u = loadUnit(next, fs, searchPaths);
      units.set(next, u);
      lines.push(...u.diagnostics.map(formatDiagnostic));
      notes.push(...(u.notes ?? []).map(formatDiagnostic));
      for (const dep of referencedUnits(u)) if (!units.has(dep)) stack.push(dep);
    }
    return units.get(name)!;
  };

  const given: UnitFile[] = [];
  for (const p of paths) {
    const name = basename(p);
    if (!parseUnitName(name) || !unitTypeOf(name)) {
      lines.push(`Failed to prepare filename ${p}: Invalid argument`);
      failed = true;
      continue;
    }
    const u = load(name);
    if (u.loadState !== 'loaded') {
      lines.push(u.loadError ?? loadErrorText(name, u.loadState)!);
      failed = true;
      continue;
    }
    given.push(u);
  }

  for (const u of given) {
    const jobError = startJobError(u, load);
    if (jobError) {
      lines.push(`${u.name}: Failed to create ${u.name}/start: ${jobError}`);
      failed = true;
    }
    if (u.type === 'socket') {
      const serviceName = u.socket!.accept ? `${u.prefix}@internal.service` : socketServiceName(u.name, u.socket);
      const service = load(serviceName);
      if (service.loadState !== 'loaded') {
        lines.push(`${u.name}: service ${serviceName} not loaded, socket cannot be started.`);
        failed = true;
      }
    }
    for (const command of firstCommands(u)) {
      if (command.ignoreFailure) continue;
      const error = executableError(fs, command.path);
      if (error) {
        lines.push(`${u.name}: Command ${command.path} is not executable: ${error}`);
        failed = true;
      }
    }
  }
  return { lines, notes, exitCode: failed ? 1 : 0 };
}

/** The first command of each Exec list, in systemd's exec_command[] order (verify checks only those). */
function firstCommands(u: UnitFile): ExecCommand[] {
  const lists: Array<ExecCommand[] | undefined> =
    u.type === 'service'
      ? [u.service!.execCondition, u.service!.execStartPre, u.service!.execStart, u.service!.execStartPost, u.service!.execReload, u.service!.execStop, u.service!.execStopPost]
      : u.type === 'socket'
        ? [u.socket!.execStartPre, u.socket!.execStartPost, u.socket!.execStopPre, u.socket!.execStopPost]
        : [];
  return lists.map((l) => l?.[0]).filter((c): c is ExecCommand => c !== undefined);
}

/** The transaction for a start job: the first Requires= (recursively) that cannot be loaded. */
function startJobError(u: UnitFile, load: (name: string) => UnitFile, seen = new Set<string>()): string | undefined {
  seen.add(u.name);
  for (const name of u.unit.requires) {
    if (seen.has(name) || parseUnitName(name)?.template) continue;
    const dep = load(name);
    if (dep.loadState !== 'loaded') return loadErrorText(name, dep.loadState);
    const deeper = startJobError(dep, load, seen);
    if (deeper) return deeper;
  }
  return undefined;
}

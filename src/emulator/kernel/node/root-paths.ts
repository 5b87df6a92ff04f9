/**
 * Machine paths inside a root directory: every machine path `/x` is the host path `ROOT/x`, and symbolic links
 * are followed the way the machine would (an absolute target `/etc/…` means `ROOT/etc/…`), never escaping ROOT.
 * `systemctl enable` writes absolute targets, so the host's own link resolution cannot be used.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KernelError } from '../kernel.ts';

/** Linux's limit on nested symlinks (ELOOP after 40). */
const MAX_SYMLINKS = 40;

/** Machine paths that are the host's own device nodes. */
const HOST_DEVICES = new Set(['/dev/null']);

/** Normalises a machine path: absolute, no `.`/`..`/empty components, no trailing slash. */
export function normalizeMachinePath(machinePath: string): string {
  if (!machinePath.startsWith('/')) throw new KernelError('EINVAL', `Machine path must be absolute, got '${machinePath}'.`);
  const parts: string[] = [];
  for (const part of machinePath.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

/** The host path of a machine path, without following any link. */
export function hostPathOf(root: string, machinePath: string): string {
  const normal = normalizeMachinePath(machinePath);
  if (HOST_DEVICES.has(normal)) return normal;
  return normal === '/' ? root : path.join(root, normal);
}

/**
 * Resolves symlinks in a machine path inside `root` and returns the resolved machine path.
 * With `followLast` false the last component is not followed (lstat semantics).
 * Components that do not exist are kept as written (so callers can create them).
 */
export function resolveMachinePath(root: string, machinePath: string, followLast = true): string {
  let pending = normalizeMachinePath(machinePath).split('/').filter(Boolean);
  let resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') { resolved.pop(); continue; }
    if (part === '.') continue;
    const candidate = '/' + [...resolved, part].join('/');
    const isLast = pending.length === 0;
    if (isLast && !followLast) { resolved.push(part); break; }
    let target: string | undefined;
    try {
      if (!HOST_DEVICES.has(candidate) && fs.lstatSync(hostPathOf(root, candidate)).isSymbolicLink()) {
        target = fs.readlinkSync(hostPathOf(root, candidate));
      }
    } catch {
      target = undefined; // absent: keep the name as written
    }
    if (target === undefined) { resolved.push(part); continue; }
    if (++links > MAX_SYMLINKS) throw new KernelError('ELOOP', `Too many levels of symbolic links: ${machinePath}`);
    const targetParts = target.split('/').filter(Boolean);
    if (target.startsWith('/')) resolved = [];
    pending = [...targetParts, ...pending];
  }
  return '/' + resolved.join('/');
}

/** The host path a machine path finally refers to (links resolved inside root). */
export function resolveHostPath(root: string, machinePath: string, followLast = true): string {
  return hostPathOf(root, resolveMachinePath(root, machinePath, followLast));
}

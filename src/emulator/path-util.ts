/**
 * POSIX path arithmetic for machine paths (what src/basic/path-util.c and the shell do with names):
 * one normaliser for the shell, the sandbox's `path` module, systemd-analyze and the manager.
 * Pure string work: no file system, no symlinks (the kernels resolve those).
 */

/** Normalises a path: `.` and empty components dropped, `..` taken back, no trailing slash; relative stays relative. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(part);
  }
  return (absolute ? '/' : '') + out.join('/') || (absolute ? '/' : '.');
}

/** An absolute, normalised path for `path` relative to the working directory `cwd`. */
export function resolvePath(cwd: string, path: string): string {
  return normalizePath(path.startsWith('/') ? path : `${cwd}/${path}`);
}

/** The directory part: `/etc/x.socket` → `/etc`, `/x` → `/`. */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? (path.startsWith('/') ? '/' : '.') : path.slice(0, i);
}

/** The last component: `/usr/bin/node` → `node`. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

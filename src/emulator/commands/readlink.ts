/**
 * readlink as GNU coreutils 9.1 prints it: `readlink [-f] [-n] FILE…`. A symbolic link prints its target; a
 * process's `/proc/PID/fd/N` prints what the fd is (`socket:[INODE]`, the inode `ss` shows), so a learner can see
 * which socket a service holds. Like coreutils, a file that is not a link prints nothing and exits 1 (no message
 * without -v); `-f` prints the canonical path, following every link.
 */
import { resolvePath } from '../path-util.ts';
import type { CommandHandler, System } from '../system.ts';

const PROC_FD = /^\/proc\/(\d+)\/fd\/(\d+)$/;

/** The target of one link, or undefined when `path` is not a link (or does not exist). */
function linkTarget(system: System, path: string): string | undefined {
  const fd = PROC_FD.exec(path);
  if (fd) return system.kernel.processes.fdLink?.(Number(fd[1]), Number(fd[2]));
  try {
    return system.kernel.fs.lstat(path)?.type === 'symlink' ? system.kernel.fs.readlink(path) : undefined;
  } catch {
    return undefined;
  }
}

/** `readlink -f`: the path with every link on the way followed (40 at most, as the kernel's ELOOP). */
function canonical(system: System, path: string): string {
  if (PROC_FD.test(path)) return linkTarget(system, path) ?? path;
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    const target = linkTarget(system, current);
    if (target === undefined) return current;
    current = resolvePath(current.replace(/\/[^/]*$/, '') || '/', target);
  }
  return current;
}

/** The readlink command. */
export const readlink: CommandHandler = async (argv, io, system) => {
  let follow = false;
  let newline = true;
  const operands: string[] = [];
  for (const arg of argv.slice(1)) {
    if (/^-[fnev]+$/.test(arg)) {
      if (arg.includes('f') || arg.includes('e')) follow = true;
      if (arg.includes('n')) newline = false;
    } else if (arg.startsWith('-') && arg !== '-') {
      io.stderr(`readlink: invalid option -- '${arg.replace(/^-+/, '').charAt(0)}'\nTry 'readlink --help' for more information.\n`);
      return 1;
    } else operands.push(arg);
  }
  if (operands.length === 0) {
    io.stderr("readlink: missing operand\nTry 'readlink --help' for more information.\n");
    return 1;
  }
  let status = 0;
  for (const operand of operands) {
    const path = resolvePath(io.env?.PWD ?? '/', operand);
    const target = follow ? canonical(system, path) : linkTarget(system, path);
    if (target === undefined) status = 1;
    else io.stdout(target + (newline || operands.length > 1 ? '\n' : ''));
  }
  return status;
};

/**
 * rm [-f] FILE…: removes files, symlinks, socket and FIFO nodes (not directories), with GNU coreutils'
 * messages. A lab needs it to clear a stale socket node or FIFO by hand.
 */
import type { CommandHandler } from '../system.ts';
import { resolvePath } from '../path-util.ts';

/** rm [-f] FILE…. */
export const rm: CommandHandler = async (argv, io, system) => {
  const fs = system.kernel.fs;
  let force = false;
  const operands: string[] = [];
  for (const a of argv.slice(1)) {
    if (/^-[f]+$/.test(a)) force = true;
    else if (a.startsWith('-') && a !== '-') {
      io.stderr(`rm: invalid option -- '${a.replace(/^-+/, '')}'\nTry 'rm --help' for more information.\n`);
      return 1;
    } else operands.push(a);
  }
  if (operands.length === 0) {
    if (force) return 0;
    io.stderr(`rm: missing operand\nTry 'rm --help' for more information.\n`);
    return 1;
  }
  let status = 0;
  for (const operand of operands) {
    const path = resolvePath(io.env?.PWD ?? '/', operand);
    const stat = fs.lstat(path);
    if (!stat) {
      if (!force) {
        io.stderr(`rm: cannot remove '${operand}': No such file or directory\n`);
        status = 1;
      }
      continue;
    }
    if (stat.type === 'directory') {
      io.stderr(`rm: cannot remove '${operand}': Is a directory\n`);
      status = 1;
      continue;
    }
    fs.unlink(path);
  }
  return status;
};

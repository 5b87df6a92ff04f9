/**
 * stat as GNU coreutils 9.1 (Debian 12) prints it: `stat [-L] [-c FORMAT] FILE…`, the format sequences a
 * lesson needs (%a %A %b %B %F %g %G %h %i %n %N %s %u %U %y %Y %%), and the default multi-line form. It shows the
 * inode number, so a socket node that a daemon unlinked and bound again is visible as a new inode at the
 * same path. The memory file system has one device (printed as 0,26).
 */
import type { FileStat } from '../kernel/kernel.ts';
import type { CommandHandler, CommandIO, System } from '../system.ts';
import { resolvePath } from '../path-util.ts';
import { accounts, blocks512, linkCount, modeString } from './builtins.ts';

/** `%F`: coreutils' file type names. */
const TYPE_NAMES: Record<FileStat['type'], string> = {
  file: 'regular file', directory: 'directory', symlink: 'symbolic link', socket: 'socket', fifo: 'fifo',
};

/** `2026-12-01 08:01:24.402782001 +0000` (UTC, the lab machines' zone; the memory clock has milliseconds). */
function statTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000000 +0000`;
}

/** What the format sequences need about one file. */
interface Described {
  operand: string;
  stat: FileStat;
  /** st_nlink. */
  links: number;
  linkTarget?: string;
  uid: number;
  gid: number;
}

/** Expands one -c FORMAT for a file; unknown sequences are printed as written, as coreutils does with `%…` it keeps. */
function expand(format: string, file: Described): string {
  return format.replace(/%(.)/g, (whole, letter: string) => {
    const { stat } = file;
    switch (letter) {
      case '%': return '%';
      case 'a': return (stat.mode & 0o7777).toString(8);
      case 'A': return modeString(stat);
      case 'F': return stat.type === 'file' && stat.size === 0 ? 'regular empty file' : TYPE_NAMES[stat.type];
      case 'n': return file.operand;
      case 'N': return file.linkTarget !== undefined ? `'${file.operand}' -> '${file.linkTarget}'` : `'${file.operand}'`;
      case 's': return String(stat.size);
      case 'h': return String(file.links);
      case 'b': return String(blocks512(stat));
      case 'B': return '512';
      case 'u': return String(file.uid);
      case 'U': return stat.user;
      case 'g': return String(file.gid);
      case 'G': return stat.group;
      case 'i': return String(stat.ino ?? 0);
      case 'y': return statTime(stat.mtimeMs);
      case 'Y': return String(Math.floor(stat.mtimeMs / 1000));
      default: return whole;
    }
  });
}

/** The default form. */
function longForm(file: Described): string {
  const { stat } = file;
  const name = file.linkTarget !== undefined ? `${file.operand} -> ${file.linkTarget}` : file.operand;
  const type = expand('%F', file);
  const time = statTime(stat.mtimeMs);
  return [
    `  File: ${name}`,
    `  Size: ${String(stat.size).padEnd(10)}\tBlocks: ${String(blocks512(stat)).padEnd(10)} IO Block: 4096   ${type}`,
    `Device: 0,26\tInode: ${String(stat.ino ?? 0).padEnd(11)} Links: ${file.links}`,
    `Access: (${(stat.mode & 0o7777).toString(8).padStart(4, '0')}/${modeString(stat)})  Uid: (${String(file.uid).padStart(5)}/${stat.user.padStart(8)})   Gid: (${String(file.gid).padStart(5)}/${stat.group.padStart(8)})`,
    `Access: ${time}`,
    `Modify: ${time}`,
    `Change: ${time}`,
    ` Birth: ${time}`,
  ].join('\n') + '\n';
}

/** Looks one operand up (lstat unless -L) with the ids its owner and group have on this machine. */
function describe(system: System, io: CommandIO, operand: string, follow: boolean): Described | undefined {
  const fs = system.kernel.fs;
  const path = resolvePath(io.env?.PWD ?? '/', operand);
  const stat = follow ? fs.stat(path) : fs.lstat(path);
  if (!stat) return undefined;
  const { users, groups } = accounts(system);
  return {
    operand,
    stat,
    links: linkCount(fs, path, stat),
    linkTarget: stat.type === 'symlink' ? fs.readlink(path) : undefined,
    uid: users.find((u) => u.name === stat.user)?.uid ?? 0,
    gid: groups.find((g) => g.name === stat.group)?.gid ?? 0,
  };
}

/** stat [-L] [-c FORMAT | --format=FORMAT | --printf=FORMAT] FILE…. */
export const stat: CommandHandler = async (argv, io, system) => {
  let follow = false;
  let format: string | undefined;
  let newline = true;
  const operands: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-L' || a === '--dereference') follow = true;
    else if (a === '-c' || a === '--format') {
      if (i + 1 >= argv.length) {
        io.stderr(`stat: option requires an argument -- 'c'\nTry 'stat --help' for more information.\n`);
        return 1;
      }
      format = argv[++i];
    } else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a.startsWith('--printf=')) {
      format = a.slice('--printf='.length).replace(/\\n/g, '\n').replace(/\\t/g, '\t');
      newline = false;
    } else if (a.startsWith('-c') && a.length > 2) format = a.slice(2);
    else if (a.startsWith('-') && a !== '-') {
      io.stderr(`stat: invalid option -- '${a.replace(/^-+/, '')}'\nTry 'stat --help' for more information.\n`);
      return 1;
    } else operands.push(a);
  }
  if (operands.length === 0) {
    io.stderr(`stat: missing operand\nTry 'stat --help' for more information.\n`);
    return 1;
  }
  let status = 0;
  for (const operand of operands) {
    const file = describe(system, io, operand, follow);
    if (!file) {
      io.stderr(`stat: cannot statx '${operand}': No such file or directory\n`);
      status = 1;
      continue;
    }
    io.stdout(format === undefined ? longForm(file) : expand(format, file) + (newline ? '\n' : ''));
  }
  return status;
};

/**
 * The `stat` command (GNU coreutils): the default report and `-c`/`--format` with the common
 * directives. It shows the inode number, so a socket node that a daemon unlinked and bound again is
 * visible as a new inode at the same path.
 */
import type { FileStat } from '../kernel/kernel.ts';
import type { CommandHandler } from '../system.ts';
import { resolvePath } from '../shell/run-command-line.ts';
import { accounts, modeString } from './builtins.ts';

/** `%F`: the file type as stat names it. */
function typeName(st: FileStat): string {
  if (st.type === 'file') return st.size === 0 ? 'regular empty file' : 'regular file';
  return { directory: 'directory', symlink: 'symbolic link', socket: 'socket', fifo: 'fifo' }[st.type];
}

/** `2026-12-01 08:01:38.000000000 +0000`, stat's time format (UTC). */
function statTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.(\d{3})Z$/, '.$1000000 +0000');
}

/** stat [-L] [-c FORMAT] FILE…. */
export const stat: CommandHandler = async (argv, io, system) => {
  let format: string | undefined;
  let follow = false;
  const files: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-c' || a === '--format') format = argv[++i];
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a.startsWith('-c') && a.length > 2) format = a.slice(2);
    else if (a === '-L' || a === '--dereference') follow = true;
    else if (a.startsWith('-') && a !== '-') {
      io.stderr(`stat: invalid option -- '${a.replace(/^-+/, '')}'\nTry 'stat --help' for more information.\n`);
      return 1;
    } else files.push(a);
  }
  if (files.length === 0 || format === undefined && argv.includes('-c')) {
    io.stderr("stat: missing operand\nTry 'stat --help' for more information.\n");
    return 1;
  }
  const { users, groups } = accounts(system);
  const uid = (st: FileStat): number => users.find((u) => u.name === st.user)?.uid ?? 0;
  const gid = (st: FileStat): number => groups.find((g) => g.name === st.group)?.gid ?? 0;
  let status = 0;
  for (const file of files) {
    const path = resolvePath(io.env?.PWD ?? '/', file);
    const st = follow ? system.kernel.fs.stat(path) : system.kernel.fs.lstat(path);
    if (!st) {
      io.stderr(`stat: cannot statx '${file}': No such file or directory\n`);
      status = 1;
      continue;
    }
    const octal = (st.mode & 0o7777).toString(8);
    if (format !== undefined) {
      const fields: Record<string, string> = {
        a: octal, A: modeString(st), U: st.user, G: st.group, u: String(uid(st)), g: String(gid(st)),
        i: String(st.ino ?? 0), F: typeName(st), s: String(st.size), n: file, '%': '%',
      };
      io.stdout(format.replace(/%(.)/g, (whole, c: string) => fields[c] ?? whole) + '\n');
      continue;
    }
    const blocks = st.type === 'file' || st.type === 'directory' ? Math.ceil(st.size / 4096) * 8 : 0;
    const link = st.type === 'symlink' ? ` -> ${system.kernel.fs.readlink(path)}` : '';
    const time = statTime(st.mtimeMs);
    io.stdout(
      `  File: ${file}${link}\n` +
      `  Size: ${String(st.size).padEnd(10)}\tBlocks: ${String(blocks).padEnd(10)} IO Block: 4096   ${typeName(st)}\n` +
      `Device: 0,26\tInode: ${String(st.ino ?? 0).padEnd(11)} Links: 1\n` +
      `Access: (${octal.padStart(4, '0')}/${modeString(st)})  Uid: (${String(uid(st)).padStart(5)}/${st.user.padStart(8)})   Gid: (${String(gid(st)).padStart(5)}/${st.group.padStart(8)})\n` +
      `Access: ${time}\nModify: ${time}\nChange: ${time}\n Birth: ${time}\n`,
    );
  }
  return status;
};

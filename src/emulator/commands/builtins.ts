/**
 * The small Unix tools a lab terminal offers besides the systemd commands: cat, ls, echo, help, clear,
 * true, false, pwd, env, sleep, id, whoami, sudo -u. Output and errors as GNU coreutils print them.
 */
import type { FileStat, FileSystem } from '../kernel/kernel.ts';
import type { CommandHandler, CommandIO, System } from '../system.ts';
import { resolvePath } from '../path-util.ts';
import { COMMAND_TABLE, commandRow } from './command-table.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The working directory a command runs in. */
function cwdOf(io: CommandIO): string {
  return io.env?.PWD ?? '/';
}

/** Reads all of stdin as text. */
export function readStdin(io: CommandIO): Promise<string> {
  return new Promise((resolve) => {
    if (!io.stdin) return resolve('');
    let text = '';
    const offData = io.stdin.onData((t) => (text += t));
    const offEnd = io.stdin.onEnd(() => {
      offData();
      offEnd();
      resolve(text);
    });
    io.signal.addEventListener('abort', () => resolve(text), { once: true });
  });
}

/** cat [FILE…]: files (or stdin) to stdout. */
export const cat: CommandHandler = async (argv, io, system) => {
  const files = argv.slice(1);
  if (files.length === 0) {
    io.stdout(await readStdin(io));
    return 0;
  }
  let status = 0;
  for (const f of files) {
    if (f === '-') {
      io.stdout(await readStdin(io));
      continue;
    }
    try {
      io.stdout(system.kernel.fs.readFile(resolvePath(cwdOf(io), f)));
    } catch (error) {
      io.stderr(`cat: ${f}: ${(error as Error).message}\n`);
      status = 1;
    }
  }
  return status;
};

/** `drwxr-xr-x`-style mode text. */
export function modeString(stat: FileStat): string {
  const type = { file: '-', directory: 'd', symlink: 'l', socket: 's', fifo: 'p' }[stat.type];
  const m = stat.mode;
  const triple = (bits: number, special: boolean, specialChar: string): string =>
    (bits & 4 ? 'r' : '-') + (bits & 2 ? 'w' : '-') + (special ? (bits & 1 ? specialChar : specialChar.toUpperCase()) : bits & 1 ? 'x' : '-');
  return type + triple((m >> 6) & 7, (m & 0o4000) !== 0, 's') + triple((m >> 3) & 7, (m & 0o2000) !== 0, 's') + triple(m & 7, (m & 0o1000) !== 0, 't');
}

/** st_nlink: 1 for a file, 2 plus one per subdirectory for a directory (its `.` and each child's `..`). */
export function linkCount(fs: FileSystem, path: string, st: FileStat): number {
  if (st.type !== 'directory') return 1;
  try {
    return 2 + fs.readdir(path).filter((n) => fs.lstat(`${path === '/' ? '' : path}/${n}`)?.type === 'directory').length;
  } catch {
    return 2;
  }
}

/** st_blocks in 512-byte units: the kernel's figure, else a 4 KiB block per started 4 KiB of a file or directory. */
export function blocks512(st: FileStat): number {
  if (st.blocks !== undefined) return st.blocks;
  return st.type === 'file' || st.type === 'directory' ? Math.ceil(st.size / 4096) * 8 : 0;
}

/** ls's date column: `Nov 27 10:00` within six months of now, else `Nov 27  2025` (UTC). */
function lsDate(ms: number, now: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const recent = Math.abs(now - ms) < 182 * 24 * 3600 * 1000;
  const tail = recent ? `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}` : ` ${d.getUTCFullYear()}`;
  return `${MONTHS[d.getUTCMonth()]} ${day} ${tail}`;
}

/** ls [-l] [-a] [-1] [-i] [-d] [-Z] [PATH…]. */
export const ls: CommandHandler = async (argv, io, system) => {
  const fs = system.kernel.fs;
  let long = false;
  let all = false;
  let onePerLine = false;
  let inodes = false;
  let directoriesThemselves = false;
  let context = false;
  const paths: string[] = [];
  for (const a of argv.slice(1)) {
    if (a.startsWith('-') && a.length > 1 && !a.startsWith('--')) {
      for (const f of a.slice(1)) {
        if (f === 'l') long = true;
        else if (f === 'a') all = true;
        else if (f === '1') onePerLine = true;
        else if (f === 'i') inodes = true;
        else if (f === 'd') directoriesThemselves = true;
        else if (f === 'Z') context = true;
        else if (f !== 'h' && f !== 'A') {
          io.stderr(`ls: invalid option -- '${f}'\nTry 'ls --help' for more information.\n`);
          return 2;
        }
      }
    } else paths.push(a);
  }
  if (paths.length === 0) paths.push('.');
  const now = system.kernel.clock.now();
  const row = (name: string, path: string): string => {
    const st = fs.lstat(path)!;
    const links = linkCount(fs, path, st);
    const target = st.type === 'symlink' ? ` -> ${fs.readlink(path)}` : '';
    return `${modeString(st)} ${links} ${st.user} ${st.group} ${st.size} ${lsDate(st.mtimeMs, now)} ${name}${target}`;
  };
  const layout = (rows: Array<{ name: string; path: string }>): string => {
    if (rows.length === 0) return '';
    // -i: the inode number before each entry, right-aligned to the widest (ls -li aligns it as a column).
    const ino = (r: { path: string }): string => String(fs.lstat(r.path)?.ino ?? '?');
    const inoWidth = inodes ? Math.max(...rows.map((r) => ino(r).length)) : 0;
    const withIno = (r: { path: string }, text: string): string => (inodes ? `${ino(r).padStart(long ? inoWidth : 0)} ${text}` : text);
    if (long) {
      const lines = rows.map((r) => row(r.name, r.path).split(' '));
      // Right-align link count and size, pad user and group, as ls does.
      const width = (i: number) => Math.max(...lines.map((l) => l[i].length));
      const w = [0, width(1), width(2), width(3), width(4)];
      // -Z: the SELinux context, "?" on a machine without SELinux (Debian 12): after the group, or before the name.
      const ctx = context ? ['?'] : [];
      return lines.map((l, n) => withIno(rows[n], [l[0], l[1].padStart(w[1]), l[2].padEnd(w[2]), l[3].padEnd(w[3]), ...ctx, l[4].padStart(w[4]), ...l.slice(5)].join(' '))).join('\n') + '\n';
    }
    const named = (r: { name: string }): string => (context ? `? ${r.name}` : r.name);
    return onePerLine || inodes ? rows.map((r) => withIno(r, named(r))).join(onePerLine ? '\n' : '  ') + '\n' : rows.map(named).join('  ') + '\n';
  };
  let status = 0;
  const files: Array<{ name: string; path: string }> = [];
  const dirs: string[] = [];
  for (const p of paths) {
    const path = resolvePath(cwdOf(io), p);
    const st = fs.lstat(path);
    if (!st) {
      io.stderr(`ls: cannot access '${p}': No such file or directory\n`);
      status = 2;
      continue;
    }
    // -d lists a directory as itself, like a file, instead of its entries.
    if (!directoriesThemselves && (st.type === 'directory' || (st.type === 'symlink' && fs.stat(path)?.type === 'directory' && !long))) dirs.push(p);
    else files.push({ name: p, path });
  }
  // ls sorts its operands by name (files first, then each directory), whatever order they were given in.
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  dirs.sort();
  io.stdout(layout(files));
  dirs.forEach((p, n) => {
    const path = resolvePath(cwdOf(io), p);
    let names: string[];
    try {
      names = fs.readdir(path);
    } catch (error) {
      io.stderr(`ls: cannot open directory '${p}': ${(error as Error).message}\n`);
      status = 2;
      return;
    }
    const shown = (all ? ['.', '..', ...names] : names.filter((x) => !x.startsWith('.'))).map((name) => ({ name, path: name === '.' ? path : name === '..' ? resolvePath(path, '..') : `${path === '/' ? '' : path}/${name}` }));
    if (paths.length > 1) io.stdout(`${n > 0 || files.length > 0 ? '\n' : ''}${p}:\n`);
    // ls's total counts 1K blocks: st_blocks / 2 (0 for a tmpfs directory, a socket, a FIFO or a link).
    const blocks = shown.reduce((n, r) => {
      const st = fs.lstat(r.path);
      return n + (st ? blocks512(st) / 2 : 0);
    }, 0);
    if (long) io.stdout(`total ${blocks}\n`);
    io.stdout(layout(shown));
  });
  return status;
};

/** echo [-n] [-e] [-E] ARG…. */
export const echo: CommandHandler = async (argv, io) => {
  let newline = true;
  let escapes = false;
  let i = 1;
  for (; i < argv.length && /^-[neE]+$/.test(argv[i]); i++) {
    for (const f of argv[i].slice(1)) {
      if (f === 'n') newline = false;
      if (f === 'e') escapes = true;
      if (f === 'E') escapes = false;
    }
  }
  let text = argv.slice(i).join(' ');
  if (escapes) {
    const cut = text.indexOf('\\c');
    if (cut >= 0) {
      text = text.slice(0, cut);
      newline = false;
    }
    text = text.replace(/\\(0[0-7]{0,3}|x[0-9a-fA-F]{1,2}|.)/g, (_m, e: string) => {
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v', '\\': '\\' };
      if (simple[e] !== undefined) return simple[e];
      if (e.startsWith('0')) return String.fromCharCode(parseInt(e.slice(1) || '0', 8));
      if (e.startsWith('x')) return String.fromCharCode(parseInt(e.slice(1), 16));
      return '\\' + e;
    });
  }
  io.stdout(text + (newline ? '\n' : ''));
  return 0;
};

/** help: the commands this lab machine offers. */
export const help: CommandHandler = async (_argv, io, system) => {
  const shellBuiltins = COMMAND_TABLE.filter((row) => row.kind === 'shell' && row.name !== 'unset').map((row) => row.name);
  const names = [...new Set([...system.commandNames(), ...shellBuiltins])].sort();
  const width = Math.max(...names.map((n) => n.length));
  io.stdout('Commands available in this lab:\n' + names.map((n) => `  ${n.padEnd(width)}  ${commandRow(n)?.summary ?? ''}`.trimEnd()).join('\n') + '\n');
  return 0;
};

/** clear: the ANSI sequence that clears the screen and homes the cursor. */
export const clear: CommandHandler = async (_argv, io) => {
  io.stdout('\x1b[2J\x1b[H');
  return 0;
};

/** pwd. */
export const pwd: CommandHandler = async (_argv, io) => {
  io.stdout(cwdOf(io) + '\n');
  return 0;
};

/** env: NAME=value lines. */
export const env: CommandHandler = async (_argv, io) => {
  io.stdout(Object.entries(io.env ?? {}).map(([k, v]) => `${k}=${v}\n`).join(''));
  return 0;
};

/** sleep N[smhd]: waits on the machine's clock (virtual time when the clock is virtual); Ctrl+C → 130. */
export const sleep: CommandHandler = async (argv, io, system) => {
  if (argv.length < 2) {
    io.stderr("sleep: missing operand\nTry 'sleep --help' for more information.\n");
    return 1;
  }
  let ms = 0;
  for (const a of argv.slice(1)) {
    const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(a);
    if (!m) {
      io.stderr(`sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`);
      return 1;
    }
    ms += Number(m[1]) * { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  }
  const clock = system.kernel.clock;
  return new Promise((resolve) => {
    const handle = clock.setTimer(ms, () => resolve(0));
    io.signal.addEventListener('abort', () => {
      clock.cancelTimer(handle);
      resolve(130);
    }, { once: true });
  });
};

/** Parses /etc/passwd and /etc/group of the machine. */
export function accounts(system: System): { users: Array<{ name: string; uid: number; gid: number }>; groups: Array<{ name: string; gid: number; members: string[] }> } {
  const read = (p: string): string[][] => {
    try {
      return system.kernel.fs.readFile(p).split('\n').filter(Boolean).map((l) => l.split(':'));
    } catch {
      return [];
    }
  };
  return {
    users: read('/etc/passwd').map((f) => ({ name: f[0], uid: Number(f[2]), gid: Number(f[3]) })),
    groups: read('/etc/group').map((f) => ({ name: f[0], gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) })),
  };
}

/** The uid of the user a command runs as (io.env.USER, root by default). */
export function uidOf(system: System, io: CommandIO): number {
  const name = io.env?.USER ?? 'root';
  return accounts(system).users.find((u) => u.name === name)?.uid ?? 0;
}

/** whoami. */
export const whoami: CommandHandler = async (_argv, io) => {
  io.stdout(`${io.env?.USER ?? 'root'}\n`);
  return 0;
};

/** id [USER]: uid, gid and groups as coreutils prints them. */
export const id: CommandHandler = async (argv, io, system) => {
  const name = argv[1] ?? io.env?.USER ?? 'root';
  const { users, groups } = accounts(system);
  const user = users.find((u) => u.name === name);
  if (!user) {
    io.stderr(`id: '${name}': no such user\n`);
    return 1;
  }
  const primary = groups.find((g) => g.gid === user.gid);
  const member = [primary, ...groups.filter((g) => g.members.includes(name) && g !== primary)].filter((g): g is NonNullable<typeof g> => !!g);
  io.stdout(`uid=${user.uid}(${user.name}) gid=${user.gid}(${primary?.name ?? user.gid}) groups=${member.map((g) => `${g.gid}(${g.name})`).join(',')}\n`);
  return 0;
};

/** sudo [-u USER] COMMAND…: runs the command as USER (root by default). */
export const sudo: CommandHandler = async (argv, io, system) => {
  let i = 1;
  let user = 'root';
  if (argv[i] === '-u') {
    user = argv[i + 1] ?? '';
    i += 2;
  }
  if (i >= argv.length) {
    io.stderr('usage: sudo [-u user] command\n');
    return 1;
  }
  const known = accounts(system).users.find((u) => u.name === user);
  if (!known) {
    io.stderr(`sudo: unknown user ${user}\nsudo: error initializing audit plugin sudoers_audit\n`);
    return 1;
  }
  const home = user === 'root' ? '/root' : `/home/${user}`;
  return system.runCommand(argv.slice(i), { ...io, env: { ...io.env, USER: user, LOGNAME: user, HOME: home } });
};

/** true. */
export const trueCommand: CommandHandler = async () => 0;
/** false. */
export const falseCommand: CommandHandler = async () => 1;

/**
 * journald's syslog socket for the services of the Node kernel: a real program that logs with syslog(3) (sshd,
 * dbus-daemon, anything linked with glibc) sends RFC 3164 datagrams to /dev/log, and on the lab machine (a Debian
 * 12) journald reads them (systemd-journald-dev-log.socket) into the journal of the sender's unit. Here one AF_UNIX
 * datagram socket per emulator process (SO_PASSCRED: each datagram says its sender's pid) receives them, parses
 * them as journald does (journald-syslog.c: `<PRI>`, the date, `IDENTIFIER[PID]:`) and hands each to the process
 * that sent it, or to its nearest ancestor the kernel started (the unit's cgroup, as for notifications).
 *
 * glibc's syslog(3) always writes to /dev/log, and the services run on the host's file system (no chroot), so the
 * host's /dev/log must be this socket for them: with root, the emulator's main thread (the one that spawns every
 * child) moves to a mount namespace of its own (unshare(CLONE_NEWNS), private propagation: nothing reaches the host)
 * where /dev/log is this socket: bind-mounted onto the host's /dev/log where there is one, else /dev is a tmpfs that
 * holds bind mounts of every entry of the real /dev (reached through a handle opened before) and /dev/log. Without
 * root or libc there is no such means: syslog(3) of services then goes where the host's /dev/log leads, and
 * `syslogUnavailable()` says why.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadLibc, MS_BIND, MS_NOSUID, MS_PRIVATE, MS_REC, SOCK_DGRAM } from './libc.ts';
import type { Libc, ReceivedDatagram } from './libc.ts';
import type { SyslogRecord } from '../kernel.ts';
import { routeOfSender } from './notify-socket.ts';

const MONTHS = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} /;

/** A syslog datagram as journald reads it: priority (default user.info), the RFC 3164 date skipped, identifier and pid. */
export function parseSyslogDatagram(text: string): SyslogRecord {
  let p = text;
  let priority = 6;
  let facility = 1;
  const pri = /^<(\d{1,3})>/.exec(p);
  if (pri) {
    const value = Number(pri[1]);
    priority = value & 7;
    if (value >> 3 !== 0) facility = value >> 3;
    p = p.slice(pri[0].length);
  }
  const date = MONTHS.exec(p);
  if (date) p = p.slice(date[0].length);
  const record: SyslogRecord = { priority, facility, message: '' };
  // syslog_parse_identifier(): the first word, if it ends with ':' (IDENT: or IDENT[PID]:).
  const leading = /^[ \t\n]*/.exec(p)![0].length;
  const word = /^[^ \t\n]*/.exec(p.slice(leading))![0];
  if (word.length > 1 && word.endsWith(':')) {
    const id = /^(.*?)(?:\[([^\]]*)\])?:$/.exec(word)!;
    record.identifier = id[1];
    if (id[2] !== undefined && /^\d+$/.test(id[2])) record.pid = Number(id[2]);
    p = p.slice(leading + word.length);
    if (/^[ \t\n]/.test(p)) p = p.slice(1);
  }
  record.message = p.replace(/[\n\r]+$/, '');
  return record;
}

/** Called with each message of a process (or of one of its descendants). */
export type SyslogRoute = (record: SyslogRecord) => void;

/** The emulator process's syslog socket. */
export interface SyslogSocket {
  /** Where it is bound (a path on the host). */
  readonly path: string;
  /** Routes the messages of `pid` and its descendants to `callback` until the returned function is called. */
  route(pid: number, callback: SyslogRoute): () => void;
  /** Hands over every message queued now (before a process's exit is reported). */
  drain(): void;
}

/** The socket, while some kernel of this process uses it. */
let active: (SyslogSocket & { users: number; close(): void }) | undefined;
/** Where the services' /dev/log leads, once this process's mount namespace has it. */
let devLogPath: string | undefined;
let unavailable: string | undefined;

/** Why the services of this emulator cannot reach its journal through /dev/log, or undefined when they can. */
export function syslogUnavailable(): string | undefined {
  return active ? undefined : unavailable;
}

/**
 * The syslog socket of this process, made and put at the services' /dev/log on first use; undefined (with
 * syslogUnavailable() saying why) where that cannot be done. EMULATOR_DEV_LOG=0 turns it off. Each caller
 * calls release() when done: the last one closes the socket (a waiting thread would hold the process's exit).
 */
export function openSyslogSocket(): (SyslogSocket & { release(): void }) | undefined {
  const libc = loadLibc();
  if (!active) active = bindSyslogSocket(libc);
  if (!active) return undefined;
  const socket = active;
  socket.users++;
  let released = false;
  return {
    path: socket.path,
    route: (pid, callback) => socket.route(pid, callback),
    drain: () => socket.drain(),
    release() {
      if (released) return;
      released = true;
      if (--socket.users === 0) {
        if (active === socket) active = undefined;
        socket.close();
      }
    },
  };
}

/** Binds the socket at the services' /dev/log (setting the mount namespace up the first time). */
function bindSyslogSocket(libc: Libc | undefined): (SyslogSocket & { users: number; close(): void }) | undefined {
  if (unavailable) return undefined;
  if (process.env.EMULATOR_DEV_LOG === '0') unavailable = 'EMULATOR_DEV_LOG=0';
  else if (!libc) unavailable = 'no libc bindings (koffi)';
  else if (process.getuid?.() !== 0) unavailable = "a mount namespace needs root (the services' /dev/log stays the host's)";
  if (unavailable || !libc) return undefined;
  let socketPath = devLogPath;
  if (!socketPath) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-journal-'));
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    socketPath = path.join(dir, 'dev-log');
  }
  fs.rmSync(socketPath, { force: true });
  const fd = libc.unixSocket(SOCK_DGRAM, socketPath);
  if (fd < 0 || libc.passCredentials(fd) < 0) {
    if (fd >= 0) libc.close(fd);
    unavailable = `cannot bind ${socketPath} (errno ${fd < 0 ? -fd : 'SO_PASSCRED'})`;
    return undefined;
  }
  fs.chmodSync(socketPath, 0o666);
  if (!devLogPath) {
    const problem = putAtDevLog(libc, socketPath);
    if (problem) {
      libc.close(fd);
      unavailable = problem;
      return undefined;
    }
    devLogPath = socketPath;
  }
  const routes = new Map<number, SyslogRoute>();
  const routeOf = (pid: number): SyslogRoute | undefined => routeOfSender(routes, pid);
  const dispatch = (datagram: ReceivedDatagram): void => {
    for (const passed of datagram.fds) libc.close(passed);
    const pid = datagram.credentials?.pid;
    // A message of a process that no unit of this emulator runs is not kept.
    const route = pid !== undefined ? routeOf(pid) : undefined;
    if (!route) return;
    try {
      route(parseSyslogDatagram(datagram.data.toString('utf8')));
    } catch {
      // A malformed message never stops the socket.
    }
  };
  let closed = false;
  // Datagrams are read on the main thread only (a worker thread just waits for the fd to become readable), so
  // drain() can take every message a process sent before its exit is reported, as journald has them before PID 1
  // logs the exit.
  const drain = (): void => {
    if (closed) return;
    for (let datagram = libc.receiveNow(fd, SYSLOG_BUFFER); typeof datagram !== 'number'; datagram = libc.receiveNow(fd, SYSLOG_BUFFER)) dispatch(datagram);
  };
  const wait = (): void =>
    libc.waitReadable(fd, 60_000, () => {
      if (closed) {
        libc.close(fd);
        return;
      }
      drain();
      wait();
    });
  wait();
  return {
    path: socketPath,
    users: 0,
    drain,
    route(pid, callback) {
      routes.set(pid, callback);
      return () => {
        if (routes.get(pid) === callback) routes.delete(pid);
      };
    },
    close() {
      closed = true;
      // shutdown() ends the wait on its worker thread, which then closes the fd.
      libc.shutdown(fd);
    },
  };
}

/** journald's line limit (LINE_MAX) is larger than any syslog(3) message; a datagram beyond this is cut. */
const SYSLOG_BUFFER = 64 * 1024;

/** Makes `socketPath` the /dev/log of the children this (main) thread starts from now on; undefined, or what failed. */
function putAtDevLog(libc: Libc, socketPath: string): string | undefined {
  if (libc.unshareMounts() < 0) return 'unshare(CLONE_NEWNS) failed';
  if (libc.mount(null, '/', null, MS_REC | MS_PRIVATE, null) < 0) return 'cannot make the mount namespace private';
  let existing: fs.Stats | undefined;
  try {
    existing = fs.statSync('/dev/log');
  } catch {
    existing = undefined;
  }
  if (existing) return libc.mount(socketPath, '/dev/log', null, MS_BIND, null) < 0 ? 'cannot bind-mount /dev/log' : undefined;
  // No /dev/log on the host: a /dev of our own, with every entry of the real one bind-mounted back.
  const real = libc.openDirectoryPath('/dev');
  if (real < 0) return 'cannot open /dev';
  const entries = fs.readdirSync('/dev', { withFileTypes: true });
  if (libc.mount('tmpfs', '/dev', 'tmpfs', MS_NOSUID, 'mode=755') < 0) return 'cannot mount a tmpfs on /dev';
  const from = `/proc/self/fd/${real}`;
  for (const entry of entries) {
    const source = `${from}/${entry.name}`;
    const target = `/dev/${entry.name}`;
    try {
      if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), target);
      else if (entry.isDirectory()) {
        fs.mkdirSync(target);
        libc.mount(source, target, null, MS_BIND | MS_REC, null);
      } else {
        fs.writeFileSync(target, '');
        libc.mount(source, target, null, MS_BIND, null);
      }
    } catch {
      // An entry that cannot be recreated is left out (the host's /dev keeps it).
    }
  }
  libc.close(real);
  fs.symlinkSync(socketPath, '/dev/log');
  return undefined;
}

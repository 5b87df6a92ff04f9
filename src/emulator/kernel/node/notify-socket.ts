/**
 * NOTIFY_SOCKET for the services of the Node kernel, as PID 1 has it: an AF_UNIX datagram socket
 * (`@emulator-notify-…`, abstract) with SO_PASSCRED, so each datagram comes with its sender's pid, and fds sent
 * with SCM_RIGHTS (FDSTORE=1, sd_notify_barrier()) arrive too. libsystemd's sd_notify(), python3-systemd,
 * systemd-notify and every other client speak to it unmodified. Node cannot create datagram sockets, so the
 * socket comes from libc.ts (koffi).
 *
 * A second endpoint, a stream socket, serves the emulator's own `sd-daemon` module for Node services
 * (EMULATOR_NOTIFY_STREAM): one connection per message, `PID\nMESSAGE`. Where libc cannot be loaded (a
 * WebContainer) it is the only one, and NOTIFY_SOCKET names it (`tcp:127.0.0.1:PORT` without Unix sockets).
 * It is a file in the temporary folder, not an abstract name: libuv before 1.46 (Node 18, the machine's node
 * on Debian 12: program-node.ts) connects to an abstract name padded with NULs to the whole sun_path, which is
 * another name than the one the emulator's Node binds.
 *
 * A message is routed as systemd routes it by cgroup: to the unit whose process sent it, or whose process is
 * an ancestor of the sender (a child of the main process), found through /proc/PID/stat.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NotifySender, StoredFd } from '../kernel.ts';
import { isBarrier, NOTIFY_BUFFER_MAX, readNotifyDatagram } from '../../manager/notify-message.ts';
import { loadLibc, SOCK_DGRAM } from './libc.ts';
import type { Libc, ReceivedDatagram } from './libc.ts';

/** Called for each message routed to a process (sender.keep() keeps an fd; the others are closed). */
export type NotifyRoute = (message: string, sender: NotifySender) => void;

/** The kernel's notification endpoint. */
export interface NotifySocket {
  /** The value for NOTIFY_SOCKET. */
  readonly address: string;
  /** For the emulator's sd-daemon module (Node services): the stream endpoint, when NOTIFY_SOCKET is a datagram socket. */
  readonly streamAddress?: string;
  /** True when NOTIFY_SOCKET is a real datagram socket (libsystemd clients work). */
  readonly datagram: boolean;
  /** Routes the notifications of `pid` and its descendants to `callback` until the returned function is called. */
  route(pid: number, callback: NotifyRoute): () => void;
  /** Where manager-level warnings go ("Cannot find unit for notify message of PID …"). */
  setWarningLog(log: (message: string) => void): void;
  close(): void;
}

let nextNotifyId = 1;
/** How far up the process tree a sender is looked for (a cgroup has no depth limit; this is only a bound). */
const MAX_ANCESTORS = 32;

/** A received fd the manager may keep (FDSTORE=1); closed by close() or when nobody keeps it. */
class ReceivedFd implements StoredFd {
  private static nextId = 1;
  readonly id = ReceivedFd.nextId++;
  private open = true;
  readonly fd: number;
  private readonly libc: Libc;
  constructor(fd: number, libc: Libc) {
    this.fd = fd;
    this.libc = libc;
  }
  get isOpen(): boolean {
    return this.open;
  }
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.libc.close(this.fd);
  }
}

/** The open fd behind a stored fd of this kernel (to pass it to a child), or undefined. */
export function rawFdOf(stored: StoredFd): number | undefined {
  return stored instanceof ReceivedFd && stored.isOpen ? stored.fd : undefined;
}

/** The parent pid of `pid` from /proc, or undefined when the process is gone. */
export function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const parent = Number(fields[1]);
    return Number.isInteger(parent) && parent > 0 ? parent : undefined;
  } catch {
    return undefined;
  }
}

/** The value `routes` keeps for `pid` or for its nearest ancestor that has one (a sender's unit, as its cgroup would say). */
export function routeOfSender<T>(routes: ReadonlyMap<number, T>, pid: number): T | undefined {
  let current: number | undefined = pid;
  for (let depth = 0; current !== undefined && current > 1 && depth < MAX_ANCESTORS; depth++) {
    const route = routes.get(current);
    if (route) return route;
    current = parentOf(current);
  }
  return undefined;
}

/** Starts listening for notifications (a datagram socket where libc loads, and the stream endpoint). */
export async function openNotifySocket(unixSockets: boolean): Promise<NotifySocket> {
  const routes = new Map<number, NotifyRoute>();
  let warn = (message: string): void => {
    console.error(`emulator: ${message}`);
  };
  const id = `${process.pid}-${nextNotifyId++}`;

  /** Finds the route of `pid` or of its nearest ancestor that the kernel started. */
  const routeOf = (pid: number): NotifyRoute | undefined => routeOfSender(routes, pid);

  /** manager_dispatch_notify_fd(): checks the datagram, handles a barrier, routes it, closes unkept fds. */
  const dispatch = (pid: number | undefined, uid: number, data: Uint8Array, truncated: boolean, fds: StoredFd[]): void => {
    const closeAll = (): void => {
      for (const fd of fds) fd.close();
    };
    if (pid === undefined || pid <= 0) {
      warn('Received notify message without valid credentials. Ignoring.');
      closeAll();
      return;
    }
    const datagram = readNotifyDatagram(data, truncated);
    if ('warning' in datagram) {
      warn(datagram.warning);
      closeAll();
      return;
    }
    if (isBarrier(datagram.tags)) {
      // sd_notify_barrier(): closing the fd it sent tells the sender that everything before it was read.
      if (fds.length !== 1) warn('Got incorrect number of fds with BARRIER=1, closing them.');
      closeAll();
      return;
    }
    const route = routeOf(pid);
    if (!route) {
      warn(`Cannot find unit for notify message of PID ${pid}, ignoring.`);
      closeAll();
      return;
    }
    const kept = new Set<StoredFd>();
    route(datagram.tags.join('\n'), { pid, uid, fds, notUtf8: datagram.notUtf8, keep: (fd) => kept.add(fd) });
    const extra = fds.filter((fd) => !kept.has(fd));
    if (extra.length > 0) {
      warn('Got extra auxiliary fds with notification message, closing them.');
      for (const fd of extra) fd.close();
    }
  };

  const libc = unixSockets ? loadLibc() : undefined;
  let datagramFd = -1;
  let closed = false;
  const datagramName = `emulator-notify-${id}`;
  if (libc) {
    const fd = libc.unixSocket(SOCK_DGRAM, `\0${datagramName}`);
    if (fd >= 0 && libc.passCredentials(fd) >= 0) datagramFd = fd;
    else if (fd >= 0) libc.close(fd);
  }
  if (libc && datagramFd >= 0) {
    const socketFd = datagramFd;
    const onDatagram = (error: number, datagram?: ReceivedDatagram): void => {
      if (closed || error !== 0 || !datagram) {
        if (datagram) for (const fd of datagram.fds) libc.close(fd);
        if (!closed && error !== 0) warn(`Failed to receive notification message: error ${-error}`);
        if (closed || error !== 0) libc.close(socketFd);
        else libc.receive(socketFd, NOTIFY_BUFFER_MAX + 1, onDatagram); // an empty datagram
        return;
      }
      const fds = datagram.fds.map((fd) => new ReceivedFd(fd, libc));
      try {
        dispatch(datagram.credentials?.pid, datagram.credentials?.uid ?? 0, datagram.data, datagram.truncated, fds);
      } catch (failure) {
        warn(`Failed to process notification message: ${(failure as Error).message}`);
        for (const fd of fds) fd.close();
      }
      libc.receive(socketFd, NOTIFY_BUFFER_MAX + 1, onDatagram);
    };
    libc.receive(socketFd, NOTIFY_BUFFER_MAX + 1, onDatagram);
  }

  // The stream endpoint (the sd-daemon module of Node services; the only one without libc).
  const server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    let size = 0;
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= NOTIFY_BUFFER_MAX + 32) chunks.push(chunk);
    });
    socket.on('error', () => undefined);
    socket.on('end', () => {
      socket.end();
      const data = Buffer.concat(chunks);
      const newline = data.indexOf(0x0a);
      if (newline < 0) return;
      const pid = Number(data.subarray(0, newline).toString('latin1'));
      dispatch(Number.isInteger(pid) ? pid : undefined, 0, data.subarray(newline + 1), size > NOTIFY_BUFFER_MAX + 32, []);
    });
  });
  const streamPath = path.join(os.tmpdir(), `emulator-notify-stream-${id}.sock`);
  const streamAddress = await new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    if (unixSockets) {
      fs.rmSync(streamPath, { force: true });
      server.listen(streamPath, () => resolve(streamPath));
    }
    else server.listen({ host: '127.0.0.1', port: 0 }, () => resolve(`tcp:127.0.0.1:${(server.address() as net.AddressInfo).port}`));
  });
  server.unref();
  const datagram = datagramFd >= 0;
  return {
    address: datagram ? `@${datagramName}` : streamAddress,
    streamAddress: datagram ? streamAddress : undefined,
    datagram,
    route(pid, callback) {
      routes.set(pid, callback);
      return () => {
        if (routes.get(pid) === callback) routes.delete(pid);
      };
    },
    setWarningLog(log) {
      warn = log;
    },
    close() {
      closed = true;
      server.close();
      // shutdown() ends the pending recvmsg() on its worker thread, which then closes the fd.
      if (libc && datagramFd >= 0) libc.shutdown(datagramFd);
    },
  };
}

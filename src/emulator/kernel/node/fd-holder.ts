/**
 * The fd holder: a tiny long-lived Node child process, started once per kernel, that keeps a copy of every
 * listening socket the emulator hands to a service (what systemd does by simply keeping its own fd).
 *
 * Why a process: Node cannot dup(2) a file descriptor, and the only way for the emulator to stop accepting on
 * a socket is to close its libuv handle, which closes its fd. Node IPC passes a raw handle ('net.Native') with
 * SCM_RIGHTS, which duplicates it into the receiver; a raw handle (unlike a net.Server) is not polled there, so
 * the holder never accepts. Sending it back gives the emulator a fresh fd for the same socket, any number of
 * times: that is our dup(). The kernel backlog belongs to the socket, not to an fd, so it survives as long as
 * one copy is open anywhere.
 *
 * It also knows the process group of every service the emulator started: when the emulator dies without its
 * teardown (SIGKILL, a test runner's timeout), the IPC channel closes and the holder kills those groups, so no
 * service outlives its emulator holding a port.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/** A libuv stream handle (tcp_wrap TCP or pipe_wrap Pipe) as Node passes it over IPC. */
export interface RawHandle {
  readonly fd: number;
  onconnection: ((status: number, client?: unknown) => void) | null;
  listen(backlog: number): number;
  /** uv_stream_set_blocking(): clears (true) or sets O_NONBLOCK; 0 or a libuv error number. */
  setBlocking?(blocking: boolean): number;
  close(): void;
}

/** The holder process's whole program (runs with `node -e`). */
const HOLDER_PROGRAM = `
const held = new Map();
process.on('message', (message, handle) => {
  if (message.op === 'store') held.set(message.id, handle);
  else if (message.op === 'fetch') process.send({ op: 'copy', id: message.id, seq: message.seq }, held.get(message.id));
  else if (message.op === 'drop') { held.get(message.id)?.close(); held.delete(message.id); }
  else if (message.op === 'ping') process.send({ op: 'pong', seq: message.seq });
  else if (message.op === 'group') groups.add(message.pgid);
  else if (message.op === 'ungroup') groups.delete(message.pgid);
});
const groups = new Set();
// The emulator is gone (also SIGKILL, a test runner's timeout): its services' process groups go with it.
process.on('disconnect', () => {
  for (const pgid of groups) { try { process.kill(-pgid, 'SIGKILL'); } catch {} }
  process.exit(0);
});
`;

/** Keeps copies of listening sockets in a helper process and hands out fresh fds for them. */
export interface FdHolder {
  /** Gives the holder a copy of `handle` under `id`; resolves once the copy is in flight (the caller may close its own). */
  store(id: number, handle: unknown): Promise<void>;
  /** A fresh copy of the socket stored under `id`. */
  fetch(id: number): Promise<RawHandle>;
  /** Closes the holder's copy (the socket unit is stopped). */
  drop(id: number): void;
  /** A service's process group, to kill should the emulator die (`alive` false: it is empty, forget it). */
  watchGroup(pgid: number, alive: boolean): void;
  /** Starts the holder process now (it would start at the first store()). */
  start(): void;
  /**
   * Resolves once the holder process runs and has answered every request sent before this one (the holder
   * answers in order), i.e. every socket's spare copy asked for so far is back.
   */
  ready(): Promise<void>;
  /** Ends the holder process; resolves once it is gone (with it, its copies of the sockets). */
  close(): Promise<void>;
}

/** Creates the fd holder of one kernel; the process starts at the first store(). */
export function createFdHolder(nodePath: string): FdHolder {
  let child: ChildProcess | undefined;
  let nextSeq = 1;
  const waiting = new Map<number, { resolve: (handle: RawHandle | undefined) => void; reject: (error: Error) => void }>();

  const settleRef = (): void => {
    // The holder must never keep the emulator alive by itself, but an answer we wait for must arrive.
    if (!child?.channel) return;
    if (waiting.size > 0) child.channel.ref();
    else child.channel.unref();
  };

  const start = (): ChildProcess => {
    if (child) return child;
    const started = spawn(nodePath, ['-e', HOLDER_PROGRAM], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    started.on('message', (message: { op: string; seq: number }, handle: unknown) => {
      const pending = waiting.get(message.seq);
      if (!pending) return;
      waiting.delete(message.seq);
      settleRef();
      if (handle || message.op === 'pong') pending.resolve(handle as RawHandle | undefined);
      else pending.reject(new Error('fd holder: it holds no such socket'));
    });
    const failAll = (): void => {
      for (const pending of waiting.values()) pending.reject(new Error('fd holder: the helper process exited'));
      waiting.clear();
    };
    started.on('exit', failAll);
    started.on('error', failAll);
    started.unref();
    child = started;
    settleRef();
    return started;
  };

  /** Sends a request that the holder answers (fetch, ping); resolves with the handle the answer carries. */
  const request = (message: { op: string; id?: number }): Promise<RawHandle | undefined> => {
    const holder = start();
    const seq = nextSeq++;
    return new Promise((resolve, reject) => {
      waiting.set(seq, { resolve, reject });
      settleRef();
      holder.send({ ...message, seq }, (error) => {
        if (!error) return;
        waiting.delete(seq);
        settleRef();
        reject(error);
      });
    });
  };

  return {
    store(id, handle) {
      const holder = start();
      return new Promise((resolve, reject) => {
        holder.send({ op: 'store', id }, handle as never, (error) => (error ? reject(error) : resolve()));
      });
    },
    fetch(id) {
      return request({ op: 'fetch', id }) as Promise<RawHandle>;
    },
    ready() {
      return request({ op: 'ping' }).then(() => undefined);
    },
    start() {
      start();
    },
    drop(id) {
      if (child?.connected) child.send({ op: 'drop', id });
    },
    watchGroup(pgid, alive) {
      if (child?.connected) child.send({ op: alive ? 'group' : 'ungroup', pgid });
    },
    close() {
      const ending = child;
      child = undefined;
      if (!ending || ending.exitCode !== null || ending.signalCode !== null) return Promise.resolve();
      const gone = new Promise<void>((resolve) => ending.once('exit', () => resolve()));
      ending.ref(); // keep the event loop alive until the exit is seen
      ending.kill('SIGKILL');
      return gone;
    },
  };
}

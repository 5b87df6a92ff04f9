/**
 * Services as real child processes. Each fd the manager passes becomes the child's fd 3, 4, …:
 * - a listening socket (Accept=no): with fd passing, the public listening socket itself (direct mode; the
 *   emulator stops accepting on it while the child runs); otherwise the child gets a private listening socket
 *   of its own (an abstract Unix address, or in shim mode a loopback address the preload shim listens on) and
 *   the emulator's socket relays its connections there (see node-listening-socket.ts);
 * - a connection (Accept=yes): the accepted socket itself, as a real fd (or fds 0 and 1 for StandardInput=socket).
 * LISTEN_PID is the child's own pid: Node programs get it from the preload shim before their code runs; other
 * programs are started through `/bin/sh -c 'LISTEN_PID=$$; export LISTEN_PID; exec "$0" "$@"'` (exec keeps the pid).
 */
import { spawn as spawnChild } from 'node:child_process';
import type { StdioOptions } from 'node:child_process';
import * as net from 'node:net';
import { KernelError } from '../kernel.ts';
import type { ExitStatus, Process, ProcessTable, SpawnOptions, Unsubscribe } from '../kernel.ts';
import { isNodeConnection } from './node-connection.ts';
import type { NodeConnection } from './node-connection.ts';
import { NodeFdSocket } from './node-fd-socket.ts';
import { NodeListeningSocket } from './node-listening-socket.ts';
import type { RelayTarget, SocketOwner } from './node-listening-socket.ts';
import { rawFdOf } from './notify-socket.ts';
import type { NotifySocket } from './notify-socket.ts';
import type { SyslogSocket } from './syslog-socket.ts';
import type { PortSource } from './loopback-ports.ts';
import { resolveIdentity, type Identity } from './host-identity.ts';
import { UserDatabase } from '../memory/users.ts';
import { ModelledSocket } from './modelled-socket.ts';
import type { PseudoProcesses } from './pseudo-processes.ts';
import { resolveHostCommand } from './program-command.ts';
import { resolveHostPath } from './root-paths.ts';
import * as fs from 'node:fs';
import { fastSpawn, reapAll, type ChildHandle, type FastStdio } from './fast-spawn.ts';
import { loadLibc } from './libc.ts';
import type { ProgramNode } from './program-node.ts';

/** How long an exit waits for the output pipes to end when a left-behind process holds them. */
const EXIT_OUTPUT_GRACE_MS = 100;
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const SET_LISTEN_PID = 'LISTEN_PID=$$; export LISTEN_PID; exec "$0" "$@"';

let nextRelayId = 1;

/** What the process table needs from its kernel. */
export interface ProcessContext {
  root: string;
  fdPassing: boolean;
  /** The Node.js that runs Node programs (the machine's /usr/bin/node: program-node.ts). */
  node: ProgramNode;
  shimPath: string;
  modulesDir: string;
  notify: NotifySocket;
  /**
   * journald's /dev/log (syslog-socket.ts), where the services can reach it: opened (`open`) before the first
   * service that is not a Node program starts (Node programs do not use syslog(3)); undefined while not open.
   */
  syslog?: (open: boolean) => SyslogSocket | undefined;
  ports: PortSource;
  /** The emulator's built-in programs, run in-process (pseudo-processes.ts). */
  builtins: PseudoProcesses;
  /** Told of each service's process group (alive) and of its end (not alive): the fd holder's kill on our death. */
  onProcessGroup?: (pgid: number, alive: boolean) => void;
}

/** A running child with what must happen when it exits. */
interface Child extends Process {
  readonly child: ChildHandle;
  /** True from the moment the process is dying (the kernel's view) until its exit has been reported. */
  dying(): boolean;
}

/** How long settle() waits at most for exits in progress to be reported. */
const SETTLE_LIMIT_MS = 250;
/** PF_EXITING in /proc/PID/stat's flags: the process is in exit(). */
const PF_EXITING = 0x4;

/** Whether /proc shows processes here (not in a WebContainer): without it, settle() has nothing to look at. */
const HAS_PROC = fs.existsSync('/proc/self/stat');

/** True when the kernel says `pid` is exiting or a zombie (exited, not reaped yet). */
function exitingNow(pid: number): boolean {
  if (!HAS_PROC) return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' || fields[0] === 'X' || (Number(fields[6]) & PF_EXITING) !== 0;
  } catch {
    return true; // gone: its exit is on its way
  }
}

/** Signals a stop sends to the service's whole process group (KillMode=control-group); others go to the main process. */
const GROUP_SIGNALS = new Set(['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGQUIT']);

/** Creates the ProcessTable of the Node kernel. */
export function createNodeProcessTable(context: ProcessContext): ProcessTable & { killAll(): Promise<void>; serviceGroups(): ReadonlyMap<number, number> } {
  const running = new Set<Child>();
  /**
   * The process group of every service started (each its own, as a cgroup), with when it was spawned (ms): the
   * teardown kills what is left in them; ss orders the sockets their processes bound by that time.
   */
  const groups = new Map<number, number>();

  const spawn = (options: SpawnOptions): Process => {
    const builtin = context.builtins.programFor(options.argv[0] ?? '');
    if (builtin) return context.builtins.spawn(builtin, options);
    const command = resolveHostCommand(context.root, options.argv, context.node.path);
    if (!command.isNode) context.syslog?.(true);
    const env: Record<string, string> = { PATH: DEFAULT_PATH, ...options.env };
    // The manager sets NOTIFY_SOCKET for Type=notify; it means this kernel's own notification socket.
    if ('NOTIFY_SOCKET' in env) {
      env.NOTIFY_SOCKET = context.notify.address;
      if (command.isNode && context.notify.streamAddress) env.EMULATOR_NOTIFY_STREAM = context.notify.streamAddress;
    }
    const stdio: StdioOptions = ['ignore', 'pipe', 'pipe'];
    // PID 1 clears O_NONBLOCK on the passed fds unless NonBlocking=yes (exec_child(): flags_fds()).
    const nonBlocking = options.nonBlocking ?? false;
    const afterSpawn: Array<() => void> = [];
    const relays: Array<{ socket: NodeListeningSocket; connect: () => net.Socket }> = [];
    const handedOver: Array<{ socket: NodeListeningSocket; owner: SocketOwner }> = [];
    const name = options.argv[0].split('/').pop() ?? options.argv[0];
    let stdinRelay: NodeConnection | undefined;

    options.fds.forEach((entry, index) => {
      const fd = 3 + index;
      if (entry instanceof NodeListeningSocket) {
        const directFd = context.fdPassing && entry.handsOverDirectly ? entry.directFd(nonBlocking) : undefined;
        if (directFd !== undefined) {
          stdio[fd] = { fd: directFd } as unknown as number;
          handedOver.push({ socket: entry, owner: { name, pid: -1, fd } });
        } else if (context.fdPassing) {
          const name = `\0emulator-relay-${process.pid}-${nextRelayId++}`;
          const internal = net.createServer();
          internal.listen({ path: name, backlog: 4096 });
          const handle = (internal as unknown as { _handle: StreamHandle })._handle;
          handle.setBlocking(!nonBlocking); // closed here right after the spawn: the emulator never accepts on it
          stdio[fd] = { fd: handle.fd } as unknown as number;
          afterSpawn.push(() => internal.close());
          relays.push({ socket: entry, connect: () => net.connect({ path: name, allowHalfOpen: true }) });
        } else {
          const port = context.ports.take();
          env[`EMULATOR_FD_${fd}`] = `tcp:127.0.0.1:${port}`;
          env.EMULATOR_FDS = env.EMULATOR_FDS ? `${env.EMULATOR_FDS},${fd}` : String(fd);
          stdio[fd] = 'ignore';
          relays.push({ socket: entry, connect: () => net.connect({ host: '127.0.0.1', port, allowHalfOpen: true }) });
        }
      } else if (entry instanceof NodeFdSocket) {
        // A datagram socket, seqpacket socket or FIFO: the emulator only watches it; the service reads it.
        stdio[fd] = { fd: entry.prepareForService(nonBlocking) } as unknown as number;
      } else if (entry instanceof ModelledSocket) {
        // Modelled only (no libc here): the service gets /dev/null as this fd (modelled-socket.ts).
        stdio[fd] = 'ignore';
      } else if (isNodeConnection(entry) && context.fdPassing) {
        stdio[fd] = { fd: socketFd(entry, !nonBlocking) } as unknown as number;
        afterSpawn.push(() => entry.socket.destroy());
      } else {
        throw new KernelError('EOPNOTSUPP', `Cannot pass connection ${entry.id} as fd ${fd}: this platform cannot pass file descriptors to a child (Accept=yes needs StandardInput=socket here).`);
      }
    });
    // The fd store (FDSTORE=1) follows, as service_collect_fds() orders it.
    (options.storedFds ?? []).forEach((stored, index) => {
      const raw = rawFdOf(stored);
      stdio[3 + options.fds.length + index] = raw !== undefined ? ({ fd: raw } as unknown as number) : 'ignore';
    });
    // StandardInput=socket: stdin is the connection, and so are the outputs StandardOutput=/StandardError= send
    // there (inherit: stderr follows stdout), as exec_child() sets them up.
    const toConnection = new Set(options.stdioOutputs ?? ['stdout']);
    if (options.stdioConnection) {
      const connection = options.stdioConnection;
      if (!isNodeConnection(connection)) throw new KernelError('EINVAL', 'StandardInput=socket needs a connection from this kernel.');
      if (context.fdPassing) {
        // exec_child() puts the StandardInput=socket fd in blocking mode whatever NonBlocking= says.
        const socket = { fd: socketFd(connection, true) } as unknown as number;
        stdio[0] = socket;
        if (toConnection.has('stdout')) stdio[1] = socket;
        if (toConnection.has('stderr')) stdio[2] = socket;
        afterSpawn.push(() => connection.socket.destroy());
      } else {
        stdio[0] = stdio[1] = 'pipe';
        stdinRelay = connection;
      }
    }

    let file = command.file;
    let args = command.args;
    if (command.isNode) {
      args = ['--require', context.shimPath, ...args];
      const nodeEnv = Object.keys(context.node.env);
      if (nodeEnv.length > 0) {
        Object.assign(env, context.node.env);
        env.EMULATOR_HOST_ENV = nodeEnv.join(',');
      }
      env.EMULATOR_MODULES = context.modulesDir;
      env.EMULATOR_ROOT = context.root;
      if (options.setListenPid) env.EMULATOR_LISTEN_PID = '1';
    } else if (options.setListenPid) {
      args = ['-c', SET_LISTEN_PID, file, ...args];
      file = '/bin/sh';
    }
    const cwd = options.cwd ? resolveHostPath(context.root, options.cwd) : context.root;
    // User=/Group= apply where the emulator may switch users: only root can, like PID 1. A dynamic user
    // (DynamicUser=) has the UID the manager allocated, which the host's user database does not list.
    // Where the emulator may not switch users (not root, a WebContainer), the identity is modelled: the preload
    // shim makes process.getuid()/getgid() of a Node service return it (EMULATOR_UID/EMULATOR_GID).
    const wanted = serviceIdentity(options);
    const identity = process.getuid?.() === 0 ? wanted : undefined;
    if (wanted && !identity && command.isNode) {
      env.EMULATOR_UID = String(wanted.uid);
      env.EMULATOR_GID = String(wanted.gid);
    }
    // Hand over before the exec, as PID 1 does: the emulator stops accepting and the connections it already
    // holds go back into the kernel backlog (relayed through the public address), so the service finds them there.
    for (const { socket, owner } of handedOver) socket.handOver(owner);
    let child: ChildHandle;
    try {
      // posix_spawn() where it can (fast-spawn.ts: fork() of the emulator costs milliseconds), else child_process;
      // both give the service a process group of its own (detached: setsid()).
      child = (!identity && fastSpawn(loadLibc(), file, args, { argv0: options.argv[0], env, cwd, stdio: stdio as FastStdio[] }))
        || spawnChild(file, args, { env, cwd, stdio, argv0: options.argv[0], detached: true, ...identity });
    } catch (error) {
      for (const { socket, owner } of handedOver) socket.takeBack(owner);
      throw error;
    }
    for (const { socket } of handedOver) socket.spawned();
    for (const step of afterSpawn) step();
    return track(child, options, relays, handedOver, stdinRelay);
  };

  const track = (
    child: ChildHandle,
    options: SpawnOptions,
    relays: Array<{ socket: NodeListeningSocket; connect: () => net.Socket }>,
    handedOver: Array<{ socket: NodeListeningSocket; owner: SocketOwner }>,
    stdinRelay: NodeConnection | undefined,
  ): Process => {
    const exitListeners = new Set<(status: ExitStatus) => void>();
    const exitedListeners: Array<() => void> = [];
    let exited = false;
    let status: ExitStatus | undefined;
    const pid = child.pid ?? -1;
    if (pid > 0) {
      groups.set(pid, Date.now());
      context.onProcessGroup?.(pid, true);
    }
    const unroute = context.notify.route(pid, options.onNotify);
    const onSyslog = options.onSyslog;
    const syslog = onSyslog && pid > 0 ? context.syslog?.(false) : undefined;
    const unrouteSyslog = syslog?.route(pid, onSyslog!);

    const target = (connect: () => net.Socket): RelayTarget => ({
      connect,
      get exited() {
        return exited;
      },
      whenExited(callback) {
        if (exited) callback();
        else exitedListeners.push(callback);
      },
      owner: { name: options.argv[0].split('/').pop() ?? options.argv[0], pid },
    });
    for (const relay of relays) relay.socket.attachRelay(target(relay.connect));
    const name = options.argv[0].split('/').pop() ?? options.argv[0];
    // A child that failed to start holds nothing; its 'error' comes later, so hand over only to a real one.
    for (const { owner } of handedOver) owner.pid = pid;
    const owners = pid > 0 ? handedOver : [];
    if (pid <= 0) for (const { socket, owner } of handedOver) socket.takeBack(owner);

    const toConnection = new Set(options.stdioOutputs ?? ['stdout']);
    if (stdinRelay) {
      const socket = stdinRelay.socket;
      for (const chunk of stdinRelay.prelude.splice(0)) child.stdin?.write(chunk);
      socket.pipe(child.stdin!);
      if (toConnection.has('stdout')) child.stdout!.pipe(socket);
      else forwardLines(child.stdout, (line) => options.onOutput(line, 'stdout'));
      if (toConnection.has('stderr')) child.stderr?.pipe(socket, { end: !toConnection.has('stdout') });
      child.stdin?.on('error', () => undefined);
    } else {
      forwardLines(child.stdout, (line) => options.onOutput(line, 'stdout'));
    }
    if (!stdinRelay || !toConnection.has('stderr')) forwardLines(child.stderr, (line) => options.onOutput(line, 'stderr'));

    const markExited = (): void => {
      if (exited) return;
      exited = true;
      unroute();
      // What it logged through /dev/log before it exited reaches the journal before its exit (one recvmsg, MSG_DONTWAIT).
      if (unrouteSyslog) {
        syslog?.drain();
        unrouteSyslog();
      }
      for (const { socket, owner } of owners) socket.takeBack(owner);
      for (const callback of exitedListeners.splice(0)) callback();
    };
    child.on('exit', (code, signal) => {
      status = signal ? { signal } : { code: code ?? 0 };
      markExited();
      // The exit is reported once the output pipes have ended (so the journal has every line first), or soon
      // after the exit when a process the service left behind keeps them open: PID 1 sees the exit at once.
      setTimeout(finish, EXIT_OUTPUT_GRACE_MS).unref();
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      options.onOutput(`Failed to execute ${options.argv[0]}: ${error.message}`, 'stderr');
      status = { code: 127 };
      markExited();
      finish();
    });
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      running.delete(entry);
      // An empty group is forgotten (its number may be reused); one that still has members stays ours until teardown.
      if (pid > 0 && !groupAlive(pid)) {
        groups.delete(pid);
        context.onProcessGroup?.(pid, false);
      }
      for (const listener of [...exitListeners]) listener(status ?? { code: 0 });
      // Connections put back in a backlog while the exit was being reported must wake the manager again.
      for (const relay of relays) relay.socket.nudge();
      for (const { socket } of owners) socket.nudge();
    };
    child.on('close', finish);

    const entry: Child = {
      pid,
      argv: options.argv,
      child,
      dying: () => !finished && (exited || (pid > 0 && exitingNow(pid))),
      kill(signal) {
        try {
          if (GROUP_SIGNALS.has(signal) && pid > 0 && !exited) process.kill(-pid, signal as NodeJS.Signals);
          else child.kill(signal as NodeJS.Signals);
        } catch {
          try {
            child.kill(signal as NodeJS.Signals);
          } catch {
            // already gone
          }
        }
      },
      onExit(callback): Unsubscribe {
        if (finished) {
          queueMicrotask(() => callback(status ?? { code: 0 }));
          return () => undefined;
        }
        exitListeners.add(callback);
        return () => exitListeners.delete(callback);
      },
    };
    running.add(entry);
    return entry;
  };

  return {
    spawn,
    /**
     * Resolves once every service process that has died by now has had its exit reported to the manager, as PID 1
     * has handled a SIGCHLD long before a command typed after the death runs (the shell calls it before each
     * command line: `nc` returned because the service closed its connection when it exited, then `systemctl show`).
     */
    async settle() {
      const started = Date.now();
      for (;;) {
        reapAll();
        if (![...running].some((entry) => entry.dying()) || Date.now() - started > SETTLE_LIMIT_MS) return;
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    list: () => [...running, ...context.builtins.list()],
    fdLink(pid, fd) {
      // Only the machine's own service processes: the host's other processes are not the machine's.
      if (!HAS_PROC || ![...running].some((entry) => entry.pid === pid)) return undefined;
      try {
        return fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return undefined;
      }
    },
    serviceGroups: () => groups,
    registerProgram: (path, factory) => context.builtins.register(path, factory),
    killAll() {
      context.builtins.killAll();
      const gone = [...running].map((entry) => new Promise<void>((resolve) => {
        if (entry.child.exitCode !== null || entry.child.signalCode !== null) resolve();
        else entry.child.once('exit', () => resolve());
      }));
      for (const entry of running) entry.kill('SIGKILL');
      // What services left behind (a daemon's children after its main process exited) goes with its group.
      for (const group of groups.keys()) {
        try {
          process.kill(-group, 'SIGKILL');
        } catch {
          // the group is empty
        }
      }
      groups.clear();
      return Promise.all(gone).then(() => undefined);
    },
  };
}

/** True while a process group has members (kill(-pgid, 0) succeeds or is refused, not ESRCH). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The uid and gid of User=/Group= (a dynamic user: the UID the manager allocated): from the host's user database,
 * or, for an account only the machine has (a lab's student), from the machine's (kernel/memory/users.ts).
 */
function serviceIdentity(options: SpawnOptions): Identity | undefined {
  if (options.uid !== undefined) return { uid: options.uid, gid: options.uid };
  try {
    return resolveIdentity(options.user, options.group);
  } catch (error) {
    const machineUser = options.user ? MACHINE_USERS.user(options.user) : { uid: 0, gid: 0 };
    const machineGroup = options.group ? MACHINE_USERS.group(options.group) : undefined;
    if (!machineUser || (options.group && !machineGroup)) throw error;
    return { uid: machineUser.uid, gid: machineGroup?.gid ?? machineUser.gid };
  }
}

const MACHINE_USERS = new UserDatabase();

/** A libuv stream handle: its fd and uv_stream_set_blocking(). */
interface StreamHandle {
  readonly fd: number;
  setBlocking(blocking: boolean): number;
}

/**
 * The OS fd of an accepted socket, in blocking mode when `blocking`, to pass it to a child (the emulator
 * destroys its own copy right after the spawn, so it never reads from a blocking socket).
 */
function socketFd(connection: NodeConnection, blocking: boolean): number {
  const handle = (connection.socket as unknown as { _handle?: StreamHandle })._handle;
  if (!handle || typeof handle.fd !== 'number' || handle.fd < 0) throw new KernelError('EBADF', `Connection ${connection.id} has no file descriptor to pass.`);
  if (blocking) handle.setBlocking(true);
  return handle.fd;
}

/** Calls `onLine` for each complete line of a stream, and for the last partial line when it ends. */
function forwardLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (partial) onLine(partial);
    partial = '';
  });
}

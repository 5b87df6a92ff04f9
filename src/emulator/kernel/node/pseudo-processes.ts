/**
 * The emulator's built-in programs on the Node kernel (systemd-socket-proxyd, `systemd --user`, …): the same
 * ProgramFactory functions the in-memory kernel registers, run in-process as pseudo-processes on the Node
 * kernel's network and file system (service/sandbox.ts's Node surface, kernel/memory/process-table.ts's
 * SandboxProcess). A pseudo-process has a pid of its own above Linux's pid_max (so it never equals a real
 * one), appears in the process table, gets its fds, environment and notifications as a real child does, and
 * ends by exit or signal. They are programs of the machine, not of the host: nothing is executed on the host.
 */
import { KernelError } from '../kernel.ts';
import type { Clock, FileSystem, Network, Process, SpawnOptions } from '../kernel.ts';
import { SandboxProcess } from '../memory/process-table.ts';
import type { SandboxNetwork } from '../memory/process-table.ts';
import { UserDatabase } from '../memory/users.ts';
import { NodeListeningSocket } from './node-listening-socket.ts';
import { runFactory, type ProgramFactory } from '../../service/sandbox.ts';

/** Linux's largest pid_max (PID_MAX_LIMIT on 64-bit): pseudo-process pids start above it. */
const FIRST_PSEUDO_PID = 4_194_305;
const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** A path as Debian 12's merged /usr sees it: /lib/x, /bin/x and /sbin/x are /usr/lib/x, /usr/bin/x, /usr/sbin/x. */
function mergedUsr(path: string): string {
  return path.replace(/^\/(lib|lib64|bin|sbin)\//, '/usr/$1/');
}

/** What pseudo-processes run on. */
export interface PseudoProcessDeps {
  fs: FileSystem;
  net: Network;
  clock: Clock;
  hostname: string;
}

/** The built-in programs of one Node-kernel machine and their running processes. */
export interface PseudoProcesses {
  /** Registers a built-in program at a machine path (and makes its executable file when missing). */
  register(path: string, factory: ProgramFactory): void;
  /** The built-in program's path that `argv0` names (a path, or a name found on the default PATH), if any. */
  programFor(argv0: string): string | undefined;
  /** Starts the built-in program at `path` as a pseudo-process. */
  spawn(path: string, options: SpawnOptions): Process;
  list(): Process[];
  /** SIGKILLs every pseudo-process. */
  killAll(): void;
}

/** Host names as the machine's /etc/hosts resolves them (IP literals stand for themselves). */
function resolver(fs: FileSystem): (host: string) => string[] {
  return (host) => {
    if (/^[\d.]+$/.test(host) || host.includes(':')) return [host];
    let hosts = '';
    try {
      hosts = fs.readFile('/etc/hosts');
    } catch {
      // no /etc/hosts: only localhost resolves
    }
    const found = hosts.split('\n').map((line) => line.replace(/#.*/, '').trim().split(/\s+/)).filter((fields) => fields.slice(1).includes(host)).map((fields) => fields[0]);
    if (found.length > 0) return found;
    if (host === 'localhost') return ['127.0.0.1', '::1'];
    throw new KernelError('ENOTFOUND', `getaddrinfo ENOTFOUND ${host}`);
  };
}

/** Creates the (empty) set of built-in programs of a Node-kernel machine. */
export function createPseudoProcesses(deps: PseudoProcessDeps): PseudoProcesses {
  const programs = new Map<string, ProgramFactory>();
  const running = new Map<number, SandboxProcess>();
  let nextPid = FIRST_PSEUDO_PID;
  const net: SandboxNetwork = {
    // The Node kernel binds as the emulator: the process's uid does not change what it may bind. The program holds
    // what it bound (ss -p names it, not PID 1).
    listen: (options, owner) => {
      const socket = deps.net.listen(options);
      if (socket instanceof NodeListeningSocket) socket.boundBy(owner.holder);
      return socket;
    },
    connect: (target, options) => deps.net.connect(target, options),
    resolve: resolver(deps.fs),
  };
  const sandboxDeps = { fs: deps.fs, net, users: new UserDatabase(), clock: deps.clock, hostname: deps.hostname };
  return {
    register(path, factory) {
      programs.set(mergedUsr(path), factory);
      if (!deps.fs.stat(path)) deps.fs.writeFile(path, `#!/usr/bin/node\n// built-in program of the emulator: ${path}\n`, { mode: 0o755, mkdirs: true });
    },
    programFor(argv0) {
      if (argv0.includes('/')) return programs.has(mergedUsr(argv0)) ? argv0 : undefined;
      return SEARCH_PATH.map((dir) => `${dir}/${argv0}`).find((path) => programs.has(mergedUsr(path)));
    },
    spawn(path, options) {
      const factory = programs.get(mergedUsr(path));
      if (!factory) throw new KernelError('ENOENT', `${path}: No such file or directory`);
      const pid = nextPid++;
      const process = new SandboxProcess(pid, [path, ...options.argv.slice(1)], options, sandboxDeps, (gone) => running.delete(gone.pid));
      running.set(pid, process);
      // ss -p shows the program holding its fds, as it shows a real child.
      const comm = path.slice(path.lastIndexOf('/') + 1);
      const releases = options.fds.flatMap((fd, index) => (fd instanceof NodeListeningSocket ? [fd.holdInProcess({ name: comm, pid, fd: 3 + index })] : []));
      process.onExit(() => releases.forEach((release) => release()));
      queueMicrotask(() => process.start(() => runFactory(process, factory, path)));
      return process;
    },
    list: () => [...running.values()],
    killAll() {
      for (const process of [...running.values()]) process.kill('SIGKILL');
    },
  };
}

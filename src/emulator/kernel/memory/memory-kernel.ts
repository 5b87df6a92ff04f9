/**
 * createMemoryKernel(): the whole machine in memory — file system, network, processes and a clock that is
 * virtual (deterministic, advanced by `advance()` / `runUntilIdle()`) or real. The starting tree is a small
 * Debian 12 (merged /usr: /bin, /sbin and /lib are links into /usr), the users of users.ts, /dev/null,
 * /usr/bin/node (runs scripts in the sandbox) and the lab's files and built-in programs.
 */
import type { Kernel } from '../kernel.ts';
import type { ProgramFactory } from '../../service/sandbox.ts';
import { MemoryFileSystem } from './memory-fs.ts';
import { MemoryNetwork } from './memory-network.ts';
import { MemoryProcessTable, NODE_PATH } from './process-table.ts';
import { UserDatabase } from './users.ts';
import { RealClock, VirtualClock } from './virtual-clock.ts';
import { BASE_DIRECTORIES, machineImage, type BaseSystemImage } from '../../machine/machine-image.ts';
import { systemPrograms } from './programs/system-programs.ts';

/** Options of createMemoryKernel. */
export interface MemoryKernelOptions {
  /** Absolute path → contents, written over the base tree (parents created). */
  files?: Record<string, string>;
  /** 'virtual' (default): time moves only through advance()/runUntilIdle(). */
  clock?: 'virtual' | 'real';
  /** Start of virtual time (ms since the epoch); default Fri 2026-11-27 10:00:00 UTC. */
  startTime?: number;
  hostname?: string;
  /** The base system under `files` (machine-image.ts): Debian's targets unless given (a lab machine: debian-base.ts). */
  base?: BaseSystemImage;
  /** Built-in programs by absolute path (an executable file is created for each). */
  programs?: Record<string, ProgramFactory>;
  /** How long (ms) program code may run without returning to the kernel before its process counts as hung (service/preempt.ts). */
  sliceMs?: number;
}

/** The in-memory kernel, with its extra controls. */
export interface MemoryKernel extends Kernel {
  readonly fs: MemoryFileSystem;
  readonly net: MemoryNetwork;
  readonly processes: MemoryProcessTable;
  readonly users: UserDatabase;
  /** Virtual clock only: runs the timers due in the next `ms`. Real clock: waits `ms`. */
  advance(ms: number): Promise<void>;
  /** Virtual clock only: runs timers until none is left (or `maxMs` passed); returns the virtual ms elapsed. */
  runUntilIdle(maxMs?: number): Promise<number>;
}

/** 2026-11-27T10:00:00Z, the date the course's sample outputs show. */
export const DEFAULT_START_TIME = Date.UTC(2026, 10, 27, 10, 0, 0);

/** Builds an in-memory machine. */
export function createMemoryKernel(options: MemoryKernelOptions = {}): MemoryKernel {
  const clock = options.clock === 'real' ? new RealClock() : new VirtualClock(options.startTime ?? DEFAULT_START_TIME);
  const hostname = options.hostname ?? 'lab';
  const fs = new MemoryFileSystem(() => clock.now());
  const users = new UserDatabase();
  populateBaseTree(fs, users, hostname);
  const net = new MemoryNetwork({ fs, users, clock, hostname });
  const processes = new MemoryProcessTable({ fs, net, users, clock, hostname, programs: {}, sliceMs: options.sliceMs });
  fs.writeFile(NODE_PATH, '\x7fELF: the emulator\'s Node.js, runs JavaScript files in its sandbox\n', { mode: 0o755 });
  for (const [path, factory] of Object.entries({ ...systemPrograms, ...options.programs })) processes.registerProgram(path, factory);
  // The lab's files as the one machine image both kernels mount (.wants/ links, executable bits).
  const image = machineImage(options.files ?? {}, options.base);
  for (const dir of image.directories) fs.mkdir(dir, { recursive: true });
  for (const file of image.files) fs.writeFile(file.path, file.contents, { mkdirs: true, mode: file.mode });
  for (const link of image.links) {
    fs.mkdir(link.path.slice(0, link.path.lastIndexOf('/')), { recursive: true });
    fs.symlink(link.target, link.path);
  }
  return {
    clock,
    fs,
    net,
    processes,
    users,
    hostname,
    advance: (ms) => (clock instanceof VirtualClock ? clock.advance(ms) : new Promise((r) => setTimeout(r, ms))),
    runUntilIdle: (maxMs) => (clock instanceof VirtualClock ? clock.runUntilIdle(maxMs) : Promise.resolve(0)),
  };
}

/** The directories, links and files every lab machine starts with. */
function populateBaseTree(fs: MemoryFileSystem, users: UserDatabase, hostname: string): void {
  for (const dir of BASE_DIRECTORIES) {
    if (dir === '/tmp') fs.mkdir(dir, { mode: 0o1777 });
    else fs.mkdir(dir, { recursive: true });
  }
  fs.chmod('/root', 0o700);
  fs.chown('/home/student', 'student', 'student');
  fs.symlink('usr/bin', '/bin');
  fs.symlink('usr/sbin', '/sbin');
  fs.symlink('usr/lib', '/lib');
  fs.symlink('/run', '/var/run');
  fs.writeFile('/dev/null', '', { mode: 0o666 });
  fs.node('/dev/null')!.nullDevice = true;
  fs.writeFile('/etc/hostname', `${hostname}\n`);
  fs.writeFile('/etc/hosts', `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n::1\t\tlocalhost ip6-localhost ip6-loopback\n`);
  fs.writeFile('/etc/passwd', users.passwd());
  fs.writeFile('/etc/group', users.groupFile());
  fs.writeFile('/etc/os-release', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n');
}


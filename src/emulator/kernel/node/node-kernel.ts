/**
 * The Node kernel: the Kernel boundary over a real machine, confined to a root directory DIR (machine path `/x`
 * is DIR/x). Real TCP and Unix sockets (node-network.ts; node-listening-socket.ts hands them to services
 * directly, kept alive across their exits by fd-holder.ts, or relays where fds cannot be passed),
 * services as real child processes (node-processes.ts), the file system over node:fs (root-file-system.ts).
 *
 * Two platform switches, both true on Linux: `fdPassing` (children can inherit fd 3+) and `unixSockets`
 * (AF_UNIX exists). A WebContainer has neither: services then listen where the preload shim tells them and
 * Unix addresses are served over loopback TCP; force them false to test that mode on a real machine.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock, FileSystem, Kernel, SocketInfo } from '../kernel.ts';
import { UserDatabase } from '../memory/users.ts';
import type { KernelError } from '../kernel.ts';
import { createFdHolder } from './fd-holder.ts';
import { createPortSource } from './loopback-ports.ts';
import { createNodeNetwork } from './node-network.ts';
import type { NodeNetwork } from './node-network.ts';
import { createNodeProcessTable } from './node-processes.ts';
import { openNotifySocket } from './notify-socket.ts';
import { openSyslogSocket, type SyslogSocket } from './syslog-socket.ts';
import { createRootFileSystem } from './root-file-system.ts';
import { serviceListeningSockets, serviceUnixSockets } from './service-sockets.ts';
import { createPseudoProcesses } from './pseudo-processes.ts';
import { systemPrograms } from '../memory/programs/system-programs.ts';
import { emulatorNode, type ProgramNode } from './program-node.ts';
import type { ProgramFactory } from '../../service/sandbox.ts';

/** Options of createNodeKernel. */
export interface NodeKernelOptions {
  /** Host directory that is the machine's `/`. */
  root: string;
  /** Children can inherit listening sockets as fd 3+ (default: true on Linux). */
  fdPassing?: boolean;
  /** AF_UNIX sockets exist (default: true on Linux). */
  unixSockets?: boolean;
  hostname?: string;
  /** Where the preload shim and the `sd-daemon` module live (default: next to this file; the bundle sets it). */
  serviceRuntimeDir?: string;
  /** The Node.js that is the machine's /usr/bin/node (default: the emulator's own; program-node.ts). */
  programNode?: ProgramNode;
  /** Socket failures noticed after listen() returned (platforms without synchronous bind). */
  onLateError?: (error: KernelError) => void;
  /** More built-in programs of the machine by path (Debian's sshd in a network namespace of its own: debian-base.ts). */
  programs?: Record<string, ProgramFactory>;
}

/** The Node kernel, with a way to let go of everything it holds. */
export interface NodeKernel extends Kernel {
  readonly root: string;
  readonly fdPassing: boolean;
  readonly unixSockets: boolean;
  readonly net: NodeNetwork;
  /**
   * Kills the children and closes every socket; resolves once the children and the fd holder are gone, i.e.
   * once no process holds the sockets any more (callers that exit right after should await it).
   */
  dispose(): Promise<void>;
  /**
   * Resolves once the machine is fully up: the fd holder process runs and every listening socket's spare copy
   * is back from it (until then a service start races the holder's own Node start-up). The daemon waits for it
   * before it says it is ready; a benchmark waits for it before its first connection, as it waits for
   * systemd-socket-activate's "Listening on".
   */
  ready(): Promise<void>;
  /** Where the kernel's manager-level warnings go (PID 1's own journal lines, e.g. about notify messages). */
  setManagerLog(log: (message: string) => void): void;
}

/**
 * The listening TCP rows in the order their sockets were made, in the places they held: the emulator's own
 * listeners (when bound) and those services bound themselves (when their process group was spawned: sshd's :22 at
 * boot) interleave as the memory kernel lists them, in bind order. (Socket inodes would not do: Linux hands them
 * out in per-CPU batches. Real ss lists them in the kernel's listening-hash order, random per network namespace;
 * the oracle accepts any order.) Rows with no time keep their order after the others.
 */
function inCreationOrder(rows: SocketInfo[]): SocketInfo[] {
  const listening = (row: SocketInfo): boolean => row.netid === 'tcp' && row.state === 'LISTEN';
  const sorted = rows.filter(listening).sort((a, b) => (a.createdAt ?? Infinity) - (b.createdAt ?? Infinity));
  return rows.map((row) => (listening(row) ? sorted.shift()! : row));
}

/** The real clock. */
export function createRealClock(): Clock {
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let nextHandle = 1;
  return {
    now: () => Date.now(),
    setTimer(ms, callback) {
      const handle = nextHandle++;
      timers.set(handle, setTimeout(() => {
        timers.delete(handle);
        callback();
      }, ms));
      return handle;
    },
    cancelTimer(handle) {
      clearTimeout(timers.get(handle));
      timers.delete(handle);
    },
  };
}

/** Default folder of listen-fds-shim.cjs and modules/sd-daemon (this file's service-runtime/). */
function defaultServiceRuntimeDir(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'service-runtime');
}

/** Creates a Node kernel over `options.root`. */
export async function createNodeKernel(options: NodeKernelOptions): Promise<NodeKernel> {
  const linux = process.platform === 'linux';
  const fdPassing = options.fdPassing ?? linux;
  const unixSockets = options.unixSockets ?? linux;
  const root = path.resolve(options.root);
  const runtimeDir = options.serviceRuntimeDir ?? defaultServiceRuntimeDir();
  const programNode = options.programNode ?? emulatorNode();
  const lateError = options.onLateError ?? ((error) => console.error(`emulator: ${error.message}`));

  let network: NodeNetwork | undefined;
  const modelledNodes = new Map<string, 'socket' | 'fifo'>();
  const fs = createRootFileSystem(root, {
    has: (machinePath) => network?.virtualUnixSockets.has(machinePath) ?? false,
    modelledType: (machinePath) => modelledNodes.get(machinePath),
  });
  // Where children inherit fds, services get the public socket itself; the holder keeps it across their exits.
  const fdHolder = fdPassing ? createFdHolder(process.execPath) : undefined;
  fdHolder?.start(); // so that it runs before the first service starts
  network = createNodeNetwork({ root, fs, unixSockets, onLateError: lateError, fdHolder, modelledNodes });
  const notify = await openNotifySocket(unixSockets);
  let syslog: ReturnType<typeof openSyslogSocket>;
  let syslogTried = false;
  const syslogOf = (open: boolean): SyslogSocket | undefined => {
    if (open && !syslogTried && unixSockets) {
      syslogTried = true;
      syslog = openSyslogSocket();
    }
    return syslog;
  };
  const ports = await createPortSource();
  const clock = createRealClock();
  const machineHostname = options.hostname ?? os.hostname();
  const builtins = createPseudoProcesses({ fs, net: network, clock, hostname: machineHostname });
  const processes = createNodeProcessTable({
    builtins,
    root,
    fdPassing,
    node: programNode,
    shimPath: path.join(runtimeDir, 'listen-fds-shim.cjs'),
    modulesDir: path.join(runtimeDir, 'modules'),
    notify,
    syslog: syslogOf,
    ports,
    onProcessGroup: fdHolder ? (pgid, alive) => fdHolder.watchGroup(pgid, alive) : undefined,
  });
  const own = network;
  // ss also lists the TCP sockets services opened themselves (service-sockets.ts), as on the real machine.
  const net: NodeNetwork = {
    ...own,
    sockets: () => {
      const rows = own.sockets();
      const groups = processes.serviceGroups();
      const ours = new Set(rows.map((row) => row.local));
      return inCreationOrder([...rows, ...serviceListeningSockets(groups, ours), ...serviceUnixSockets(groups, root)]);
    },
  };
  writeMachineIdentity(fs, machineHostname, programNode);
  for (const [path, factory] of Object.entries({ ...systemPrograms, ...options.programs })) processes.registerProgram!(path, factory);
  return {
    root,
    fdPassing,
    unixSockets,
    clock,
    fs,
    net,
    processes,
    hostname: machineHostname,
    setManagerLog(log) {
      notify.setWarningLog(log);
    },
    ready() {
      return Promise.all([fdHolder?.ready(), net.settled()]).then(() => undefined);
    },
    dispose() {
      const children = processes.killAll();
      net.closeAll();
      notify.close();
      syslog?.release();
      const holder = fdHolder?.close();
      return Promise.all([children, holder]).then(() => undefined);
    },
  };
}

/**
 * The machine's identity files as the in-memory kernel's base tree has them, unless the root already has its own:
 * the user database (a small Debian 12's accounts, kernel/memory/users.ts: accountOf(), loginctl, runuser and
 * `ls -l` read it), /etc/hostname, /etc/hosts and /etc/os-release.
 */
function writeMachineIdentity(fs: FileSystem, hostname: string, node: ProgramNode): void {
  const users = new UserDatabase();
  if (!fs.stat('/etc')) fs.mkdir('/etc', { recursive: true });
  const files: Array<[string, string]> = [
    ['/etc/passwd', users.passwd()],
    ['/etc/group', users.groupFile()],
    ['/etc/hostname', `${hostname}\n`],
    ['/etc/hosts', `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n::1\t\tlocalhost ip6-localhost ip6-loopback\n`],
    ['/etc/os-release', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n'],
  ];
  for (const [file, content] of files) if (!fs.lstat(file)) fs.writeFile(file, content, { mode: 0o644 });
  // The machine's node is the program Node (program-command.ts runs ExecStart=/usr/bin/node with it): the file is
  // there, executable, for what looks at it (systemd-analyze verify, ls), and runs that Node where something execs it.
  if (!fs.lstat('/usr/bin/node')) {
    const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;
    const env = Object.entries(node.env).map(([name, value]) => `${name}=${quote(value)} `).join('');
    fs.mkdir('/usr/bin', { recursive: true });
    fs.writeFile('/usr/bin/node', `#!/bin/sh\n# The lab machine's node: Node.js ${node.version}.\n${env}exec ${quote(node.path)} "$@"\n`, { mode: 0o755 });
  }
}

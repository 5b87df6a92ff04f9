/**
 * A throw-away Debian 12 machine running real systemd 252 as PID 1, for the oracle (issue 10, reference section 8).
 *
 * Boots `systemd-nspawn -D DIR --register=no --keep-unit --private-network --boot` where DIR is either an overlay
 * mount of the read-only root with a throw-away upper folder (mode 'overlay', the default: boots in under a second,
 * the root is never written, and the starting files are in place before PID 1 starts, as a lab machine boots with
 * its files) or the root itself with `--ephemeral` (mode 'ephemeral': on a file system without btrfs snapshots
 * nspawn copies the whole 1.3 GB tree, about 13 s; starting files are written after boot, then daemon-reload).
 * Commands enter every namespace of the container's PID 1 with nsenter. Nothing is left running or mounted: every
 * error path after the spawn stops the container, and a process exit handler kills and unmounts what is left.
 *
 * Never boot systemd on this machine's own root: its tmpfiles setup empties the host's /tmp.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeMachineFiles, type MachineFile } from './machine-files.ts';

/** Where the oracle's root is built and cached. */
export const ORACLE_DIR = '/var/tmp/socket-activation-oracle';
/** The Debian 12 root file system (built by tests/oracle/build-root.ts). */
export const DEFAULT_ROOT = path.join(ORACLE_DIR, 'bookworm-root');

/** How the root is made throw-away: a tmpfs overlay on the read-only root, or nspawn's full copy. */
export type EphemeralMode = 'overlay' | 'ephemeral';

export interface BootOptions {
  /** The root file system (default DEFAULT_ROOT). */
  root?: string;
  /** Default: $ORACLE_NSPAWN_MODE, else 'overlay'. */
  mode?: EphemeralMode;
  /** Until `is-system-running` says running or degraded (default 60 s). */
  bootTimeoutMs?: number;
  /** Files in place when PID 1 starts (mode 'ephemeral': written after boot, then `systemctl daemon-reload`). */
  files?: MachineFile[];
  /** The container's hostname (default `oracle`). */
  hostname?: string;
}

/** What one command line printed and returned. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  /** The exit code; 128+N when killed by signal N; 137 when the timeout killed it. */
  exitCode: number;
  timedOut: boolean;
}

/** The environment of every command: a clean one as a login shell has, with systemd's output made stable. */
export const COMMAND_ENVIRONMENT: Record<string, string> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  USER: 'root',
  LANG: 'C.UTF-8',
  TERM: 'dumb',
  SYSTEMD_COLORS: '0',
  SYSTEMD_PAGER: '',
  SYSTEMD_LESS: '',
  COLUMNS: '200',
};

const running = new Set<ChildProcess>();
/** Host cgroups made for containers, not removed yet. */
const cgroupDirs = new Set<string>();
/** Overlay folders (upper, work, merged) still mounted or present. */
const overlays = new Set<string>();
/** Container PID 1s that are up: killing a PID namespace's init kills everything in it. */
const inits = new Set<number>();
let exitHandlerInstalled = false;
let machineCounter = 0;

/** Kills, synchronously, every container and command this process started (on process exit). */
function killEverythingOnExit(): void {
  for (const pid of inits) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const child of running) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of overlays) removeOverlay(dir, true);
  removeCgroups([...cgroupDirs]);
}

/** The host's cgroup hierarchies a container's cgroup is made in (unified, and systemd's named v1 one). */
const CGROUP_ROOTS = ['/sys/fs/cgroup/unified', '/sys/fs/cgroup/systemd', '/sys/fs/cgroup'];

/** Makes a cgroup called `name` in each host hierarchy that takes one; returns their folders. */
function makeCgroups(name: string): string[] {
  const made: string[] = [];
  for (const root of CGROUP_ROOTS) {
    if (!fs.existsSync(path.join(root, 'cgroup.procs'))) continue;
    if (root === '/sys/fs/cgroup' && made.length > 0) continue; // a hybrid host: the two above are the ones
    const dir = path.join(root, name);
    try {
      fs.mkdirSync(dir);
      made.push(dir);
      cgroupDirs.add(dir);
    } catch {
      // not writable here: the container shares the parent's cgroup
    }
  }
  return made;
}

/** Removes cgroup folders, children first (the container's systemd made sub-cgroups in them). */
function removeCgroups(dirs: string[]): void {
  const remove = (dir: string): void => {
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) if (entry.isDirectory()) remove(path.join(dir, entry.name));
    try {
      fs.rmdirSync(dir);
    } catch {
      // still has processes
    }
  };
  for (const dir of dirs) {
    remove(dir);
    if (!fs.existsSync(dir)) cgroupDirs.delete(dir);
  }
}

/** Mounts ROOT read-only under a fresh upper folder; returns the overlay's folder (merged/ is the machine's `/`). */
function mountOverlay(root: string): string {
  fs.mkdirSync(path.join(ORACLE_DIR, 'machines'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ORACLE_DIR, 'machines', 'oracle-'));
  overlays.add(dir);
  for (const sub of ['upper', 'work', 'merged']) fs.mkdirSync(path.join(dir, sub));
  try {
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${root},upperdir=${dir}/upper,workdir=${dir}/work`, `${dir}/merged`], { stdio: 'pipe' });
  } catch (error) {
    removeOverlay(dir, false);
    throw new Error(`cannot mount an overlay of ${root}: ${(error as { stderr?: Buffer }).stderr?.toString().trim() || String(error)}`);
  }
  return dir;
}

/** Unmounts an overlay (lazily when `lazy`, as on process exit) and deletes its folders. */
function removeOverlay(dir: string, lazy: boolean): void {
  const merged = path.join(dir, 'merged');
  try {
    if (fs.readFileSync('/proc/self/mounts', 'utf8').includes(` ${merged} `)) {
      execFileSync('umount', lazy ? ['-l', merged] : [merged], { stdio: 'pipe' });
    }
  } catch {
    try {
      execFileSync('umount', ['-l', merged], { stdio: 'pipe' });
    } catch {
      // nothing more to do: the folder stays and says so by its name
    }
  }
  try {
    fs.rmSync(dir, { recursive: true, force: true });
    overlays.delete(dir);
  } catch {
    // still busy
  }
}

function track(child: ChildProcess): void {
  if (!exitHandlerInstalled) {
    exitHandlerInstalled = true;
    process.on('exit', killEverythingOnExit);
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/** Why a container cannot be booted here (not root, a tool or the root missing), or undefined when it can be tried. */
export function nspawnUnavailable(root: string = DEFAULT_ROOT): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'systemd-nspawn needs root (uid 0)';
  for (const tool of ['systemd-nspawn', 'nsenter']) {
    if (!onPath(tool)) return `${tool} is not installed (apt-get install systemd-container util-linux)`;
  }
  if (!fs.existsSync(path.join(root, 'lib/systemd/systemd')) && !fs.existsSync(path.join(root, 'usr/lib/systemd/systemd'))) {
    return `no root file system with systemd at ${root} (build it: npm run oracle:root)`;
  }
  return undefined;
}

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '/usr/bin:/bin').split(':').some((dir) => dir !== '' && fs.existsSync(path.join(dir, tool)));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A booted container. Use `NspawnMachine.boot()`; always `shutdown()` it (also after errors). */
export class NspawnMachine {
  readonly pid1: number;
  readonly name: string;
  /** The overlay folder of this machine (its merged/ is the machine's `/`); undefined in 'ephemeral' mode. */
  readonly overlay: string | undefined;
  private readonly nspawn: ChildProcess;
  private readonly log: () => string;
  private stopped: Promise<void> | undefined;

  private constructor(nspawn: ChildProcess, pid1: number, name: string, log: () => string, overlay: string | undefined) {
    this.nspawn = nspawn;
    this.overlay = overlay;
    this.pid1 = pid1;
    this.name = name;
    this.log = log;
  }

  /** Boots a throw-away container and waits until its systemd says running or degraded. */
  static async boot(options: BootOptions = {}): Promise<NspawnMachine> {
    const root = options.root ?? DEFAULT_ROOT;
    const mode = options.mode ?? (process.env.ORACLE_NSPAWN_MODE === 'ephemeral' ? 'ephemeral' : 'overlay');
    const timeout = options.bootTimeoutMs ?? 60_000;
    const unavailable = nspawnUnavailable(root);
    if (unavailable) throw new Error(`cannot boot a container: ${unavailable}`);
    const name = `oracle-${process.pid}-${++machineCounter}`;
    let overlay: string | undefined;
    if (mode === 'overlay') {
      overlay = mountOverlay(root);
      try {
        // The root's /etc/hostname (debootstrap copies the host's) wins over --hostname at boot.
        const hostnameFile: MachineFile = { path: '/etc/hostname', kind: 'file', content: `${options.hostname ?? 'oracle'}\n`, mode: 0o644 };
        writeMachineFiles(path.join(overlay, 'merged'), [hostnameFile, ...(options.files ?? [])]);
      } catch (error) {
        removeOverlay(overlay, false);
        throw error;
      }
    }
    const args = [
      '-D', overlay ? path.join(overlay, 'merged') : root,
      ...(overlay ? [] : ['--ephemeral']),
      `--machine=${name}`,
      `--hostname=${options.hostname ?? 'oracle'}`,
      '--register=no',
      '--keep-unit',
      '--private-network',
      '--quiet',
      '--boot',
    ];
    // A Debian 12 machine runs on the unified cgroup hierarchy (cgroup v2): SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 gives
    // it one even on a host with cgroup v1. And each container gets a cgroup of its own on the host: without one, every
    // container started from the host's root cgroup shares /system.slice/x.service with the others, so one PID 1
    // kills or lists another container's processes ("Failed to kill control group …: Input/output error").
    const cgroups = makeCgroups(name);
    const env = { ...process.env, SYSTEMD_NSPAWN_UNIFIED_HIERARCHY: '1' };
    const enter = cgroups.map((dir) => `echo $$ > ${dir}/cgroup.procs`).join(' && ');
    const nspawn = spawn('sh', ['-c', `${enter ? `${enter} && ` : ''}exec "$0" "$@"`, 'systemd-nspawn', ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env });
    // The container's sub-cgroups may still be going away when nspawn exits: try again for a few seconds.
    nspawn.once('exit', () => {
      let tries = 0;
      const retry = (): void => {
        removeCgroups(cgroups);
        if (cgroups.some((dir) => fs.existsSync(dir)) && ++tries < 25) setTimeout(retry, 200).unref();
      };
      retry();
    });
    track(nspawn);
    if (overlay) {
      const dir = overlay;
      nspawn.once('exit', () => removeOverlay(dir, false));
    }
    let output = '';
    nspawn.stdout?.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-8000); });
    nspawn.stderr?.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-8000); });
    let exited = false;
    nspawn.once('exit', () => { exited = true; });
    const spawnError = new Promise<Error>((resolve) => nspawn.once('error', resolve));
    let failure: Error | undefined;
    void spawnError.then((error) => { failure = error; });
    const deadline = Date.now() + timeout;
    let pid1 = 0;
    try {
      while (pid1 === 0) {
        if (failure) throw failure;
        if (exited) throw new Error(`systemd-nspawn exited before the container started:\n${output}`);
        if (Date.now() > deadline) throw new Error(`no container PID 1 after ${timeout} ms:\n${output}`);
        pid1 = findInit(nspawn.pid!);
        if (pid1 === 0) await sleep(50);
      }
      inits.add(pid1);
      nspawn.once('exit', () => inits.delete(pid1));
      const machine = new NspawnMachine(nspawn, pid1, name, () => output, overlay);
      let state = '';
      for (;;) {
        if (exited) throw new Error(`the container stopped while booting:\n${output}`);
        const result = await machine.run('systemctl is-system-running', { timeoutMs: 5000 });
        state = result.stdout.trim();
        if (state === 'running' || state === 'degraded') {
          if (!overlay && options.files?.length) {
            for (const file of options.files) {
              if (file.kind === 'file') await machine.writeFile(file.path, file.content, file.mode);
              else await machine.run(`mkdir -p "$(dirname '${file.path}')" && ln -sfn '${file.target}' '${file.path}'`);
            }
            await machine.run('systemctl daemon-reload');
          }
          return machine;
        }
        if (Date.now() > deadline) {
          await machine.shutdown();
          throw new Error(`systemd in the container is still "${state}" after ${timeout} ms`);
        }
        await sleep(100);
      }
    } catch (error) {
      if (nspawn.pid === undefined) {
        if (overlay) removeOverlay(overlay, false); // never started: no exit event will come
      } else await stopProcess(nspawn);
      throw error;
    }
  }

  /** Runs a command line with `sh -c` inside the container, as root, in a clean environment (COMMAND_ENVIRONMENT). */
  run(commandLine: string, options: { timeoutMs?: number; stdin?: string } = {}): Promise<CommandResult> {
    return this.exec(['sh', '-c', commandLine], options);
  }

  /** Writes a file inside the container (parent folders created), then sets its mode (default 0o644). */
  async writeFile(file: string, content: string, mode = 0o644): Promise<void> {
    if (!file.startsWith('/')) throw new Error(`writeFile: ${file} is not an absolute path`);
    const script = 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1" && chmod "$2" "$1"';
    const result = await this.exec(['sh', '-c', script, 'sh', file, mode.toString(8)], { stdin: content, timeoutMs: 10_000 });
    if (result.exitCode !== 0) throw new Error(`writing ${file} in the container failed (${result.exitCode}): ${result.stderr}`);
  }

  /** nspawn's own output (the container's console), last 8000 characters. */
  consoleOutput(): string {
    return this.log();
  }

  /** Stops the container (SIGTERM to nspawn, SIGKILL to its group after 10 s) and waits until it is gone. Idempotent. */
  shutdown(): Promise<void> {
    this.stopped ??= stopProcess(this.nspawn).then(() => new Promise((resolve) => setImmediate(resolve)));
    return this.stopped;
  }

  /** Runs an argument vector inside the container (no shell), in the clean environment. */
  exec(argv: string[], options: { timeoutMs?: number; stdin?: string } = {}): Promise<CommandResult> {
    const environment = Object.entries(COMMAND_ENVIRONMENT).map(([key, value]) => `${key}=${value}`);
    const child = spawn('nsenter', ['-t', String(this.pid1), '-a', '-r', '-w', 'env', '-i', ...environment, ...argv], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // its own process group, so a timeout kills the whole command line
    });
    track(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin!.on('error', () => {});
    child.stdin!.end(options.stdin ?? '');
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    }, options.timeoutMs ?? 10_000);
    return new Promise((resolve, reject) => {
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        const exitCode = timedOut ? 137 : code ?? 128 + signalNumber(signal);
        resolve({ stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString(), exitCode, timedOut });
      });
    });
  }
}

/** The container's PID 1: the child of the nspawn process whose command is systemd. 0 while there is none yet. */
function findInit(nspawnPid: number): number {
  let children: string;
  try {
    children = execFileSync('pgrep', ['-P', String(nspawnPid)], { encoding: 'utf8' });
  } catch {
    return 0; // pgrep exits 1 when there is no child yet
  }
  for (const pid of children.split('\n').map(Number).filter((n) => n > 0)) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'systemd') return pid;
    } catch {
      // gone meanwhile
    }
  }
  return 0;
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15, SIGPIPE: 13, SIGABRT: 6, SIGSEGV: 11 };
  return signal ? numbers[signal] ?? 0 : 0;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM (nspawn shuts the container down), then SIGKILL to the group after 10 s; resolves when it has exited. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

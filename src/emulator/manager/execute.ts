/**
 * Running one Exec*= line (src/core/execute.c): the environment a process gets (exec_context's
 * Environment=/EnvironmentFile=, User='s variables, the socket's peer), and exec_spawn(): `$VAR`
 * expansion from that environment, the fds handed over, and the journal lines of a failed exec.
 * Which commands run when is the unit's business (service-unit.ts); how one of them starts is here.
 */
import { strerror } from '../kernel/errno.ts';
import { KernelError } from '../kernel/kernel.ts';
import type { Connection, FileSystem, ListeningSocket, NotifySender, Process, ProcessTable, StoredFd } from '../kernel/kernel.ts';
import type { Endpoint } from '../kernel/kernel.ts';
import { basename } from '../path-util.ts';
import type { ExecCommand, ServiceSection } from '../unit-file/unit-types.ts';
import { parseEnvironmentFile } from './environment-file.ts';
import { replaceEnvArgv } from './exec-environment.ts';
import { remoteEnvironment } from './instance-name.ts';
import type { ServiceUser } from './dynamic-user.ts';
import { PRIORITY } from './journal.ts';

/** PID 1's default PATH for services (DEFAULT_PATH of path-util.h, split-usr). */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** An environment, or why it could not be built (a required EnvironmentFile= is unreadable). */
export type ExecEnvironment =
  | { ok: true; env: Record<string, string>; warnings: string[] }
  | { ok: false; error: string; warnings: string[] };

/**
 * build_environment() + exec_context_load_environment(): PATH, USER/LOGNAME/HOME/SHELL for User=,
 * Environment=, EnvironmentFile= (later wins), REMOTE_ADDR/REMOTE_PORT of an Accept=yes peer.
 * `warnings` are the "Ignoring invalid environment assignment" lines to log.
 */
export function buildExecEnvironment(fs: FileSystem, config: ServiceSection, peer?: Endpoint, user?: ServiceUser): ExecEnvironment {
  const env: Record<string, string> = { PATH: DEFAULT_PATH };
  const warnings: string[] = [];
  if (user) {
    env.USER = user.name;
    env.LOGNAME = user.name;
    // A dynamic user's record has "/" as its home and no login shell.
    env.HOME = user.uid !== undefined ? '/' : user.name === 'root' ? '/root' : `/home/${user.name}`;
    env.SHELL = user.uid !== undefined ? '/usr/sbin/nologin' : '/bin/sh';
  }
  for (const [key, value] of config.environment) env[key] = value;
  for (const file of config.environmentFiles) {
    let text: string;
    try {
      text = fs.readFile(file.path);
    } catch (error) {
      if (file.optional) continue;
      return { ok: false, error: error instanceof KernelError ? strerror(error.code) : String(error), warnings };
    }
    const contents = parseEnvironmentFile(text);
    for (const assignment of contents.invalid) warnings.push(`Ignoring invalid environment assignment '${assignment}': ${file.path}`);
    for (const [key, value] of contents.assignments) env[key] = value;
  }
  if (peer) Object.assign(env, remoteEnvironment(peer));
  return { ok: true, env, warnings };
}

/** What exec_spawn() needs besides the command. */
export interface ExecParameters {
  env: Record<string, string>;
  /** fds 3, 4, … (LISTEN_FDS= is set from them, LISTEN_PID= after the fork). */
  fds: Array<ListeningSocket | Connection>;
  /** The fd store (FDSTORE=1), passed after `fds`; `fdNames` names both. */
  storedFds?: StoredFd[];
  fdNames: string[];
  /** NonBlocking=: the passed fds keep O_NONBLOCK (PID 1 clears it otherwise). */
  nonBlocking?: boolean;
  /** StandardInput=socket: the connection is fds 0 and 1 instead. */
  stdioConnection?: Connection;
  /** Which outputs go to that connection (StandardOutput=/StandardError= inherit or socket). */
  stdioOutputs?: Array<'stdout' | 'stderr'>;
  user?: string;
  /** A dynamic user's UID (DynamicUser=), which the user database does not list. */
  uid?: number;
  group?: string;
  unit: string;
  /** A line the process wrote, with the identifier and pid journald gives it. */
  onOutput(line: string, origin: { identifier: string; pid: number; priority?: number }): void;
  onNotify(message: string, sender?: NotifySender): void;
}

/** A started process, or why it could not start: the errno name and its strerror text. */
export type SpawnOutcome = { ok: true; process: Process } | { ok: false; errno?: string; reason: string };

/** exec_spawn(): expands `$VAR` in the arguments from the final environment and starts the process. */
export function execSpawn(processes: ProcessTable, command: ExecCommand, params: ExecParameters): SpawnOutcome {
  const env = { ...params.env };
  const stored = params.storedFds ?? [];
  const passed = params.fds.length + stored.length;
  if (passed > 0) {
    env.LISTEN_FDS = String(passed);
    env.LISTEN_FDNAMES = params.fdNames.join(':');
  }
  const identifier = basename(command.argv[0] ?? command.path);
  let started: Process | undefined;
  const early: string[] = [];
  // exec_child(): $NAME / ${NAME} in the arguments expand from the process's final environment.
  const argv = replaceEnvArgv(command.argv.length > 0 ? command.argv : [command.path], env);
  try {
    started = processes.spawn({
      argv: argv.length > 0 ? argv : [command.path],
      env,
      setListenPid: passed > 0,
      fds: params.fds,
      storedFds: stored.length > 0 ? stored : undefined,
      nonBlocking: params.nonBlocking,
      stdioConnection: params.stdioConnection,
      stdioOutputs: params.stdioOutputs,
      user: params.user,
      uid: params.uid,
      group: params.group,
      cwd: '/',
      unit: params.unit,
      onOutput: (line) => {
        // journald's stdout stream stores no empty line (stdout_stream_log() skips them).
        if (line === '') return;
        // Output written before spawn() returned has no pid yet: hold it until it does.
        if (started) params.onOutput(line, { identifier, pid: started.pid });
        else early.push(line);
      },
      // syslog(3) through /dev/log: journald keeps the message's own identifier, pid and priority.
      onSyslog: (record) => params.onOutput(record.message, { identifier: record.identifier ?? identifier, pid: record.pid ?? started?.pid ?? 0, priority: record.priority }),
      onNotify: (message, sender) => params.onNotify(message, sender),
    });
  } catch (error) {
    if (error instanceof KernelError) return { ok: false, errno: error.code, reason: strerror(error.code) };
    return { ok: false, reason: String((error as Error).message ?? error) };
  }
  for (const line of early.splice(0)) params.onOutput(line, { identifier, pid: started.pid });
  return { ok: true, process: started };
}

/** Pids of processes that failed in exec_child(), above any pid the kernels hand out. */
let nextStillbornPid = 900_000;

/**
 * What a failed exec looks like to PID 1: systemd forks first, so the child exists, runs after PID 1 went on
 * (`child` is what it does: log why exec failed), and exits with `code` (203/EXEC, or 0 for a `-` command
 * whose executable is missing), seen through the usual exit path.
 */
export function stillbornProcess(argv: string[], code: number, child: (pid: number) => void): Process {
  const pid = nextStillbornPid++;
  const callbacks: Array<(status: { code: number }) => void> = [];
  queueMicrotask(() => {
    child(pid);
    for (const callback of callbacks.splice(0)) callback({ code });
  });
  return {
    pid,
    argv,
    kill: () => {},
    onExit: (callback) => {
      callbacks.push(callback);
      return () => {
        const i = callbacks.indexOf(callback);
        if (i >= 0) callbacks.splice(i, 1);
      };
    },
  };
}

/**
 * The name the forked child gives itself before exec (rename_process_from_path()): `(` + the last 8 characters of
 * the program's file name + `)`. Its own journal lines carry it as their identifier: `(missing)[48]: …`.
 */
export function childProcessName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === '' ? '(...)' : `(${base.slice(-8)})`;
}

/** A journal line with its syslog priority. */
export interface ExecFailureLine {
  message: string;
  priority: number;
}

/** exec_child()'s lines for a command that could not be executed, and the exit code its child ends with. */
export function execFailure(command: ExecCommand, failure: { errno?: string; reason: string }): { lines: ExecFailureLine[]; code: number } {
  // find_executable_full() fails with ENOENT/EACCES: "Failed to locate executable" (info); a `-` command is skipped.
  const locate = failure.errno === 'ENOENT' || failure.errno === 'EACCES';
  if (locate && command.ignoreFailure) return { lines: [{ message: `Executable ${command.path} missing, skipping: ${failure.reason}`, priority: PRIORITY.info }], code: 0 };
  return {
    lines: [
      locate
        ? { message: `Failed to locate executable ${command.path}: ${failure.reason}`, priority: PRIORITY.info }
        : { message: `Failed to execute ${command.path}: ${failure.reason}`, priority: PRIORITY.err },
      { message: `Failed at step EXEC spawning ${command.path}: ${failure.reason}`, priority: PRIORITY.err },
    ],
    code: 203,
  };
}

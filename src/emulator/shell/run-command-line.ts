/**
 * Runs a parsed command line against a System: `;`, `&&`, `||`, pipes (each command's stdout feeds the
 * next one's stdin through the CommandIO stdin contract; the commands of a pipeline run together),
 * redirections to machine files, NAME=value prefixes, and the builtins that change the shell itself
 * (cd, export, unset). Each command's words are expanded just before it runs (expand-word.ts), so an assignment
 * or `export` earlier on the line is seen by the commands after it. Exit statuses as bash: 127 command not found, 2 syntax error, 130 after Ctrl+C.
 */
import { resolvePath } from '../path-util.ts';
import type { CommandIO, System } from '../system.ts';
import { parseCommandLine, ShellSyntaxError, type SimpleCommand } from './parse-command-line.ts';
import { ShellExpansionError, expandWord, type ExpansionContext } from './expand-word.ts';

/** The state a shell keeps between lines. */
export interface ShellState {
  /** The exported variables: the environment of the commands it runs. */
  env: Record<string, string>;
  /** Shell variables not exported (`X=1` alone on a line; `export X` moves one to env). */
  vars: Record<string, string>;
  cwd: string;
  lastStatus: number;
}

/** A stdin that buffers until someone listens (a pipe between two commands). */
class Pipe {
  private chunks: string[] = [];
  private ended = false;
  private dataListeners = new Set<(text: string) => void>();
  private endListeners = new Set<() => void>();

  /** Writes text into the pipe. */
  write(text: string): void {
    if (this.ended) return;
    if (this.dataListeners.size === 0) this.chunks.push(text);
    else for (const l of [...this.dataListeners]) l(text);
  }

  /** Closes the write side. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.dataListeners.size > 0 || this.chunks.length === 0) for (const l of [...this.endListeners]) l();
  }

  /** The reading side, as CommandIO.stdin. */
  readonly reader = {
    onData: (cb: (text: string) => void): (() => void) => {
      this.dataListeners.add(cb);
      const held = this.chunks.splice(0);
      if (held.length > 0 || this.ended) {
        queueMicrotask(() => {
          for (const c of held) cb(c);
          if (this.ended) for (const l of [...this.endListeners]) l();
        });
      }
      return () => this.dataListeners.delete(cb);
    },
    onEnd: (cb: () => void): (() => void) => {
      this.endListeners.add(cb);
      if (this.ended && this.chunks.length === 0) queueMicrotask(cb);
      return () => this.endListeners.delete(cb);
    },
  };
}

/** A new shell state for a user (root unless `env.USER` says otherwise). */
export function createShellState(env: Record<string, string> = {}): ShellState {
  const user = env.USER ?? 'root';
  const home = env.HOME ?? (user === 'root' ? '/root' : `/home/${user}`);
  return { env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', USER: user, HOME: home, SHELL: '/bin/bash', TERM: 'xterm-256color', ...env, PWD: env.PWD ?? home }, vars: {}, cwd: env.PWD ?? home, lastStatus: 0 };
}

/** Sets a shell variable: in the environment when it is exported, else as a shell variable (bash's assignment). */
function assign(state: ShellState, name: string, value: string): void {
  if (Object.hasOwn(state.env, name)) state.env[name] = value;
  else state.vars[name] = value;
}

/** Runs one command line; returns its exit status (also stored as $?). */
export async function runShellLine(line: string, system: System, io: CommandIO, state: ShellState): Promise<number> {
  let list;
  try {
    list = parseCommandLine(line);
  } catch (error) {
    if (!(error instanceof ShellSyntaxError)) throw error;
    io.stderr(`bash: ${error.message}\n`);
    return (state.lastStatus = 2);
  }
  let status = state.lastStatus;
  for (const { op, pipeline } of list.items) {
    if (io.signal.aborted) return (state.lastStatus = 130);
    if (op === '&&' && status !== 0) continue;
    if (op === '||' && status === 0) continue;
    // Real processes that died before this command runs have been reaped, as PID 1 would have (node kernel).
    await system.kernel.processes.settle?.();
    const pipes = pipeline.commands.slice(1).map(() => new Pipe());
    const lastStatus = status;
    const context: ExpansionContext = {
      lookup: (name) => (name === '?' ? String(lastStatus) : Object.hasOwn(state.vars, name) ? state.vars[name] : Object.hasOwn(state.env, name) ? state.env[name] : undefined),
      assign: (name, value) => assign(state, name, value),
      substitute: (command) => commandOutput(command, system, io, state),
    };
    const joined = async (w: string) => (await expandWord(w, false, context)).join(' ');
    const commands: SimpleCommand[] = [];
    try {
      for (const c of pipeline.commands) {
        const argv: string[] = [];
        for (const word of c.argv) argv.push(...(await expandWord(word, true, context)));
        const assignments: Array<[string, string]> = [];
        for (const [k, v] of c.assignments) assignments.push([k, await joined(v)]);
        const redirections = [];
        for (const r of c.redirections) redirections.push({ ...r, target: await joined(r.target) });
        commands.push({ argv, assignments, redirections });
      }
    } catch (error) {
      if (!(error instanceof ShellExpansionError)) throw error;
      // ${X:?message}: an interactive bash reports it and gives up the rest of the line (status 1).
      io.stderr(`bash: ${error.message}\n`);
      return (state.lastStatus = 1);
    }
    const runs = commands.map((cmd, n) => {
      const stdin = n === 0 ? io.stdin : pipes[n - 1].reader;
      const out = n < pipes.length ? pipes[n] : undefined;
      return runSimple(cmd, system, io, state, stdin, out).finally(() => out?.end());
    });
    const statuses = await Promise.all(runs);
    status = statuses[statuses.length - 1];
    state.lastStatus = status;
  }
  return io.signal.aborted ? (state.lastStatus = 130) : status;
}

/** The stdout of `$(command)`, without its trailing newlines; it runs in a copy of the shell (a subshell), its stderr is the line's. */
async function commandOutput(command: string, system: System, io: CommandIO, state: ShellState): Promise<string> {
  let out = '';
  const sub: ShellState = { env: { ...state.env }, vars: { ...state.vars }, cwd: state.cwd, lastStatus: state.lastStatus };
  await runShellLine(command, system, { ...io, stdin: undefined, stdout: (text) => (out += text) }, sub);
  return out.replace(/\n+$/, '');
}

/** Runs one simple command with its redirections; `out` is the pipe to the next command, if any. */
async function runSimple(cmd: SimpleCommand, system: System, io: CommandIO, state: ShellState, stdin: CommandIO['stdin'], out: Pipe | undefined): Promise<number> {
  const fs = system.kernel.fs;
  let stdout = (text: string): void => (out ? out.write(text) : io.stdout(text));
  let stderr = (text: string): void => io.stderr(text);
  let input = stdin;
  for (const r of cmd.redirections) {
    if (r.op === '>&1') {
      stderr = (text) => stdout(text);
      continue;
    }
    const path = resolvePath(state.cwd, r.target);
    try {
      if (r.op === '<') {
        const text = fs.readFile(path);
        const pipe = new Pipe();
        pipe.write(text);
        pipe.end();
        input = pipe.reader;
        continue;
      }
      if (r.op === '>' || r.op === '&>') fs.writeFile(path, '');
      else if (!fs.stat(path)) fs.writeFile(path, '');
      else fs.readFile(path); // fails with EISDIR like bash would
    } catch (error) {
      io.stderr(`bash: ${r.target}: ${(error as Error).message}\n`);
      return 1;
    }
    const append = (text: string): void => {
      try {
        fs.writeFile(path, fs.readFile(path) + text);
      } catch {
        // The file vanished meanwhile; bash would keep writing to the open file, we drop the text.
      }
    };
    if (r.fd === 1) stdout = append;
    if (r.fd === 2) stderr = append;
    if (r.op === '&>') stderr = append;
  }
  if (cmd.argv.length === 0) {
    for (const [k, v] of cmd.assignments) assign(state, k, v);
    return 0;
  }
  const [name, ...args] = cmd.argv;
  // Own keys only: `toString` or `constructor` typed at the prompt is "command not found", not Object.prototype's.
  const builtin = Object.hasOwn(shellBuiltins, name) ? shellBuiltins[name] : undefined;
  if (builtin) return builtin(args, state, stderr);
  const env = { ...state.env, PWD: state.cwd, ...Object.fromEntries(cmd.assignments) };
  const commandIO: CommandIO = { stdout, stderr, stdin: input ?? emptyStdin(), signal: io.signal, columns: io.columns, env };
  return system.runCommand(cmd.argv, commandIO);
}

/** A stdin with nothing in it (ends at once). */
function emptyStdin(): NonNullable<CommandIO['stdin']> {
  const pipe = new Pipe();
  pipe.end();
  return pipe.reader;
}

type Builtin = (args: string[], state: ShellState, stderr: (t: string) => void) => number;

/** Builtins that change the shell's own state. */
const shellBuiltins: Record<string, Builtin> = {
  cd(args, state, stderr) {
    const target = args[0] === undefined || args[0] === '~' ? (state.env.HOME ?? '/') : args[0] === '-' ? (state.env.OLDPWD ?? state.cwd) : args[0].replace(/^~(?=\/)/, state.env.HOME ?? '');
    const path = resolvePath(state.cwd, target);
    const problem = directoryProblem(state, path);
    if (problem) {
      stderr(`bash: cd: ${args[0]}: ${problem}\n`);
      return 1;
    }
    state.env.OLDPWD = state.cwd;
    state.cwd = path;
    state.env.PWD = path;
    return 0;
  },
  export(args, state, stderr) {
    let status = 0;
    for (const a of args) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s.exec(a);
      if (!m) {
        stderr(`bash: export: \`${a}': not a valid identifier\n`);
        status = 1;
        continue;
      }
      // `export NAME` exports the shell variable NAME (an unset one waits for a value: nothing to do here).
      const value = m[2] ?? (Object.hasOwn(state.vars, m[1]) ? state.vars[m[1]] : undefined);
      delete state.vars[m[1]];
      if (value !== undefined) state.env[m[1]] = value;
    }
    return status;
  },
  unset(args, state) {
    for (const a of args) {
      delete state.env[a];
      delete state.vars[a];
    }
    return 0;
  },
};

/** Set by createShell so `cd` can check the target against the machine's file system. */
const dirCheckers = new WeakMap<ShellState, (path: string) => string | undefined>();

function directoryProblem(state: ShellState, path: string): string | undefined {
  return dirCheckers.get(state)?.(path);
}

/** A shell bound to a System: keeps cwd, env and $? between lines. */
export function createShell(system: System, env: Record<string, string> = {}) {
  const state = createShellState(env);
  dirCheckers.set(state, (path) => {
    const s = system.kernel.fs.stat(path);
    if (!s) return 'No such file or directory';
    if (s.type !== 'directory') return 'Not a directory';
    return undefined;
  });
  return {
    state,
    /** Runs one line. */
    run: (line: string, io: CommandIO) => runShellLine(line, system, io, state),
  };
}

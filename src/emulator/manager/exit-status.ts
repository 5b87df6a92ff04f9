/**
 * How systemd names a process's end: `code=exited, status=1/FAILURE`, `code=killed, status=9/KILL`,
 * and which service result it leads to (src/basic/exit-status.c, src/core/service.c).
 */
import type { ExitStatus } from '../kernel/kernel.ts';

const EXIT_NAMES: Record<number, string> = {
  0: 'SUCCESS', 1: 'FAILURE', 2: 'INVALIDARGUMENT', 3: 'NOTIMPLEMENTED', 4: 'NOPERMISSION',
  5: 'NOTINSTALLED', 6: 'NOTCONFIGURED', 7: 'NOTRUNNING', 200: 'CHDIR', 203: 'EXEC', 208: 'STDIN',
  209: 'STDOUT', 216: 'GROUP', 217: 'USER', 255: 'EXCEPTION',
};

const SIGNAL_NUMBERS: Record<string, number> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGSYS: 31,
};

/** Signals whose default action dumps core. */
const CORE_SIGNALS = new Set(['SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGSEGV', 'SIGSYS']);
/** Signals a daemon may die of cleanly (EXIT_CLEAN_DAEMON). */
const CLEAN_SIGNALS = new Set(['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGPIPE']);

/** What a process end means to the manager. */
export interface ExitMeaning {
  /** `exited`, `killed` or `dumped`. */
  code: 'exited' | 'killed' | 'dumped';
  /** `1/FAILURE`, `9/KILL`. */
  status: string;
  /** Service result: success, exit-code, signal, core-dump. */
  result: 'success' | 'exit-code' | 'signal' | 'core-dump';
}

/**
 * Interprets an ExitStatus the way service_sigchld_event() does. `clean` is is_clean_exit()'s rule: a daemon
 * (EXIT_CLEAN_DAEMON) may die of SIGHUP, SIGINT, SIGTERM or SIGPIPE; a command (EXIT_CLEAN_COMMAND: control
 * processes, a oneshot's main process) may not.
 */
export function describeExit(exit: ExitStatus, clean: 'daemon' | 'command' = 'daemon'): ExitMeaning {
  if (exit.signal) {
    const name = exit.signal.startsWith('SIG') ? exit.signal : `SIG${exit.signal}`;
    const status = `${SIGNAL_NUMBERS[name] ?? 0}/${name.slice(3)}`;
    // A core is written only where RLIMIT_CORE allows: PID 1 (252) leaves the kernel's soft limit 0 to services,
    // so SIGABRT/SIGSEGV show as code=killed unless the kernel reports a dump.
    if (CORE_SIGNALS.has(name) && exit.coreDumped) return { code: 'dumped', status, result: 'core-dump' };
    return { code: 'killed', status, result: clean === 'daemon' && CLEAN_SIGNALS.has(name) ? 'success' : 'signal' };
  }
  const code = exit.code ?? 0;
  // unit_log_process_exit() prints `%i/%s` with strna(): an unnamed code shows as `42/n/a`.
  const status = `${code}/${EXIT_NAMES[code] ?? 'n/a'}`;
  return { code: 'exited', status, result: code === 0 ? 'success' : 'exit-code' };
}

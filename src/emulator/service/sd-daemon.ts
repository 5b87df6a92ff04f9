/**
 * sd_listen_fds(3), sd_listen_fds_with_names(3) and sd_notify(3) with libsystemd's return semantics
 * (src/libsystemd/sd-daemon/sd-daemon.c, checked against Debian 12's libsystemd.so.0 in tests):
 * negative errno on errors, numbers parsed like strtoul/strtol with base 0 (leading whitespace, `+`,
 * `0x` hex and `0` octal accepted, trailing garbage refused). Pure logic over an injected environment,
 * so the same code runs inside the emulator's sandbox and in real Node.
 */

/** The first passed file descriptor. */
export const SD_LISTEN_FDS_START = 3;

const EINVAL = 22;
const ERANGE = 34;
const EBADF = 9;

/** What the functions need from the process they run in. */
export interface SdDaemonEnvironment {
  /** The process environment; unset_environment deletes keys from it. */
  env: Record<string, string | undefined>;
  /** getpid(). */
  pid: number;
  /** Whether fd `n` is open (fcntl(F_SETFD) would succeed). */
  isFdOpen(fd: number): boolean;
  /** Sends one datagram to $NOTIFY_SOCKET. */
  notify?(message: string): void;
}

/** The variables sd_listen_fds(unset_environment=1) removes, on every return path. */
const LISTEN_VARIABLES = ['LISTEN_PID', 'LISTEN_PIDFDID', 'LISTEN_FDS', 'LISTEN_FDNAMES'];

/** strtoul/strtol with base 0 as libsystemd's safe_ato* use them: value or -errno. */
function parseC(text: string, signed: boolean, max: bigint): bigint | number {
  let s = text.replace(/^[ \t\n\r]+/, '');
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  let digits: string;
  let radix: number;
  if (/^0[xX][0-9a-fA-F]/.test(s)) {
    radix = 16;
    digits = s.slice(2);
  } else if (s.startsWith('0')) {
    radix = 8;
    digits = s;
  } else {
    radix = 10;
    digits = s;
  }
  const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return -EINVAL;
  let value = 0n;
  for (const d of digits) value = value * BigInt(radix) + BigInt(parseInt(d, radix));
  if (!signed) {
    if (value > 0xffffffffffffffffn) return -ERANGE;
    if (negative && value !== 0n) return -ERANGE;
    return value > max ? -ERANGE : value;
  }
  if (negative) value = -value;
  if (value > max || value < -max - 1n) return -ERANGE;
  return value;
}

function unsetAll(sys: SdDaemonEnvironment, unset: boolean): void {
  if (unset) for (const key of LISTEN_VARIABLES) delete sys.env[key];
}

/** sd_listen_fds(): the number of passed fds, 0 when none are for us, or -errno. */
export function sdListenFds(sys: SdDaemonEnvironment, unsetEnvironment = false): number {
  const result = ((): number => {
    const pidText = sys.env.LISTEN_PID;
    if (pidText === undefined) return 0;
    const pid = parseC(pidText, false, 0x7fffffffn);
    if (typeof pid === 'number') return pid;
    if (pid === 0n) return -ERANGE; // pid_is_valid() refuses 0
    if (Number(pid) !== sys.pid) return 0;
    const fdsText = sys.env.LISTEN_FDS;
    if (fdsText === undefined) return 0;
    const parsed = parseC(fdsText, true, 0x7fffffffn);
    if (typeof parsed === 'number') return parsed;
    const n = Number(parsed);
    if (n <= 0 || n > 0x7fffffff - SD_LISTEN_FDS_START) return -EINVAL;
    for (let fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + n; fd++) if (!sys.isFdOpen(fd)) return -EBADF;
    return n;
  })();
  unsetAll(sys, unsetEnvironment);
  return result;
}

/** sd_listen_fds_with_names(): the count (or 0 / -errno) and, when positive, one name per fd. */
export function sdListenFdsWithNames(sys: SdDaemonEnvironment, unsetEnvironment = false): { result: number; names: string[] } {
  const namesText = sys.env.LISTEN_FDNAMES;
  // Split on ':' without coalescing: "a::b" is three names, "" is one empty name.
  const names = namesText !== undefined ? namesText.split(':') : undefined;
  const n = sdListenFds(sys, unsetEnvironment);
  if (n <= 0) return { result: n, names: [] };
  if (names) return names.length === n ? { result: n, names } : { result: -EINVAL, names: [] };
  return { result: n, names: Array.from({ length: n }, () => 'unknown') };
}

/** sd_notify(): 0 without $NOTIFY_SOCKET, 1 when sent, -EINVAL for an empty state. */
export function sdNotify(sys: SdDaemonEnvironment, unsetEnvironment: boolean, state: string): number {
  const result = ((): number => {
    if (!state) return -EINVAL;
    const socket = sys.env.NOTIFY_SOCKET;
    if (!socket) return 0;
    if (!sys.notify) return 0;
    sys.notify(state);
    return 1;
  })();
  if (unsetEnvironment) delete sys.env.NOTIFY_SOCKET;
  return result;
}

/** Error thrown by the JS-friendly API for a negative result (`code` is the errno name). */
function errorFor(fn: string, result: number): Error {
  const names: Record<number, [string, string]> = { [EINVAL]: ['EINVAL', 'Invalid argument'], [ERANGE]: ['ERANGE', 'Numerical result out of range'], [EBADF]: ['EBADF', 'Bad file descriptor'] };
  const [code, text] = names[-result] ?? ['EIO', `errno ${-result}`];
  return Object.assign(new Error(`${fn}() failed: ${text} (check LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES)`), { code, errno: result });
}

/** The JS-friendly module lab programs get from `require('sd-daemon')`. */
export function createSdDaemon(sys: SdDaemonEnvironment) {
  return {
    SD_LISTEN_FDS_START,
    /** Raw sd_listen_fds(): count, 0 or -errno. */
    sd_listen_fds: (unsetEnvironment: boolean | number = 0) => sdListenFds(sys, !!unsetEnvironment),
    /** Raw sd_listen_fds_with_names(): { result, names }. */
    sd_listen_fds_with_names: (unsetEnvironment: boolean | number = 0) => sdListenFdsWithNames(sys, !!unsetEnvironment),
    /** Raw sd_notify(): 0, 1 or -errno. */
    sd_notify: (unsetEnvironment: boolean | number, state: string) => sdNotify(sys, !!unsetEnvironment, state),
    /** The passed fds ([3, 4, …]; [] when none are for us); throws on malformed LISTEN_* variables. */
    listenFds(options: { unsetEnvironment?: boolean } = {}): number[] {
      const n = sdListenFds(sys, options.unsetEnvironment === true);
      if (n < 0) throw errorFor('sd_listen_fds', n);
      return Array.from({ length: n }, (_, i) => SD_LISTEN_FDS_START + i);
    },
    /** The passed fds with their names ([{ fd: 3, name: 'myapp.socket' }]). */
    listenFdsWithNames(options: { unsetEnvironment?: boolean } = {}): Array<{ fd: number; name: string }> {
      const { result, names } = sdListenFdsWithNames(sys, options.unsetEnvironment === true);
      if (result < 0) throw errorFor('sd_listen_fds_with_names', result);
      return names.map((name, i) => ({ fd: SD_LISTEN_FDS_START + i, name }));
    },
    /** sd_notify(0, state): true when sent, false without $NOTIFY_SOCKET. */
    notify(state: string): boolean {
      const r = sdNotify(sys, false, state);
      if (r < 0) throw errorFor('sd_notify', r);
      return r > 0;
    },
  };
}

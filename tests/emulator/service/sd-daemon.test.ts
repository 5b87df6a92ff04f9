import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createSdDaemon, sdListenFds, sdListenFdsWithNames, sdNotify } from '../../../src/emulator/service/sd-daemon.ts';

const PID = 4242;

/** An environment with fds 3 and 4 open, as after systemd passed two sockets. */
function sys(env: Record<string, string | undefined>, openFds = [3, 4]) {
  return { env: { ...env }, pid: PID, isFdOpen: (fd: number) => fd <= 2 || openFds.includes(fd), notify: undefined as undefined | ((m: string) => void) };
}

describe('sd_listen_fds (reference §1)', () => {
  const table: Array<[string, Record<string, string | undefined>, number]> = [
    ['LISTEN_PID unset → 0', { LISTEN_FDS: '1' }, 0],
    ['LISTEN_PID unparsable → -EINVAL', { LISTEN_PID: 'abc', LISTEN_FDS: '1' }, -22],
    ['LISTEN_PID empty → -EINVAL', { LISTEN_PID: '', LISTEN_FDS: '1' }, -22],
    ['LISTEN_PID 0 → -ERANGE', { LISTEN_PID: '0', LISTEN_FDS: '1' }, -34],
    ['LISTEN_PID of another process → 0', { LISTEN_PID: '1', LISTEN_FDS: '1' }, 0],
    ['LISTEN_PID in hex (strtoul base 0) is accepted', { LISTEN_PID: '0x' + PID.toString(16), LISTEN_FDS: '1' }, 1],
    ['LISTEN_PID with trailing space → -EINVAL', { LISTEN_PID: `${PID} `, LISTEN_FDS: '1' }, -22],
    ['LISTEN_FDS unset → 0', { LISTEN_PID: `${PID}` }, 0],
    ['LISTEN_FDS " 2" accepted', { LISTEN_PID: `${PID}`, LISTEN_FDS: ' 2' }, 2],
    ['LISTEN_FDS "2x" → -EINVAL', { LISTEN_PID: `${PID}`, LISTEN_FDS: '2x' }, -22],
    ['LISTEN_FDS 0 → -EINVAL, not 0', { LISTEN_PID: `${PID}`, LISTEN_FDS: '0' }, -22],
    ['LISTEN_FDS -1 → -EINVAL', { LISTEN_PID: `${PID}`, LISTEN_FDS: '-1' }, -22],
    ['LISTEN_FDS too large → -ERANGE', { LISTEN_PID: `${PID}`, LISTEN_FDS: '99999999999' }, -34],
    ['LISTEN_FDS "010" is octal 8: fd 5 not open → -EBADF', { LISTEN_PID: `${PID}`, LISTEN_FDS: '010' }, -9],
    ['an fd that is not open → -EBADF', { LISTEN_PID: `${PID}`, LISTEN_FDS: '3' }, -9],
  ];
  for (const [name, env, expected] of table) {
    it(name, () => expect(sdListenFds(sys(env))).toBe(expected));
  }

  it('unset_environment removes LISTEN_PID, LISTEN_PIDFDID, LISTEN_FDS, LISTEN_FDNAMES on every path', () => {
    for (const env of [
      { LISTEN_PID: `${PID}`, LISTEN_FDS: '2', LISTEN_FDNAMES: 'a:b', LISTEN_PIDFDID: '7' },
      { LISTEN_PID: '1', LISTEN_FDS: '2', LISTEN_FDNAMES: 'a:b', LISTEN_PIDFDID: '7' },
      { LISTEN_PID: 'abc', LISTEN_FDS: '2', LISTEN_FDNAMES: 'a:b', LISTEN_PIDFDID: '7' },
    ]) {
      const s = sys({ ...env, OTHER: 'kept' });
      sdListenFds(s, true);
      expect(s.env).toEqual({ OTHER: 'kept' });
    }
  });
});

describe('sd_listen_fds_with_names (reference §1)', () => {
  it('splits on ":" without coalescing; a count mismatch is -EINVAL', () => {
    expect(sdListenFdsWithNames(sys({ LISTEN_PID: `${PID}`, LISTEN_FDS: '2', LISTEN_FDNAMES: 'web:admin' }))).toEqual({ result: 2, names: ['web', 'admin'] });
    expect(sdListenFdsWithNames(sys({ LISTEN_PID: `${PID}`, LISTEN_FDS: '2', LISTEN_FDNAMES: 'a::b' })).result).toBe(-22);
    expect(sdListenFdsWithNames(sys({ LISTEN_PID: `${PID}`, LISTEN_FDS: '1', LISTEN_FDNAMES: '' }))).toEqual({ result: 1, names: [''] });
  });
  it('absent names are "unknown"', () => {
    expect(sdListenFdsWithNames(sys({ LISTEN_PID: `${PID}`, LISTEN_FDS: '2' }))).toEqual({ result: 2, names: ['unknown', 'unknown'] });
  });
  it('the JS-friendly API returns { fd, name } and throws on malformed variables', () => {
    const sd = createSdDaemon(sys({ LISTEN_PID: `${PID}`, LISTEN_FDS: '1', LISTEN_FDNAMES: 'myapp.socket' }));
    expect(sd.listenFdsWithNames()).toEqual([{ fd: 3, name: 'myapp.socket' }]);
    expect(sd.listenFds()).toEqual([3]);
    expect(() => createSdDaemon(sys({ LISTEN_PID: `${PID}`, LISTEN_FDS: '0' })).listenFds()).toThrow(/Invalid argument/);
    expect(createSdDaemon(sys({})).listenFds()).toEqual([]);
  });
});

describe('sd_notify', () => {
  it('returns 0 without NOTIFY_SOCKET, sends and returns 1 with it, -EINVAL for an empty state', () => {
    const sent: string[] = [];
    const s = { ...sys({ NOTIFY_SOCKET: '/run/systemd/notify' }), notify: (m: string) => void sent.push(m) };
    expect(sdNotify(sys({}), false, 'READY=1')).toBe(0);
    expect(sdNotify(s, false, 'READY=1')).toBe(1);
    expect(sdNotify(s, true, '')).toBe(-22);
    expect(sent).toEqual(['READY=1']);
    expect(s.env.NOTIFY_SOCKET).toBeUndefined();
  });
});

/** Runs the same cases through Debian's libsystemd.so.0 via python3 ctypes, when both are present. */
function libsystemdAvailable(): boolean {
  try {
    execFileSync('python3', ['-c', "import ctypes; ctypes.CDLL('libsystemd.so.0')"], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const hasLib = libsystemdAvailable();
if (!hasLib) console.warn('sd-daemon differential test skipped: python3 with ctypes and libsystemd.so.0 are needed to call the real sd_listen_fds().');

describe.skipIf(!hasLib)('sd_listen_fds: differential against libsystemd.so.0', () => {
  const PROBE = `
import ctypes, os, sys, json
lib = ctypes.CDLL('libsystemd.so.0')
lib.sd_listen_fds_with_names.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.POINTER(ctypes.c_char_p))]
os.dup2(0, 3); os.dup2(0, 4)
out = []
for env, unset in json.loads(sys.argv[1]):
    for k in ['LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES', 'LISTEN_PIDFDID']:
        os.environ.pop(k, None)
    for k, v in env.items():
        os.environ[k] = v.replace('SELF', str(os.getpid()))
    arr = ctypes.POINTER(ctypes.c_char_p)()
    r = lib.sd_listen_fds_with_names(unset, ctypes.byref(arr))
    names = [arr[i].decode() for i in range(r)] if r > 0 else []
    libc = ctypes.CDLL(None); libc.getenv.restype = ctypes.c_char_p
    left = [k for k in ['LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES'] if libc.getenv(k.encode()) is not None]
    out.append({'result': r, 'names': names, 'left': left})
print(json.dumps(out))
`;
  const cases: Array<[Record<string, string>, number]> = [];
  for (const pid of ['SELF', '1', 'abc', '', '0', ' SELF', 'SELF ', '+SELF', '-1']) {
    for (const fds of ['1', '2', ' 2', '2x', '0', '-1', '3', '0x2', '010', '+1', undefined]) {
      for (const names of [undefined, 'a:b', 'a::b', '', 'x']) {
        const env: Record<string, string> = { LISTEN_PID: pid };
        if (fds !== undefined) env.LISTEN_FDS = fds;
        if (names !== undefined) env.LISTEN_FDNAMES = names;
        cases.push([env, cases.length % 2]);
      }
    }
  }
  it(`agrees with the real library on ${cases.length} environments`, () => {
    const real = JSON.parse(execFileSync('python3', ['-c', PROBE, JSON.stringify(cases)], { encoding: 'utf8' })) as Array<{ result: number; names: string[]; left: string[] }>;
    const ours = cases.map(([env, unset]) => {
      const s = { env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace('SELF', String(PID))])) as Record<string, string | undefined>, pid: PID, isFdOpen: (fd: number) => fd <= 4 };
      const r = sdListenFdsWithNames(s, unset === 1);
      return { result: r.result, names: r.names, left: ['LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES'].filter((k) => s.env[k] !== undefined) };
    });
    const mismatches = cases.map((c, i) => ({ env: c[0], unset: c[1], real: real[i], ours: ours[i] })).filter((m) => JSON.stringify(m.real) !== JSON.stringify(m.ours));
    expect(mismatches).toEqual([]);
  });
});

/**
 * Lab of the lesson "systemd-socket-proxyd": legacy binds its own port and cannot take a socket. Put
 * systemd-socket-proxyd in front of it so that a socket starts the proxy and the proxy starts legacy,
 * with no refused first request, and let both go away when idle.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import type { CommandResult } from '../../src/lab/definition/lab-definition.ts';

const SOCKET = '/etc/systemd/system/legacy-proxy.socket';
const PROXY = '/etc/systemd/system/legacy-proxy.service';
const LEGACY = '/etc/systemd/system/legacy.service';
/** A process other than systemd holding the socket as fd 3, in `ss -tlpn`'s users:(…) column. */
const SERVICE_ON_FD_3 = /\("(?!systemd")[^"]+",pid=\d+,fd=3\)/;

/** The `ss -tlpn` row of a local address, or undefined. */
function ssRow(ss: CommandResult, address: string): string | undefined {
  return ss.stdout.split('\n').find((line) => line.split(/\s+/).includes(address));
}

/** The pid in legacy's answer ("legacy (pid 205): request 1"), or undefined. */
function legacyPid(reply: CommandResult): number | undefined {
  const match = /^legacy \(pid (\d+)\)/m.exec(reply.stdout);
  return match ? Number(match[1]) : undefined;
}

/** What curl printed, for a failure message. */
function printed(reply: CommandResult): string {
  return (reply.stdout + reply.stderr).trim() || 'nothing';
}

/** `Name=value` of a `systemctl show` output. */
function property(shown: CommandResult, name: string): string {
  return new RegExp(`^${name}=(.*)$`, 'm').exec(shown.stdout)?.[1] ?? '';
}

const CURL = 'curl -sS --max-time 5 http://127.0.0.1:8080/';

export default defineLab({
  id: 'proxyd',
  title: 'A socket for a program that cannot take one',
  lesson: 'socket-proxyd',
  intro:
    'legacy always binds 127.0.0.1:8081 itself and runs from boot. Give it a socket on 127.0.0.1:8080 anyway: systemd-socket-proxyd takes the socket, starts legacy when the first client comes and forwards every connection.',
  editable: [SOCKET, PROXY, LEGACY],
  openFile: PROXY,
  hostname: 'proxyd',
  goals: [
    {
      id: 'proxy-answers',
      task: 'Answer on 127.0.0.1:8080 through legacy-proxy.socket and systemd-socket-proxyd.',
      hint: 'legacy-proxy.socket: `ListenStream=127.0.0.1:8080`. legacy-proxy.service: `ExecStart=/lib/systemd/systemd-socket-proxyd 127.0.0.1:8081`. Then `systemctl daemon-reload` and `systemctl enable --now legacy-proxy.socket`.',
      check: async ({ run }) => {
        const reply = await run(CURL);
        if (legacyPid(reply) === undefined) return `curl printed: ${printed(reply)}`;
        const row = ssRow(await run('ss -tlpn'), '127.0.0.1:8080') ?? '';
        if (!row.includes('("systemd",pid=1,')) return 'systemd does not hold 127.0.0.1:8080: is legacy-proxy.socket listening?';
        return SERVICE_ON_FD_3.test(row) || `legacy answered, but no proxy serves fd 3 of legacy-proxy.socket: ${row.trim()}`;
      },
    },
    {
      id: 'legacy-on-demand',
      task: 'Start legacy only with the proxy: not at boot, but pulled in and ordered before legacy-proxy.service.',
      hint: '`systemctl disable --now legacy.service` removes it from multi-user.target. In legacy-proxy.service [Unit]: `Requires=legacy.service` and `After=legacy.service`.',
      check: async ({ run }) => {
        const enabled = (await run('systemctl is-enabled legacy.service')).stdout.trim();
        if (enabled === 'enabled') return 'legacy.service is still enabled: multi-user.target starts it at boot.';
        const shown = await run('systemctl show -p Requires,Wants,BindsTo,After legacy-proxy.service');
        const pulls = ['Requires', 'Wants', 'BindsTo'].some((name) => property(shown, name).split(' ').includes('legacy.service'));
        if (!pulls) return 'legacy-proxy.service does not pull in legacy.service (Requires=).';
        return property(shown, 'After').split(' ').includes('legacy.service') || 'legacy-proxy.service is not ordered after legacy.service (After=): the proxy may start first.';
      },
    },
    {
      id: 'first-request-answered',
      task: 'With both services stopped, the very first request must get an answer too.',
      hint: 'legacy needs half a second before it listens, and the proxy connects at once ("Failed to connect to remote host: Connection refused"). legacy cannot send READY=1; make its start wait for the port: `ExecStartPost=/usr/local/bin/wait-for-port 127.0.0.1:8081` in legacy.service.',
      check: async ({ run }) => {
        await run('systemctl stop legacy-proxy.service legacy.service');
        const reply = await run(CURL);
        return legacyPid(reply) !== undefined || `the first request after a stop got: ${printed(reply)}`;
      },
    },
    {
      id: 'idle-exit',
      task: 'Let the proxy exit after 3 idle seconds, and legacy stop with it; the next request starts both again.',
      hint: 'Add `--exit-idle-time=3s` before the address in ExecStart=. legacy.service needs `StopWhenUnneeded=yes` in [Unit], so that it stops when the proxy that required it is gone.',
      check: async ({ run }) => {
        const first = legacyPid(await run(CURL));
        if (first === undefined) return 'nothing answers on 127.0.0.1:8080.';
        await run('sleep 4');
        const states = (await run('systemctl is-active legacy-proxy.service legacy.service legacy-proxy.socket')).stdout.trim().split('\n');
        if (states[0] !== 'inactive') return `4 s after a request, legacy-proxy.service is ${states[0]}.`;
        if (states[1] !== 'inactive') return `the proxy exited, but legacy.service is ${states[1]}.`;
        if (states[2] !== 'active') return `legacy-proxy.socket is ${states[2]}.`;
        const second = legacyPid(await run(CURL));
        if (second === undefined) return 'after both stopped, the next request got no answer.';
        return second !== first || 'the same legacy process answered: it did not stop.';
      },
    },
  ],
  solutionSteps: [
    'systemctl disable --now legacy.service',
    'systemctl daemon-reload',
    'systemctl enable --now legacy-proxy.socket',
    'curl -s http://127.0.0.1:8080/',
  ],
});

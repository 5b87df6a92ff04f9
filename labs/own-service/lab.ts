/**
 * Lab of the lesson "Writing a socket-activated service": finish hello, a Node service, so that it
 * serves the socket systemd passes (and binds its own port when started without one), tells systemd
 * when it is ready (Type=notify, READY=1), and exits when idle without losing a client.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import type { CommandResult } from '../../src/lab/definition/lab-definition.ts';
import { runUntilAnswered } from '../../src/lab/definition/check-helpers.ts';

const PROGRAM = '/opt/hello/hello';
const SERVICE = '/etc/systemd/system/hello.service';
/** A process other than systemd holding the socket as fd 3, in `ss -tlpn`'s users:(…) column. */
const SERVICE_ON_FD_3 = /\("(?!systemd")[^"]+",pid=\d+,fd=3\)/;

/** The `ss -tlpn` row of a local address, or undefined. */
function ssRow(ss: CommandResult, address: string): string | undefined {
  return ss.stdout.split('\n').find((line) => line.split(/\s+/).includes(address));
}

/** The pid in hello's greeting ("hello from pid 201, connection 1"), or undefined. */
function greetingPid(reply: CommandResult): number | undefined {
  const match = /hello from pid (\d+)/.exec(reply.stdout);
  return match ? Number(match[1]) : undefined;
}

/** What nc printed, for a failure message. */
function printed(reply: CommandResult): string {
  return (reply.stdout + reply.stderr).trim() || 'nothing';
}

export default defineLab({
  id: 'own-service',
  title: 'Your own socket-activated service',
  lesson: 'writing-a-service',
  intro:
    'hello greets each client with one line. Finish it: serve the socket systemd passes, fall back to a port of its own, tell systemd when it is ready, and exit when nobody needs it.',
  editable: [PROGRAM, SERVICE, '/etc/systemd/system/hello.socket', '/etc/systemd/system/hello-direct.service'],
  openFile: PROGRAM,
  hostname: 'own-service',
  goals: [
    {
      id: 'serves-fd-3',
      task: 'Make hello answer on 127.0.0.1:9000 through the socket systemd passes as fd 3.',
      hint: 'hello binds 9000 itself and fails with EADDRINUSE (`journalctl -u hello.service`). When `sd.listenFds()` returns [3], call `server.listen({ fd: 3 })`. After saving: `systemctl reset-failed`, `systemctl restart hello.socket`, then `nc -N 127.0.0.1 9000`.',
      check: async ({ run }) => {
        const reply = await run('nc -N -w 3 127.0.0.1 9000');
        if (greetingPid(reply) === undefined) return `nc printed: ${printed(reply)}`;
        const row = ssRow(await run('ss -tlpn'), '127.0.0.1:9000') ?? '';
        if (!row.includes('("systemd",pid=1,')) return 'systemd does not hold 127.0.0.1:9000: is hello.socket listening?';
        return SERVICE_ON_FD_3.test(row) || `hello answered, but not on fd 3 from hello.socket: ${row.trim()}`;
      },
    },
    {
      id: 'falls-back',
      task: 'Start hello-direct.service (hello without a socket, PORT=9001) and make it answer on 127.0.0.1:9001.',
      hint: 'Without a socket from systemd, `sd.listenFds()` returns []: then listen on `Number(process.env.PORT) || 9000` yourself. `systemctl restart hello-direct.service`, then `nc -N 127.0.0.1 9001`.',
      check: async ({ run }) => {
        const state = (await run('systemctl is-active hello-direct.service')).stdout.trim();
        if (state !== 'active') return `hello-direct.service is ${state}.`;
        const reply = await runUntilAnswered(run, 'nc -N -w 3 127.0.0.1 9001', (result) => greetingPid(result) !== undefined, 'hello-direct.service');
        if (greetingPid(reply) === undefined) return `nc printed: ${printed(reply)}`;
        const row = ssRow(await run('ss -tlpn'), '127.0.0.1:9001') ?? '';
        return !row.includes('"systemd"') || 'systemd holds 127.0.0.1:9001: this goal is about hello binding its own port.';
      },
    },
    {
      id: 'ready-notify',
      task: 'Make hello.service Type=notify, and send READY=1 once hello listens.',
      hint: 'In [Service]: `Type=notify`; in the listen callback: `sd.notify(\'READY=1\')`. Without READY=1 the service stays "activating (start)" until it times out. daemon-reload after saving the unit.',
      check: async ({ run }) => {
        const reply = await run('nc -N -w 3 127.0.0.1 9000');
        if (greetingPid(reply) === undefined) return `nc printed: ${printed(reply)}`;
        const shown = (await run('systemctl show -p Type,ActiveState,SubState hello.service')).stdout;
        if (!shown.includes('Type=notify')) return `hello.service has ${/Type=\S+/.exec(shown)?.[0] ?? 'no Type='}: systemd does not wait for READY=1.`;
        return shown.includes('ActiveState=active') || `hello.service is ${/ActiveState=\S+/.exec(shown)?.[0]} ${/SubState=\S+/.exec(shown)?.[0]}: systemd got no READY=1 from it.`;
      },
    },
    {
      id: 'exits-when-idle',
      task: 'Make hello exit by itself within 3 seconds without a client; the next client must still get an answer.',
      hint: 'When socket-activated, (re)start a 3 s timer on every connection and `process.exit(0)` when it fires. Clients that connect later wait in systemd\'s socket, which starts hello again.',
      check: async ({ run }) => {
        const first = greetingPid(await run('nc -N -w 3 127.0.0.1 9000'));
        if (first === undefined) return 'hello does not answer on 127.0.0.1:9000.';
        await run('sleep 4');
        const shown = (await run('systemctl show -p ActiveState,Result hello.service')).stdout;
        if (!shown.includes('ActiveState=inactive')) return `4 s after a client, hello.service is still ${/ActiveState=\S+/.exec(shown)?.[0] ?? 'unknown'}.`;
        if (!shown.includes('Result=success')) return `hello.service ended with ${/Result=\S+/.exec(shown)?.[0]}: exit with status 0.`;
        const second = greetingPid(await run('nc -N -w 3 127.0.0.1 9000'));
        if (second === undefined) return 'after hello exited, the next client got no answer: is hello.socket still listening?';
        return second !== first || 'the same process answered again: hello did not exit.';
      },
    },
  ],
  solutionSteps: [
    'systemctl daemon-reload',
    'nc -N 127.0.0.1 9000',
    'systemctl start hello-direct.service',
    'nc -N 127.0.0.1 9001',
  ],
});

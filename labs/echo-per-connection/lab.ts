/**
 * Lab of the lesson "One process per connection" (/lessons/accept-yes/): turn echo.socket into an inetd-style socket
 * (Accept=yes), write the template echo@.service with StandardInput=socket, and watch one instance
 * per connection appear with systemd's instance names.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import { connectForCheck, findUnit, learnerInstances, printed, showUnit } from '../../src/lab/definition/check-helpers.ts';

const SOCKET = '/etc/systemd/system/echo.socket';
const TEMPLATE = '/etc/systemd/system/echo@.service';
/** systemd 252's instance name for a TCP connection: prefix@NR-LOCALIP:LPORT-REMOTEIP:RPORT.service. */
const INSTANCE = /^echo@\d+-127\.0\.0\.1:7777-127\.0\.0\.1:\d+\.service$/;

export default defineLab({
  id: 'echo-per-connection',
  title: 'One echo server per connection',
  lesson: 'accept-yes',
  intro:
    'echo-server talks to one client on stdin and stdout and knows nothing about sockets. Let systemd accept each connection and start one instance per client.',
  editable: [SOCKET, TEMPLATE],
  openFile: SOCKET,
  hostname: 'echo',
  goals: [
    {
      id: 'accepting-socket',
      task: 'Make echo.socket accept connections itself (one service instance per connection).',
      hint: 'Add `Accept=yes` to [Socket], run `systemctl daemon-reload`, then `systemctl restart echo.socket` so the socket is set up again.',
      check: async ({ run, snapshot }) => {
        const socket = findUnit(snapshot.units, 'echo.socket');
        if (socket?.activeState !== 'active') return `echo.socket is ${socket?.activeState ?? 'not loaded'}.`;
        const shown = await run('systemctl show -p Accept echo.socket');
        return shown.stdout.trim() === 'Accept=yes' || `systemd has ${shown.stdout.trim() || 'no Accept= setting'} for echo.socket.`;
      },
    },
    {
      id: 'template-verifies',
      task: 'Write echo@.service so that `systemd-analyze verify /etc/systemd/system/echo.socket` is clean.',
      hint: 'The template needs `ExecStart=/usr/local/bin/echo-server`. verify loads the template behind an Accept=yes socket and reports what is missing.',
      check: async ({ run }) => {
        const verify = await run(`systemd-analyze verify ${SOCKET}`);
        return verify.exitCode === 0 || (verify.stdout + verify.stderr).trim().split('\n')[0] || 'systemd-analyze verify failed.';
      },
    },
    {
      id: 'talks-over-stdio',
      task: 'Get an answer through the socket: `echo hello | nc -N 127.0.0.1 7777` prints HELLO.',
      hint: 'echo-server reads stdin and writes stdout: `StandardInput=socket` in [Service] makes the connection its stdin and stdout. daemon-reload after saving.',
      check: async ({ run }) => {
        const reply = await connectForCheck(run, 'echo.socket', 'echo hello | nc -N -w 3 127.0.0.1 7777');
        return reply.stdout.includes('HELLO') || printed('nc', reply);
      },
    },
    {
      id: 'instance-per-connection',
      task: 'Connect twice yourself and find the instances in the journal (echo@0-127.0.0.1:7777-….service).',
      hint: 'Each `nc` connection is one instance. `journalctl -n 20` shows "Started echo@N-127.0.0.1:7777-127.0.0.1:PORT.service - Echo server connection (127.0.0.1:PORT)." per connection.',
      check: async (context) => {
        // Connections the checks made (the goal above connects once per Check) do not count.
        const instances = await learnerInstances(context, 'echo.socket', INSTANCE);
        const accept = (await showUnit(context.run, 'echo.socket', ['Accept'])).Accept[0];
        if (accept !== 'yes') return 'echo.socket does not accept connections itself yet.';
        return instances.length >= 2 || `${instances.length} connection(s) of yours made an echo@.service instance so far; two are needed.`;
      },
    },
  ],
  solutionSteps: [
    'systemctl daemon-reload',
    'systemctl restart echo.socket',
    'echo hello | nc -N 127.0.0.1 7777',
    'echo again | nc -N 127.0.0.1 7777',
  ],
});

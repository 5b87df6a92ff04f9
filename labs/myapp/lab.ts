/**
 * Lab of the lesson "Socket and service units" (/lessons/socket-and-service-units/): write myapp.socket and myapp.service, enable the
 * socket, and watch the service go from inactive to active on the first connection.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import { execStartArgv, findUnit, heldBySystemd, listeners, portOf, printed } from '../../src/lab/definition/check-helpers.ts';

const SOCKET = '/etc/systemd/system/myapp.socket';
const SERVICE = '/etc/systemd/system/myapp.service';

export default defineLab({
  id: 'myapp',
  title: 'Your first socket-activated service',
  lesson: 'socket-and-service-units',
  intro:
    'myapp is a small HTTP server that takes its socket from systemd as fd 3. Write its two units, enable the socket, and watch the first connection start the service.',
  editable: [SOCKET, SERVICE],
  openFile: SOCKET,
  goals: [
    {
      id: 'socket-listens',
      task: 'Make myapp.socket listen on TCP port 8080.',
      hint: 'Add `ListenStream=8080` to the [Socket] section, then run `systemctl daemon-reload` so systemd reads the file again.',
      check: async ({ run, snapshot }) => {
        const socket = findUnit(snapshot.units, 'myapp.socket');
        if (!socket || socket.loadState !== 'loaded') return 'myapp.socket is not loaded without errors yet.';
        const configured = (socket.listen ?? []).map((listen) => listen.address);
        if (!configured.some((address) => /(^|:)8080$/.test(address))) return `myapp.socket is set to listen on: ${configured.join(', ') || 'nothing'}.`;
        // What the kernel has, not what the unit says: after daemon-reload a running socket keeps (or
        // loses) its old sockets until it is restarted (checked on systemd 252).
        const live = (await listeners(run, 'tcp')).filter(heldBySystemd).map((listener) => listener.local);
        if (live.some((local) => portOf(local) === 8080)) return true;
        return `myapp.socket says ${configured.join(', ')}, but systemd listens on ${live.join(', ') || 'nothing'} (ss -ltnp): start it, or restart it after daemon-reload (stop myapp.service first if it runs).`;
      },
    },
    {
      id: 'service-runs-myapp',
      task: 'Make myapp.service run /opt/myapp/myapp.',
      hint: 'Add `ExecStart=/opt/myapp/myapp` to the [Service] section, then `systemctl daemon-reload`.',
      check: async ({ run, snapshot }) => {
        const loaded = findUnit(snapshot.units, 'myapp.service')?.loadState;
        if (loaded !== undefined && loaded !== 'loaded') return `systemd has myapp.service as ${loaded}: fix it (systemd-analyze verify ${SERVICE}) and run systemctl daemon-reload.`;
        // ExecStart= as systemd loaded it (drop-ins included); `/usr/bin/node /opt/myapp/myapp` runs it too.
        const commands = await execStartArgv(run, 'myapp.service');
        if (!commands.some((argv) => argv.includes('/opt/myapp/myapp'))) {
          return commands.length > 0 ? `systemd runs ${commands.map((argv) => argv.join(' ')).join('; ')}, not /opt/myapp/myapp (run systemctl daemon-reload after saving).` : 'systemd has no ExecStart= for myapp.service: add it and run systemctl daemon-reload.';
        }
        const verify = await run(`systemd-analyze verify ${SERVICE}`);
        return verify.exitCode === 0 || (verify.stdout + verify.stderr).trim().split('\n')[0] || 'systemd-analyze verify failed.';
      },
    },
    {
      id: 'socket-enabled',
      task: 'Enable myapp.socket and start it in one command.',
      hint: 'Run `systemctl enable --now myapp.socket`: enable links it into sockets.target.wants, --now starts listening.',
      check: ({ snapshot }) => {
        const socket = findUnit(snapshot.units, 'myapp.socket');
        if (socket?.unitFileState !== 'enabled') return 'myapp.socket is not enabled.';
        return socket.activeState === 'active' || `myapp.socket is ${socket.activeState}.`;
      },
    },
    {
      id: 'first-connection',
      task: 'Connect with curl and watch the socket start myapp.service.',
      hint: 'Run `curl http://localhost:8080/`, then `systemctl status myapp.service` shows "TriggeredBy: ● myapp.socket".',
      check: ({ snapshot }) => {
        const service = findUnit(snapshot.units, 'myapp.service');
        if (service?.activeState !== 'active') return `myapp.service is ${service?.activeState ?? 'not loaded'}.`;
        const handed = (service.fds ?? []).some((fd) => fd.fd === 3 && fd.socket === 'myapp.socket');
        return handed || 'myapp.service runs, but it did not get fd 3 from myapp.socket: start the socket first.';
      },
    },
    {
      id: 'reply',
      task: 'Get the reply "Hello from myapp" through port 8080.',
      hint: 'myapp must answer on the socket it was given; check `journalctl -u myapp.service` for errors.',
      check: async ({ run }) => {
        const reply = await run('curl -s --max-time 2 http://localhost:8080/');
        return reply.stdout.includes('Hello from myapp') || printed('curl', reply);
      },
    },
  ],
  solutionSteps: ['systemctl daemon-reload', 'systemctl enable --now myapp.socket', 'curl -s http://localhost:8080/'],
});

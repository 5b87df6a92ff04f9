/**
 * Lab of lesson 2 "Socket and service units": write myapp.socket and myapp.service, enable the
 * socket, and watch the service go from inactive to active on the first connection.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import { findUnit } from '../../src/lab/definition/check-helpers.ts';

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
      check: ({ snapshot }) => {
        const socket = findUnit(snapshot.units, 'myapp.socket');
        if (!socket || socket.loadState !== 'loaded') return 'myapp.socket is not loaded without errors yet.';
        const ports = (socket.listen ?? []).map((listen) => listen.address);
        return ports.some((address) => /(^|:)8080$/.test(address)) || `myapp.socket listens on: ${ports.join(', ') || 'nothing'}.`;
      },
    },
    {
      id: 'service-runs-myapp',
      task: 'Make myapp.service run /opt/myapp/myapp.',
      hint: 'Add `ExecStart=/opt/myapp/myapp` to the [Service] section, then `systemctl daemon-reload`.',
      check: async ({ run, snapshot, readFile }) => {
        const text = (await readFile(SERVICE)) ?? '';
        if (!/^\s*ExecStart\s*=\s*\S*\/opt\/myapp\/myapp\b/m.test(text)) return 'myapp.service has no ExecStart= that runs /opt/myapp/myapp.';
        const verify = await run(`systemd-analyze verify ${SERVICE}`);
        if (verify.exitCode !== 0) return (verify.stdout + verify.stderr).trim().split('\n')[0] ?? 'systemd-analyze verify failed.';
        // systemd loads a service on demand; once loaded, it must be the fixed file.
        const loaded = findUnit(snapshot.units, 'myapp.service')?.loadState;
        return loaded === undefined || loaded === 'loaded' || `systemd still has the old myapp.service (${loaded}): run systemctl daemon-reload.`;
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
        return reply.stdout.includes('Hello from myapp') || `curl printed: ${(reply.stdout + reply.stderr).trim() || 'nothing'}`;
      },
    },
  ],
  solutionSteps: ['systemctl daemon-reload', 'systemctl enable --now myapp.socket', 'curl -s http://localhost:8080/'],
});

/**
 * Lab of the lesson "How the service gets the socket" (/lessons/fd-inheritance/): greeter binds its port itself and crashes with
 * EADDRINUSE, because systemd already holds it. Make it use the passed socket, then add a second
 * socket unit for the same service and pick that descriptor by its name.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import { findUnit, heldBySystemd, listeners, pathServedBySystemd, printed } from '../../src/lab/definition/check-helpers.ts';

const PROGRAM = '/opt/greeter/greeter';
const ADMIN_SOCKET = '/etc/systemd/system/greeter-admin.socket';
const ADMIN_PATH = '/run/greeter/admin.sock';

export default defineLab({
  id: 'listen-fds',
  title: 'Take the socket you are given',
  lesson: 'fd-inheritance',
  intro:
    'greeter.socket listens on 127.0.0.1:8080, but the greeter program binds the port itself and crashes. Make it use the descriptors systemd passes, then give it a second, named socket.',
  editable: [PROGRAM, ADMIN_SOCKET, '/etc/systemd/system/greeter.socket', '/etc/systemd/system/greeter.service'],
  openFile: PROGRAM,
  hostname: 'greeter',
  goals: [
    {
      id: 'uses-passed-socket',
      task: 'Make greeter answer on http://127.0.0.1:8080/ through the socket systemd passes.',
      hint: 'The program fails with EADDRINUSE (see `journalctl -u greeter.service`): serve `web` with `web.listen({ fd: 3 })` instead of binding 8080. If greeter.socket failed after repeated crashes, run `systemctl reset-failed` and `systemctl start greeter.socket`.',
      check: async ({ run, snapshot }) => {
        const socket = findUnit(snapshot.units, 'greeter.socket');
        if (socket?.activeState !== 'active') return `greeter.socket is ${socket?.activeState ?? 'not loaded'}${socket?.result && socket.result !== 'success' ? ` (${socket.result})` : ''}: systemctl reset-failed greeter.socket, then systemctl start greeter.socket.`;
        // The port must be greeter.socket's (held by systemd), not one greeter bound itself.
        const onPort = (await listeners(run, 'tcp')).filter((listener) => /:8080$/.test(listener.local));
        const own = onPort.find((listener) => !heldBySystemd(listener));
        if (own) return `${own.holders[0]?.name ?? 'A process'} listens on ${own.local} itself (ss -ltnp): use the socket systemd passes instead.`;
        if (!onPort.some(heldBySystemd)) return 'systemd does not listen on port 8080 (ss -ltnp).';
        const service = findUnit(snapshot.units, 'greeter.service');
        if (service?.activeState === 'active' && !(service.fds ?? []).some((fd) => fd.socket === 'greeter.socket')) return 'greeter.service runs without a descriptor from greeter.socket.';
        const reply = await run('curl -s --max-time 3 http://127.0.0.1:8080/');
        return reply.stdout.includes('Hello from greeter') || printed('curl', reply);
      },
    },
    {
      id: 'admin-socket',
      task: `Write greeter-admin.socket: listen on ${ADMIN_PATH}, name the descriptor "admin", start greeter.service; start it.`,
      hint: 'In [Socket]: `ListenStream=/run/greeter/admin.sock`, `FileDescriptorName=admin`, `Service=greeter.service`. Then `systemctl daemon-reload` and `systemctl enable --now greeter-admin.socket`.',
      check: ({ snapshot }) => {
        const socket = findUnit(snapshot.units, 'greeter-admin.socket');
        if (!socket || socket.loadState !== 'loaded') return 'greeter-admin.socket is not loaded without errors yet (daemon-reload after saving).';
        if (!(socket.listen ?? []).some((listen) => listen.address === ADMIN_PATH)) return `systemd has greeter-admin.socket listening on ${(socket.listen ?? []).map((listen) => listen.address).join(', ') || 'nothing'}, not ${ADMIN_PATH}.`;
        if (!socket.triggers.includes('greeter.service')) return `greeter-admin.socket triggers ${socket.triggers.join(', ') || 'nothing'}, not greeter.service.`;
        return socket.activeState === 'active' || `greeter-admin.socket is ${socket.activeState}.`;
      },
    },
    {
      id: 'fd-named-admin',
      task: 'Restart greeter.service so that it receives both sockets, one of them named "admin".',
      hint: 'A running service keeps the descriptors it got when it started: `systemctl restart greeter.service`, then look at LISTEN_FDNAMES in `journalctl -u greeter.service`.',
      check: ({ snapshot }) => {
        const service = findUnit(snapshot.units, 'greeter.service');
        const fds = service?.fds ?? [];
        if (service?.activeState !== 'active') return `greeter.service is ${service?.activeState ?? 'not loaded'}.`;
        return fds.some((fd) => fd.name === 'admin' && fd.socket === 'greeter-admin.socket') || `greeter.service got: ${fds.map((fd) => `fd ${fd.fd} "${fd.name}"`).join(', ') || 'no descriptors'}.`;
      },
    },
    {
      id: 'admin-answers',
      task: `Serve the admin page on the descriptor named "admin", and read it with curl --unix-socket ${ADMIN_PATH}.`,
      hint: 'Find the entry of listenFds() whose name is "admin" and call `admin.listen({ fd: thatEntry.fd })`; serve `web` on the one named "greeter.socket" the same way. Restart greeter.service after saving.',
      check: async ({ run }) => {
        const served = await pathServedBySystemd(run, ADMIN_PATH, 'greeter-admin.socket');
        if (served !== true) return served;
        const reply = await run(`curl -s --max-time 3 --unix-socket ${ADMIN_PATH} http://localhost/`);
        return reply.stdout.includes('greeter admin:') || printed('curl', reply);
      },
    },
  ],
  solutionSteps: [
    'systemctl daemon-reload',
    'systemctl enable --now greeter-admin.socket',
    'systemctl restart greeter.service',
    'curl -s http://127.0.0.1:8080/',
    'curl -s --unix-socket /run/greeter/admin.sock http://localhost/',
  ],
});

/**
 * Lab of the lesson "D-Bus" (/lessons/dbus/): put the system bus behind dbus.socket the way Debian 12
 * does, make the daemon take its socket with --address=systemd: (with unix:path= it replaces the
 * socket file with its own, as dbus-daemon 1.14 does, and dbus.socket listens on an orphaned inode),
 * make systemd wait for its READY=1 (Type=notify), and connect a client before the daemon runs.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import { findUnit, heldBySystemd, listeners, pathServedBySystemd } from '../../src/lab/definition/check-helpers.ts';

const SOCKET = '/etc/systemd/system/dbus.socket';
const SERVICE = '/etc/systemd/system/dbus.service';
/** What the stand-in daemon logs for a client that was in the backlog when it started accepting. */
const WAITED = 'connected before the bus was ready';
const BUS = '/run/dbus/system_bus_socket';

export default defineLab({
  id: 'dbus-bus',
  title: 'A system bus that clients can reach before it runs',
  lesson: 'dbus',
  intro:
    'This machine has a dbus-daemon (a small stand-in that speaks the first line of the D-Bus handshake) and two unfinished units; as on any Debian 12, dbus.service already runs from boot (multi-user.target wants it). Give the bus its socket, hand the socket to the daemon, and let a client talk to the bus before the daemon has started.',
  hostname: 'bus',
  editable: [SOCKET, SERVICE],
  openFile: SOCKET,
  goals: [
    {
      id: 'bus-socket-listens',
      task: `Make dbus.socket listen on ${BUS} and start it.`,
      hint: `Add \`ListenStream=${BUS}\` to [Socket], run \`systemctl daemon-reload\`, then \`systemctl stop dbus.service\` and \`systemctl start dbus.socket\` (dbus.socket has no [Install] section, so there is nothing to enable). While the daemon that started at boot runs, systemd refuses the socket: "Socket service dbus.service already active, refusing."`,
      check: async ({ run, snapshot }) => {
        const socket = findUnit(snapshot.units, 'dbus.socket');
        if (!socket || socket.loadState !== 'loaded') return `dbus.socket is ${socket?.loadState ?? 'not loaded'}.`;
        const paths = (socket.listen ?? []).map((listen) => listen.address);
        if (!paths.includes(BUS)) return `systemd has dbus.socket listening on: ${paths.join(', ') || 'nothing'} (daemon-reload after saving).`;
        if (socket.activeState !== 'active') return `dbus.socket is ${socket.activeState}; start it.`;
        return (await listeners(run, 'unix')).some((listener) => listener.local === BUS && heldBySystemd(listener)) || `systemd does not hold a socket at ${BUS} (ss -xlp): restart dbus.socket.`;
      },
    },
    {
      id: 'daemon-takes-socket',
      task: 'Make dbus-daemon serve the socket systemd passes, so that the bus path stays dbus.socket\'s.',
      hint: 'With `--address=unix:path=…` dbus-daemon unlinks the path and binds its own socket: no error, but `ss -xlp` shows two sockets at the path and `ls -i` a new inode, while dbus.socket still says listening. Use `--address=systemd:` (what Debian ships), `systemctl daemon-reload`, then `systemctl stop dbus.service dbus.socket` and `systemctl start dbus.socket`: systemd removes the stale file and binds the path again.',
      check: async ({ run, snapshot }) => {
        const served = await pathServedBySystemd(run, BUS, 'dbus.socket');
        if (served !== true) return served;
        const service = findUnit(snapshot.units, 'dbus.service');
        if (service?.activeState !== 'active') return `dbus.service is ${service?.activeState ?? 'not loaded'}; connect a client to start it.`;
        return (service.fds ?? []).some((fd) => fd.fd === 3 && fd.socket === 'dbus.socket') || 'dbus.service runs without fd 3 from dbus.socket: did you run systemctl daemon-reload?';
      },
    },
    {
      id: 'type-notify',
      task: 'Make systemd count the bus as started only when the daemon reports READY=1.',
      hint: 'Set `Type=notify` in [Service] (Debian adds `NotifyAccess=main`), then `systemctl daemon-reload` and `systemctl restart dbus.service`.',
      check: async ({ run, snapshot }) => {
        const show = await run('systemctl show -p Type dbus.service');
        if (!/^Type=notify$/m.test(show.stdout)) return `systemctl show says ${show.stdout.trim() || 'nothing'}.`;
        const service = findUnit(snapshot.units, 'dbus.service');
        return (service?.activeState === 'active' && service.subState === 'running') || `dbus.service is ${service?.activeState ?? 'not loaded'} (${service?.subState ?? '-'}).`;
      },
    },
    {
      id: 'client-answered',
      task: 'With dbus.service stopped, connect a client to the bus socket: it waits, starts the daemon, and gets the bus\'s "OK".',
      hint: `\`systemctl stop dbus.service\` (the warning says dbus.socket can still activate it), then \`echo "AUTH EXTERNAL 30" | nc -N -U ${BUS}\`. The bus answers \`OK …\`; \`journalctl -u dbus.service\` shows the daemon starting for the waiting client.`,
      check: async ({ run, snapshot }) => {
        const served = await pathServedBySystemd(run, BUS, 'dbus.socket');
        if (served !== true) return served;
        const waited = snapshot.journal.some((entry) => entry.unit === 'dbus.service' && entry.message.includes(WAITED));
        if (!waited) return 'No client has connected while dbus.service was stopped yet.';
        return snapshot.journal.some((entry) => entry.unit === 'dbus.service' && entry.message.includes('Authenticated a client')) || 'The bus has not authenticated any client yet.';
      },
    },
  ],
  solutionSteps: [
    'systemctl daemon-reload',
    // Debian starts dbus.service at boot; systemd refuses to start a socket whose service already runs.
    'systemctl stop dbus.service',
    'systemctl start dbus.socket',
    'echo "AUTH EXTERNAL 30" | nc -N -U /run/dbus/system_bus_socket',
  ],
});

/**
 * Lab of lesson 6 "D-Bus": put the system bus behind dbus.socket the way Debian 12 does, make the
 * daemon take its socket with --address=systemd:, make systemd wait for its READY=1 (Type=notify),
 * and connect a client before the daemon runs.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import { findUnit } from '../../src/lab/definition/check-helpers.ts';

const SOCKET = '/etc/systemd/system/dbus.socket';
const SERVICE = '/etc/systemd/system/dbus.service';
const BUS = '/run/dbus/system_bus_socket';

export default defineLab({
  id: 'dbus-bus',
  title: 'A system bus that clients can reach before it runs',
  lesson: 'dbus',
  intro:
    'This machine has a dbus-daemon (a small stand-in that speaks the first line of the D-Bus handshake) and two unfinished units. Give the bus its socket, hand the socket to the daemon, and let a client talk to the bus before the daemon has started.',
  hostname: 'bus',
  editable: [SOCKET, SERVICE],
  openFile: SOCKET,
  goals: [
    {
      id: 'bus-socket-listens',
      task: `Make dbus.socket listen on ${BUS} and start it.`,
      hint: `Add \`ListenStream=${BUS}\` to [Socket], run \`systemctl daemon-reload\`, then \`systemctl start dbus.socket\` (dbus.socket has no [Install] section, so there is nothing to enable).`,
      check: ({ snapshot }) => {
        const socket = findUnit(snapshot.units, 'dbus.socket');
        if (!socket || socket.loadState !== 'loaded') return `dbus.socket is ${socket?.loadState ?? 'not loaded'}.`;
        const paths = (socket.listen ?? []).map((listen) => listen.address);
        if (!paths.includes(BUS)) return `dbus.socket listens on: ${paths.join(', ') || 'nothing'}.`;
        return socket.activeState === 'active' || `dbus.socket is ${socket.activeState}; start it.`;
      },
    },
    {
      id: 'daemon-takes-socket',
      task: 'Make dbus-daemon use the socket systemd passes instead of binding the path itself.',
      hint: 'In ExecStart=, replace `--address=unix:path=…` by `--address=systemd:` (what Debian ships). Binding the path again fails: systemd already holds it. `journalctl -u dbus.service` shows the error.',
      check: async ({ readFile, snapshot }) => {
        const text = (await readFile(SERVICE)) ?? '';
        if (!/^ExecStart=.*--address=systemd:(\s|$)/m.test(text)) return 'ExecStart= does not pass --address=systemd: yet.';
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
      task: 'Connect a client to the bus socket and get the bus\'s "OK" to its AUTH line.',
      hint: `Run \`echo "AUTH EXTERNAL 30" | nc -N -U ${BUS}\`. The bus answers \`OK …\`; its journal (\`journalctl -u dbus.service\`) records the client.`,
      check: ({ snapshot }) =>
        snapshot.journal.some((entry) => entry.unit === 'dbus.service' && entry.message.includes('Authenticated a client')) ||
        'The bus has not authenticated any client yet.',
    },
  ],
  solutionSteps: [
    'systemctl daemon-reload',
    'systemctl start dbus.socket',
    'echo "AUTH EXTERNAL 30" | nc -N -U /run/dbus/system_bus_socket',
  ],
});

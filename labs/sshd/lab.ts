/**
 * Lab of the lesson "sshd" (/lessons/sshd/): Debian 12's own ssh.socket and ssh.service (verbatim from openssh-server
 * 1:9.2p1-2+deb12u10, with a stand-in sshd): move port 22 from the daemon to the socket, then build the
 * classic inetd-style pair (Accept=yes + sshd@.service with `sshd -i`) next to it on port 2222.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import { connectForCheck, findUnit, heldBySystemd, learnerInstances, listeners, portOf, printed, showUnit } from '../../src/lab/definition/check-helpers.ts';

const CLASSIC_SOCKET = '/etc/systemd/system/sshd.socket';
const CLASSIC_TEMPLATE = '/etc/systemd/system/sshd@.service';
/** systemd 252's instance names for connections to port 2222 over IPv4. */
const INSTANCE = /^sshd@\d+-127\.0\.0\.1:2222-127\.0\.0\.1:\d+\.service$/;

export default defineLab({
  id: 'sshd',
  title: 'sshd, two ways',
  lesson: 'sshd',
  intro:
    'This machine runs Debian 12\'s ssh.service, which binds port 22 itself. Hand port 22 to ssh.socket, then add the classic one-sshd-per-connection pair on port 2222.',
  editable: [CLASSIC_SOCKET, CLASSIC_TEMPLATE],
  openFile: CLASSIC_SOCKET,
  hostname: 'debian',
  goals: [
    {
      id: 'socket-owns-port-22',
      task: 'Let ssh.socket own port 22: ssh.service no longer enabled, ssh.socket enabled and listening.',
      hint: 'systemd refuses to start ssh.socket while ssh.service runs ("Socket service ssh.service already active, refusing."): `systemctl disable --now ssh.service`, then `systemctl enable --now ssh.socket`.',
      check: async ({ run, snapshot }) => {
        const service = findUnit(snapshot.units, 'ssh.service');
        const socket = findUnit(snapshot.units, 'ssh.socket');
        if (service?.unitFileState === 'enabled') return 'ssh.service is still enabled: it would start at boot and take port 22 again.';
        if (socket?.unitFileState !== 'enabled') return 'ssh.socket is not enabled.';
        if (socket.activeState !== 'active') return `ssh.socket is ${socket.activeState}; see journalctl -u ssh.socket.`;
        const onPort = (await listeners(run, 'tcp')).filter((listener) => portOf(listener.local) === 22);
        return onPort.some(heldBySystemd) || 'systemd does not listen on port 22 (ss -ltnp).';
      },
    },
    {
      id: 'ssh-on-demand',
      task: 'Connect to port 22 and let the connection start ssh.service with the socket as fd 3.',
      hint: 'Run `echo hello | nc -N 127.0.0.1 22`: sshd answers with its version banner. Then `systemctl status ssh.service` shows "TriggeredBy: ● ssh.socket".',
      check: ({ snapshot }) => {
        const service = findUnit(snapshot.units, 'ssh.service');
        if (service?.activeState !== 'active') return `ssh.service is ${service?.activeState ?? 'not loaded'}.`;
        const handed = (service.fds ?? []).some((fd) => fd.fd === 3 && fd.socket === 'ssh.socket');
        return handed || 'ssh.service runs, but it bound port 22 itself: stop it and let ssh.socket start it.';
      },
    },
    {
      id: 'classic-pair',
      task: 'Write the classic pair: sshd.socket (port 2222, Accept=yes) and sshd@.service running `sshd -i` on the connection; start the socket and get the SSH banner on port 2222.',
      hint: 'sshd.socket: `ListenStream=2222` and `Accept=yes`. sshd@.service: `ExecStart=-/usr/sbin/sshd -i` and `StandardInput=socket`. Then `systemctl daemon-reload` and `systemctl enable --now sshd.socket`.',
      check: async ({ run, snapshot }) => {
        const verify = await run(`systemd-analyze verify ${CLASSIC_SOCKET}`);
        if (verify.exitCode !== 0) return (verify.stdout + verify.stderr).trim().split('\n')[0] || 'systemd-analyze verify failed.';
        const socket = findUnit(snapshot.units, 'sshd.socket');
        if (socket?.activeState !== 'active') return `sshd.socket is ${socket?.activeState ?? 'not loaded'}.`;
        const onPort = (await listeners(run, 'tcp')).filter((listener) => portOf(listener.local) === 2222);
        if (!onPort.some(heldBySystemd)) return 'systemd does not listen on port 2222 (ss -ltnp): start sshd.socket, or restart it after daemon-reload.';
        if ((await showUnit(run, 'sshd.socket', ['Accept'])).Accept[0] !== 'yes') return 'sshd.socket does not accept connections itself (Accept=yes).';
        // sshd -i talks SSH on stdin and stdout: without StandardInput=socket the client gets nothing.
        const banner = await connectForCheck(run, 'sshd.socket', 'echo SSH-2.0-check | nc -N -w 3 127.0.0.1 2222');
        return banner.stdout.startsWith('SSH-2.0-OpenSSH_9.2p1') || `${printed('nc', banner)} (no SSH banner: is the connection sshd's stdin and stdout?)`;
      },
    },
    {
      id: 'sshd-per-connection',
      task: 'Connect to port 2222 twice and find one sshd@….service instance per connection.',
      hint: 'Run `echo hello | nc -N 127.0.0.1 2222` twice; `journalctl -n 10` shows "Started sshd@N-127.0.0.1:2222-127.0.0.1:PORT.service - OpenSSH per-connection server daemon (127.0.0.1:PORT)." for each.',
      check: async (context) => {
        const instances = await learnerInstances(context, 'sshd.socket', INSTANCE);
        return instances.length >= 2 || `${instances.length} sshd@ instance(s) from your connections to port 2222 so far.`;
      },
    },
  ],
  solutionSteps: [
    'systemctl daemon-reload',
    'systemctl disable --now ssh.service',
    'systemctl enable --now ssh.socket',
    'echo hello | nc -N 127.0.0.1 22',
    'systemctl enable --now sshd.socket',
    'echo hello | nc -N 127.0.0.1 2222',
    'echo hello | nc -N 127.0.0.1 2222',
  ],
});

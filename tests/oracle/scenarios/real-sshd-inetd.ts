import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'real-sshd-inetd',
  about: 'The inetd pair: sshd.socket (Accept=yes) and sshd@.service running `sshd -i` with StandardInput=socket',
  files: {
    '/etc/systemd/system/sshd.socket': '[Unit]\nDescription=OpenBSD Secure Shell server socket\n\n[Socket]\nListenStream=2222\nAccept=yes\n',
    '/etc/systemd/system/sshd@.service': '[Unit]\nDescription=OpenBSD Secure Shell server per-connection daemon\n\n[Service]\nExecStart=-/usr/sbin/sshd -i\nStandardInput=socket\n',
  },
  kernels: ['node'],
  steps: [
    'systemctl start sshd.socket',
    'echo hello | nc -N 127.0.0.1 2222',
    'echo hello | nc -N 127.0.0.1 2222',
    { sleep: 500 },
    'systemctl show -p NAccepted,NConnections,ActiveState,SubState sshd.socket',
    'systemctl list-units --all --no-legend "sshd@*"',
    'journalctl -u "sshd@*" --no-pager -o cat',
  ],
});

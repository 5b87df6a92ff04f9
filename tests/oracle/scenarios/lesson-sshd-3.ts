import { defineScenario } from '../scenario.ts';

const SOCKET = '[Unit]\nDescription=OpenSSH per-connection server socket (classic style)\n\n[Socket]\nListenStream=2222\nAccept=yes\n\n[Install]\nWantedBy=sockets.target\n';

export default defineScenario({
  id: 'lesson-sshd-3',
  about: 'sshd: the classic pair, one sshd -i per connection on port 2222 (the real sshd)',
  files: {
    '/etc/systemd/system/sshd.socket': SOCKET,
    '/etc/systemd/system/sshd@.service': '[Unit]\nDescription=OpenSSH per-connection server daemon\n\n[Service]\nExecStart=-/usr/sbin/sshd -i\nStandardInput=socket\n',
  },
  steps: [
    'systemctl enable --now sshd.socket',
    'echo hello | nc -N -w 3 127.0.0.1 2222',
    'echo hello | nc -N -w 3 127.0.0.1 2222',
    { sleep: 500 },
    'journalctl -u "sshd@*" --no-pager',
    'systemctl show -p NAccepted -p NConnections sshd.socket',
  ],
  kernels: [],
});

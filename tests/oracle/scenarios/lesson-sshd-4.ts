import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-sshd-4',
  about: 'sshd: sshd -i without StandardInput=socket: the client gets no banner',
  files: {
    '/etc/systemd/system/sshd.socket': '[Socket]\nListenStream=2222\nAccept=yes\n',
    '/etc/systemd/system/sshd@.service': '[Unit]\nDescription=OpenSSH per-connection server daemon\n\n[Service]\nExecStart=-/usr/sbin/sshd -i\n',
  },
  steps: [
    'systemctl start sshd.socket',
    'echo hello | nc -N -w 3 127.0.0.1 2222',
    { sleep: 500 },
    'journalctl -u "sshd@*" --no-pager',
  ],
  kernels: [],
});

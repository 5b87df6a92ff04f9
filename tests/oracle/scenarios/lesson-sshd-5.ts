import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-sshd-5',
  about: "sshd: README.Debian's drop-in for another port, with daemon-reload only, then with a restart of ssh.socket",
  steps: [
    { waitFor: 'systemctl is-active ssh.service', equals: 'active' },
    'systemctl disable --now ssh.service',
    'systemctl enable --now ssh.socket',
    { write: '/etc/systemd/system/ssh.socket.d/listen.conf', content: '[Socket]\nListenStream=2222\n' },
    'systemctl daemon-reload',
    'systemctl show -p Listen ssh.socket',
    'ss -tlnp',
    'systemctl restart ssh.socket',
    'ss -tlnp',
  ],
  kernels: [],
});

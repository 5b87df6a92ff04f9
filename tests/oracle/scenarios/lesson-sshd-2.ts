import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-sshd-2',
  about: 'sshd: disable --now ssh.service (its sshd.service alias goes too), enable --now ssh.socket, connect',
  steps: [
    { waitFor: 'systemctl is-active ssh.service', equals: 'active' },
    'systemctl disable --now ssh.service',
    'systemctl enable --now ssh.socket',
    'echo hello | nc -N -w 3 127.0.0.1 22',
    { sleep: 300 },
    'ss -tlnp',
    'systemctl is-enabled ssh.service ssh.socket',
  ],
  kernels: [],
});

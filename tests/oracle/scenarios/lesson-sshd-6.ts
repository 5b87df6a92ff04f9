import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-sshd-6',
  about: 'sshd: restarting ssh.socket while the ssh.service it started runs fails; stop the service first',
  steps: [
    { waitFor: 'systemctl is-active ssh.service', equals: 'active' },
    'systemctl disable --now ssh.service',
    'systemctl enable --now ssh.socket',
    'echo hello | nc -N -w 3 127.0.0.1 22',
    { sleep: 300 },
    'systemctl restart ssh.socket',
    'journalctl -u ssh.socket --no-pager -n 4 -o cat',
    'systemctl is-active ssh.socket ssh.service',
    'systemctl stop ssh.service',
    'systemctl restart ssh.socket',
    'systemctl is-active ssh.socket ssh.service',
  ],
  kernels: [],
});

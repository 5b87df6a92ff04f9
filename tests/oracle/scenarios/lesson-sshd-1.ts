import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-sshd-1',
  about: 'sshd: Debian 12 as installed (ssh.service running); ssh.socket cannot take port 22 from it',
  steps: [
    { waitFor: 'systemctl is-active ssh.service', equals: 'active' },
    'systemctl enable --now ssh.socket',
    'journalctl -u ssh.socket --no-pager',
  ],
  kernels: [],
});

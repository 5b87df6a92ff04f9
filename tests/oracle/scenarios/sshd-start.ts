import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'sshd-start',
  about: 'The sshd lab as it boots: ssh.service runs, ssh.socket is disabled',
  lab: 'sshd',
  steps: [
    { sleep: 500 },
    'systemctl status ssh.service',
    'systemctl status ssh.socket sshd.socket',
    'systemctl is-enabled ssh.service ssh.socket sshd.socket sshd.service',
    "systemctl list-unit-files 'ssh*'",
  ],
});

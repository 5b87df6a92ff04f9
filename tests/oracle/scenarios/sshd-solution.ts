import lab from '../../../labs/sshd/lab.ts';
import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'sshd-solution',
  about: 'The sshd lab: ssh.service replaced by ssh.socket, then the per-connection sshd.socket',
  lab: 'sshd',
  steps: [
    { sleep: 1000 },
    ...labSolutionWrites('sshd'),
    ...(lab.solutionSteps ?? []),
    { sleep: 500 },
    'systemctl status ssh.socket ssh.service',
    'systemctl status sshd.socket',
    'systemctl list-units --all "ssh*"',
    'journalctl -u ssh.socket -u ssh.service -u sshd.socket --no-pager -o cat',
  ],
});

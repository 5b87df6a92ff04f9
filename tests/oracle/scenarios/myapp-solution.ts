import lab from '../../../labs/myapp/lab.ts';
import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'myapp-solution',
  about: 'The myapp lab: its solution files, then its solutionSteps, then status of both units and the journal',
  lab: 'myapp',
  steps: [
    'systemctl status myapp.socket',
    { sleep: 1000 },
    ...labSolutionWrites('myapp'),
    ...(lab.solutionSteps ?? []),
    { sleep: 500 },
    'systemctl status myapp.socket',
    'systemctl status myapp.service',
    'journalctl -u myapp.socket -u myapp.service --no-pager',
    'systemctl list-sockets',
  ],
});

import lab from '../../../labs/cups-on-demand/lab.ts';
import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'cups-on-demand-solution',
  about: 'The cups lab: cups.socket and cups.path, a print job, then the state',
  lab: 'cups-on-demand',
  steps: [
    { sleep: 1000 },
    ...labSolutionWrites('cups-on-demand'),
    ...(lab.solutionSteps ?? []),
    { sleep: 500 },
    'systemctl status cups.socket cups.path cups.service',
    'ls -l /run/cups',
    'journalctl -u cups.socket -u cups.path -u cups.service --no-pager -o cat',
  ],
});

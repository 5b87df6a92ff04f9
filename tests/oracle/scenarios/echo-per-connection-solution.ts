import lab from '../../../labs/echo-per-connection/lab.ts';
import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'echo-per-connection-solution',
  about: 'The echo lab: Accept=yes, two connections, the instances they started',
  lab: 'echo-per-connection',
  steps: [
    { sleep: 1000 },
    ...labSolutionWrites('echo-per-connection'),
    ...(lab.solutionSteps ?? []),
    { sleep: 500 },
    'systemctl status echo.socket',
    'systemctl list-units --all "echo*"',
    'journalctl -u echo.socket --no-pager -o cat',
  ],
});

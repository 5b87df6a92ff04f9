import lab from '../../../labs/app-db/lab.ts';
import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'app-db-solution',
  about: 'The app-db lab: its solution files and solutionSteps (start limit of report.service, reset-failed), then the state',
  lab: 'app-db',
  steps: [
    { sleep: 1000 },
    ...labSolutionWrites('app-db'),
    ...(lab.solutionSteps ?? []),
    { sleep: 500 },
    'systemctl status app.service db.service',
    'systemctl status -n 0 report.socket report.service',
    'journalctl -u report.service -u report.socket --no-pager -o cat',
    'systemctl list-units --all "app*" "db*" "report*"',
  ],
});

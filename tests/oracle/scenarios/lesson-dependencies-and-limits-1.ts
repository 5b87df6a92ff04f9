import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-dependencies-and-limits-1',
  about: 'dependencies-and-limits: the app reaches the database through its socket without any ordering',
  lab: 'app-db',
  steps: [
    ...labSolutionWrites('app-db'),
    'systemctl daemon-reload',
    'systemctl start db.socket app.socket',
    'curl -s http://localhost:8080/',
    'journalctl -u app.service -u db.service --no-pager',
  ],
});

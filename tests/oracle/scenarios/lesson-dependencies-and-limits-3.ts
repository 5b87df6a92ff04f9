import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-dependencies-and-limits-3',
  about: 'dependencies-and-limits: the same broken service restarted by hand hits the service start limit only',
  lab: 'app-db',
  steps: [
    'systemctl restart report.service',
    'systemctl restart report.service',
    'systemctl restart report.service',
    'systemctl restart report.service',
    'systemctl restart report.service',
    'systemctl restart report.service',
    'systemctl show -p Result -p NRestarts report.service',
  ],
});

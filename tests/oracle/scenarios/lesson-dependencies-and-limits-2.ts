import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-dependencies-and-limits-2',
  about: 'dependencies-and-limits: a service that exits before accepting, started by its socket, until the start limit',
  lab: 'app-db',
  steps: [
    'systemctl start report.socket',
    'curl -s --max-time 3 http://127.0.0.1:9090/',
    { sleep: 1000 },
    'journalctl -u report.service -u report.socket --no-pager',
    'systemctl status report.socket',
    'systemctl reset-failed report.socket report.service',
    'systemctl is-failed report.socket',
  ],
});

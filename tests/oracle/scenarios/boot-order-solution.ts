import lab from '../../../labs/boot-order/lab.ts';
import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'boot-order-solution',
  about: 'The boot-order lab: db.socket instead of the ordering, solutionSteps, then the state',
  lab: 'boot-order',
  steps: [
    { sleep: 1000 },
    ...labSolutionWrites('boot-order'),
    ...(lab.solutionSteps ?? []),
    { sleep: 500 },
    'systemctl status db.socket web.service',
    'systemctl is-enabled db.socket db.service web.service',
    'journalctl -u db.service -u db.socket -u web.service --no-pager -o cat',
  ],
});

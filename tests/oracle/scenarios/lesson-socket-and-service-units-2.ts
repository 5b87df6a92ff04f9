import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-socket-and-service-units-2',
  about: 'socket-and-service-units: enable --now the socket; enabling the service, which has no [Install], changes nothing',
  lab: 'myapp',
  steps: [
    ...labSolutionWrites('myapp'),
    'systemctl daemon-reload',
    'systemctl enable --now myapp.socket',
    'systemctl enable myapp.service',
    'systemctl is-enabled myapp.service',
  ],
});

import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-socket-and-service-units-4',
  about: 'socket-and-service-units: the first connection starts myapp.service with the socket as fd 3',
  lab: 'myapp',
  steps: [
    ...labSolutionWrites('myapp'),
    'systemctl daemon-reload',
    'systemctl enable --now myapp.socket',
    'curl -s http://localhost:8080/',
    { sleep: 300 },
    'systemctl status myapp.service',
    'ss -tlnp',
  ],
});

import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-socket-and-service-units-3',
  about: 'socket-and-service-units: before the first connection: the service is inactive, systemd holds port 8080',
  lab: 'myapp',
  steps: [
    ...labSolutionWrites('myapp'),
    'systemctl daemon-reload',
    'systemctl enable --now myapp.socket',
    'systemctl status myapp.service',
    'ss -tlnp',
    'systemctl list-sockets',
  ],
});

import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

// The transcript of "Socket and service units" (content/lessons/socket-and-service-units.mdx): enable the socket,
// then try to enable the service.
export default defineScenario({
  id: 'lesson-myapp-enable',
  about: 'The myapp lesson: enable --now the socket, then enable the service, which has no [Install] section',
  lab: 'myapp',
  steps: [
    ...labSolutionWrites('myapp'),
    'systemctl daemon-reload',
    'systemctl enable --now myapp.socket',
    'systemctl enable myapp.service',
  ],
});

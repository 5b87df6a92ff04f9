import { defineScenario } from '../scenario.ts';
import { xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'enable-service-not-socket',
  about: 'Enables x.service (no [Install] section) instead of x.socket, then does it right',
  files: xFiles(8080),
  steps: [
    'systemctl enable x.service',
    'systemctl is-enabled x.service',
    'systemctl enable --now x.socket',
    'systemctl is-enabled x.socket x.service',
    'systemctl list-unit-files "x.*"',
    'systemctl disable x.socket',
    'systemctl is-enabled x.socket',
  ],
});

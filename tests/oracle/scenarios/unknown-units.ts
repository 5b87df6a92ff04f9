import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'unknown-units',
  about: 'Commands on units that do not exist: status, start, stop, cat, show, enable; a name without a suffix',
  steps: [
    'systemctl status nosuch.service',
    'systemctl status nosuch',
    'systemctl start nosuch.socket',
    'systemctl stop nosuch.service',
    'systemctl cat nosuch.service',
    'systemctl show -p LoadState -p ActiveState nosuch.service',
    'systemctl enable nosuch.socket',
    'systemctl restart nosuch.service',
  ],
});

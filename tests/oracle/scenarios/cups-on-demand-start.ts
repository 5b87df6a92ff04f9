import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'cups-on-demand-start',
  about: 'The cups lab as it boots: cups.socket and cups.path have nothing to watch',
  lab: 'cups-on-demand',
  steps: [
    { sleep: 500 },
    'systemctl status cups.socket cups.path cups.service',
    'systemctl is-enabled cups.socket cups.path cups.service',
    'journalctl -u cups.socket -u cups.path --no-pager -o cat',
  ],
});

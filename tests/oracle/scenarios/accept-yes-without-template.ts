import { defineScenario } from '../scenario.ts';
import { xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'accept-yes-without-template',
  about: 'Accept=yes on a socket that only has a plain x.service (no x@.service template)',
  files: xFiles(8080, 'Accept=yes\n'),
  steps: [
    'systemctl start x.socket',
    'systemctl status x.socket',
    'journalctl -u x.socket --no-pager -o cat',
  ],
});

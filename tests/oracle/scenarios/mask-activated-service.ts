import { defineScenario } from '../scenario.ts';
import { connect, xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'mask-activated-service',
  about: 'Masks the service behind a listening socket, connects, unmasks',
  files: xFiles(8080),
  steps: [
    'systemctl start x.socket',
    'systemctl mask x.service',
    'systemctl status x.service',
    { run: connect(8080), timeout: 3000 },
    { sleep: 500 },
    'systemctl status x.socket',
    'journalctl -u x.socket --no-pager -o cat',
    'systemctl unmask x.service',
    'systemctl is-enabled x.service',
  ],
});

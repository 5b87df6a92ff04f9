import { defineScenario } from '../scenario.ts';
import { xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'empty-and-renamed-units',
  about: 'A unit whose Description changes (status before and after daemon-reload), and a unit file that is empty',
  files: { ...xFiles(8080), '/etc/systemd/system/empty.service': '' },
  steps: [
    'systemctl start x.socket',
    { write: '/etc/systemd/system/x.socket', content: '[Unit]\nDescription=the x socket\n\n[Socket]\nListenStream=127.0.0.1:8080\n' },
    'systemctl status x.socket',
    'systemctl daemon-reload',
    'systemctl status x.socket',
    'systemctl start empty.service',
    'systemctl status empty.service',
  ],
});

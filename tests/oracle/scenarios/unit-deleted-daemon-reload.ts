import { defineScenario } from '../scenario.ts';
import { xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'unit-deleted-daemon-reload',
  about: 'A stopped unit whose file is deleted: before and after daemon-reload; then a unit file that is empty',
  files: { ...xFiles(8080), '/etc/systemd/system/empty.service': '' },
  steps: [
    'systemctl start x.socket',
    'systemctl stop x.socket',
    'rm /etc/systemd/system/x.socket',
    'systemctl status x.socket',
    'systemctl daemon-reload',
    'systemctl status x.socket',
    'systemctl start empty.service',
    'systemctl status empty.service',
  ],
});

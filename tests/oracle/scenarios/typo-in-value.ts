import { defineScenario } from '../scenario.ts';
import { xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'typo-in-value',
  about: 'Bad values: Accept=maybe, a port out of range, Backlog=lots; which are ignored with a warning and which refuse the unit',
  files: {
    ...xFiles(8080, 'Accept=maybe\nBacklog=lots\n'),
    '/etc/systemd/system/y.socket': '[Socket]\nListenStream=127.0.0.1:80800\n',
    '/etc/systemd/system/y.service': '[Service]\nExecStart=/opt/x/x\n',
  },
  steps: [
    'systemctl start x.socket',
    'systemctl show -p Accept -p Backlog x.socket',
    'journalctl -u x.socket --no-pager -o cat',
    'systemctl start y.socket',
    'systemctl status y.socket',
    'journalctl -u y.socket --no-pager -o cat',
  ],
});

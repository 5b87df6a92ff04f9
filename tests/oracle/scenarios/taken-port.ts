import { defineScenario } from '../scenario.ts';
import { X_PROGRAM, xService, xSocket } from '../scenario-kit.ts';

export default defineScenario({
  id: 'taken-port',
  about: 'Two sockets on one port: the second fails with Address already in use',
  files: {
    '/etc/systemd/system/x.socket': xSocket(8080),
    '/etc/systemd/system/x.service': xService(),
    '/etc/systemd/system/y.socket': '[Unit]\nDescription=y socket\n\n[Socket]\nListenStream=127.0.0.1:8080\nService=x.service\n',
    '/opt/x/x': X_PROGRAM,
  },
  steps: [
    'systemctl start x.socket',
    'systemctl start y.socket',
    'systemctl status y.socket',
    'systemctl is-failed y.socket',
    'journalctl -u y.socket --no-pager -o cat',
    'systemctl stop x.socket',
    'systemctl start y.socket',
    'systemctl is-active y.socket',
  ],
});

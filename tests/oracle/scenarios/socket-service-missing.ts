import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'socket-service-missing',
  about: 'A socket whose service does not exist (no x.service, and Service= naming a missing unit)',
  files: {
    '/etc/systemd/system/x.socket': '[Unit]\nDescription=x socket\n\n[Socket]\nListenStream=127.0.0.1:8080\n',
    '/etc/systemd/system/w.socket': '[Unit]\nDescription=w socket\n\n[Socket]\nListenStream=127.0.0.1:8081\nService=nothing.service\n',
  },
  steps: [
    'systemctl start x.socket',
    'systemctl status x.socket',
    'systemctl start w.socket',
    'systemctl status w.socket',
    'journalctl -u x.socket -u w.socket --no-pager -o cat',
  ],
});

import { defineScenario } from '../scenario.ts';
import { HELLO_WEB, WEB_SOCKET, webService } from '../lesson-files/security.ts';

export default defineScenario({
  id: 'lesson-security-2',
  about: 'systemd binds port 80 and hands it to hello-web running as www-data',
  files: {
    '/etc/systemd/system/web.socket': WEB_SOCKET,
    '/etc/systemd/system/web.service': webService('User=www-data\n'),
    '/usr/local/bin/hello-web': { content: HELLO_WEB, mode: 0o755 },
  },
  kernels: ['memory'],
  steps: [
    'systemctl start web.socket',
    'curl -s http://localhost/',
    'systemctl show -p User,Group,MainPID web.service',
    'ss -ltnp',
    'journalctl -u web.service -o cat',
  ],
});

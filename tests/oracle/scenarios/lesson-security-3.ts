import { defineScenario } from '../scenario.ts';
import { HELLO_WEB, WEB_SOCKET, webService } from '../lesson-files/security.ts';

export default defineScenario({
  id: 'lesson-security-3',
  about: 'DynamicUser=yes: hello-web answers as a user made up for the service',
  files: {
    '/etc/systemd/system/web.socket': WEB_SOCKET,
    '/etc/systemd/system/web.service': webService('DynamicUser=yes\n'),
    '/usr/local/bin/hello-web': { content: HELLO_WEB, mode: 0o755 },
  },
  kernels: ['memory'],
  steps: [
    'systemctl start web.socket',
    'curl -s http://localhost/',
    'systemctl show -p User,DynamicUser web.service',
    'systemctl stop web.service',
    'systemctl show -p User,DynamicUser web.service',
  ],
});

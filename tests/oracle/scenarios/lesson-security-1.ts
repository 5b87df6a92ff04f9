import { defineScenario } from '../scenario.ts';
import { HELLO_WEB, webService } from '../lesson-files/security.ts';

export default defineScenario({
  id: 'lesson-security-1',
  about: 'An unprivileged service that binds port 80 itself fails with EACCES',
  files: {
    '/etc/systemd/system/web.service': webService('User=www-data\n'),
    '/usr/local/bin/hello-web': { content: HELLO_WEB, mode: 0o755 },
  },
  kernels: ['memory'],
  steps: [
    'systemctl start web.service',
    { waitFor: 'systemctl is-active web.service', equals: 'failed' },
    'systemctl is-active web.service',
    'journalctl -u web.service -o cat',
  ],
});

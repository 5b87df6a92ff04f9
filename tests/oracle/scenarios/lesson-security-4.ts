import { defineScenario } from '../scenario.ts';
import { HELLO_WEB, WEB_SOCKET, webService } from '../lesson-files/security.ts';

export default defineScenario({
  id: 'lesson-security-4',
  about: 'PrivateNetwork=yes: the passed socket still serves, but the service sees only its own loopback',
  files: {
    '/etc/systemd/system/web.socket': WEB_SOCKET,
    '/etc/systemd/system/web.service': webService('DynamicUser=yes\nPrivateNetwork=yes\n'),
    '/etc/systemd/system/probe.service': '[Unit]\nDescription=What a PrivateNetwork= service sees\n\n[Service]\nType=oneshot\nPrivateNetwork=yes\nExecStart=/usr/sbin/ip -brief link\nExecStart=/usr/bin/curl -sS http://127.0.0.1/\n',
    '/usr/local/bin/hello-web': { content: HELLO_WEB, mode: 0o755 },
  },
  kernels: [],
  steps: [
    'systemctl start web.socket',
    'curl -s http://localhost/',
    'systemctl start probe.service',
    'journalctl -u probe.service -o cat',
  ],
});

import { defineScenario } from '../scenario.ts';
import { HELLO_WEB, webService } from '../lesson-files/security.ts';

export default defineScenario({
  id: 'lesson-security-5',
  about: 'IPAddressDeny=any with IPAddressAllow=localhost on the socket: other sources get no answer',
  files: {
    '/etc/systemd/system/web.socket': '[Unit]\nDescription=hello-web socket\n\n[Socket]\nListenStream=80\nIPAddressDeny=any\nIPAddressAllow=localhost\n',
    '/etc/systemd/system/web.service': webService('DynamicUser=yes\n'),
    '/usr/local/bin/hello-web': { content: HELLO_WEB, mode: 0o755 },
  },
  kernels: [],
  steps: [
    'ip address add 192.0.2.10/32 dev lo',
    'systemctl start web.socket',
    'curl -s http://127.0.0.1/',
    'curl -sS --max-time 3 --interface 192.0.2.10 http://192.0.2.10/',
    'systemctl is-active web.service',
    'journalctl -b -o cat | grep -i -e bpf -e firewall',
  ],
});

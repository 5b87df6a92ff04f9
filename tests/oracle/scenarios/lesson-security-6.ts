import { defineScenario } from '../scenario.ts';
import { HELLO_WEB, webService } from '../lesson-files/security.ts';

export default defineScenario({
  id: 'lesson-security-6',
  about: 'SocketUser=/SocketGroup=/SocketMode= on a Unix socket node: who may connect',
  files: {
    '/etc/systemd/system/web.socket': '[Unit]\nDescription=hello-web socket\n\n[Socket]\nListenStream=/run/hello/web.sock\nSocketUser=www-data\nSocketGroup=adm\nSocketMode=0660\n',
    '/etc/systemd/system/web.service': webService('User=www-data\n'),
    '/usr/local/bin/hello-web': { content: HELLO_WEB, mode: 0o755 },
  },
  kernels: [],
  steps: [
    'systemctl start web.socket',
    "stat -c '%A %U %G %n' /run/hello/web.sock",
    'curl -s --unix-socket /run/hello/web.sock http://localhost/',
    'runuser -u nobody -- curl -sS --unix-socket /run/hello/web.sock http://localhost/',
    'systemctl show -p SocketUser,SocketGroup,SocketMode web.socket',
  ],
});

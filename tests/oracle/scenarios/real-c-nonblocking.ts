import { C_BUILD_SERVICE, C_NOTIFY_ACCEPT_LOOP } from '../real-programs-kit.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'real-c-nonblocking',
  about: 'NonBlocking=yes: the same C service gets O_NONBLOCK and its accept() on an empty backlog fails with EAGAIN',
  files: {
    '/etc/systemd/system/c-build.service': C_BUILD_SERVICE,
    '/etc/systemd/system/c.socket': '[Unit]\nDescription=C socket\n\n[Socket]\nListenStream=127.0.0.1:8080\n',
    '/etc/systemd/system/c.service': '[Unit]\nDescription=C service\nRequires=c-build.service\nAfter=c-build.service\n\n[Service]\nType=notify\nNonBlocking=yes\nExecStart=/opt/c/server\n',
    '/opt/c/server.c': C_NOTIFY_ACCEPT_LOOP,
  },
  kernels: ['node'],
  steps: [
    { run: 'systemctl start c-build.service', timeout: 30000 },
    'systemctl start c.socket',
    'echo hi | nc -N 127.0.0.1 8080',
    { waitFor: 'systemctl is-active c.service', equals: 'failed' },
    'systemctl show -p ActiveState,SubState,Result,NonBlocking c.service',
    'journalctl -u c.service --no-pager -o cat',
  ],
});

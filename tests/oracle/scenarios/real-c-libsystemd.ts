import { C_BUILD_SERVICE, C_NOTIFY_ACCEPT_LOOP } from '../real-programs-kit.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'real-c-libsystemd',
  about: 'A C service built with cc -lsystemd: sd_listen_fds, sd_notify READY=1 and STATUS=, a blocking accept loop',
  files: {
    '/etc/systemd/system/c-build.service': C_BUILD_SERVICE,
    '/etc/systemd/system/c.socket': '[Unit]\nDescription=C socket\n\n[Socket]\nListenStream=127.0.0.1:8080\n',
    '/etc/systemd/system/c.service': '[Unit]\nDescription=C service\nRequires=c-build.service\nAfter=c-build.service\n\n[Service]\nType=notify\nExecStart=/opt/c/server\n',
    '/opt/c/server.c': C_NOTIFY_ACCEPT_LOOP,
  },
  kernels: ['node'],
  steps: [
    { run: 'systemctl start c-build.service', timeout: 30000 },
    'systemctl start c.socket',
    'echo hi | nc -N 127.0.0.1 8080',
    { waitFor: 'systemctl is-active c.service', equals: 'active' },
    'echo hi | nc -N 127.0.0.1 8080',
    'echo hi | nc -N 127.0.0.1 8080',
    'systemctl show -p ActiveState,SubState,NRestarts,StatusText,NotifyAccess c.service',
    'systemctl status c.service',
    'journalctl -u c.service -u c.socket --no-pager -o cat',
  ],
});

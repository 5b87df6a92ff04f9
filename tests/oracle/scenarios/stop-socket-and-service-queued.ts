import { defineScenario } from '../scenario.ts';
import { xSocket } from '../scenario-kit.ts';

export default defineScenario({
  id: 'stop-socket-and-service-queued',
  about: 'Stops a socket and its service in one command while a connection waits in the backlog: the queued connection does not start the service again (systemd suppresses it, the stop being scheduled)',
  files: {
    '/etc/systemd/system/x.socket': xSocket(8080),
    '/etc/systemd/system/x.service': '[Unit]\nDescription=x service\n\n[Service]\nExecStart=/opt/x/x\n',
    // Takes the socket but never accepts: the connection that started it stays queued.
    '/opt/x/x': { mode: 0o755, content: '#!/usr/bin/env node\nconsole.log("x: up, not accepting");\nsetInterval(() => {}, 1000);\n' },
  },
  steps: [
    'systemctl start x.socket',
    'nc -z 127.0.0.1 8080',
    { waitFor: 'systemctl is-active x.service', equals: 'active', timeout: 5000 },
    { sleep: 300 },
    'systemctl stop x.socket x.service',
    { sleep: 500 },
    'systemctl is-active x.socket x.service',
    'journalctl -u x.socket -u x.service --no-pager -o cat',
  ],
});

import { defineScenario } from '../scenario.ts';
import { xFiles } from '../scenario-kit.ts';

/** journalctl -x, as systemctl's failure message suggests it: the catalog explanations of PID 1's messages. */
export default defineScenario({
  id: 'journalctl-catalog',
  about: 'journalctl -xeu after a service failed to start, and -x on a socket that started and stopped',
  files: {
    ...xFiles(8080),
    '/etc/systemd/system/bad.service': '[Unit]\nDescription=bad service\n\n[Service]\nExecStart=/opt/x/bad\n',
    '/etc/systemd/system/once.service': '[Unit]\nDescription=failing oneshot\n\n[Service]\nType=oneshot\nExecStart=/opt/x/bad\n',
    '/etc/systemd/system/again.service': '[Unit]\nDescription=restarting service\nStartLimitBurst=2\n\n[Service]\nExecStart=/opt/x/bad\nRestart=on-failure\nRestartSec=100ms\n',
    '/opt/x/bad': { content: '#!/usr/bin/env node\nconsole.error("bad: missing config");\nprocess.exit(2);\n', mode: 0o755 },
  },
  steps: [
    'systemctl start bad.service',
    { sleep: 500 },
    'journalctl -xeu bad.service --no-pager',
    'systemctl start x.socket',
    'systemctl stop x.socket',
    'journalctl -x -u x.socket --no-pager',
    'journalctl -x -u x.socket --no-pager -o cat',
    'systemctl start once.service',
    'journalctl -x -u once.service --no-pager',
    'systemctl start again.service',
    { sleep: 1500 },
    'journalctl -x -u again.service --no-pager',
    'systemctl start x.socket',
    'echo hi | nc -N 127.0.0.1 8080',
    { sleep: 500 },
    'systemctl stop x.service',
    'journalctl -x -u x.service --no-pager',
  ],
});

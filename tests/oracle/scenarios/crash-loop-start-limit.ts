import { defineScenario } from '../scenario.ts';
import { exitingProgram, xSocket } from '../scenario-kit.ts';

export default defineScenario({
  id: 'crash-loop-start-limit',
  about: 'A service with Restart=always that exits 1 at once: restarts, then "Start request repeated too quickly."',
  files: {
    '/etc/systemd/system/crash.service': '[Unit]\nDescription=crashing service\n\n[Service]\nExecStart=/opt/x/crash\nRestart=always\nRestartSec=100ms\n',
    '/opt/x/crash': exitingProgram(1, 'crash: cannot open /etc/crash.conf'),
    '/etc/systemd/system/x.socket': xSocket(8080),
  },
  steps: [
    'systemctl start crash.service',
    { waitFor: 'systemctl is-failed crash.service', equals: 'failed', timeout: 20000 },
    'systemctl status -n 3 crash.service',
    'systemctl show -p Result -p NRestarts -p ActiveState -p SubState crash.service',
    'journalctl -u crash.service --no-pager -o cat',
    'systemctl start crash.service',
    'systemctl reset-failed crash.service',
    'systemctl is-failed crash.service',
  ],
});

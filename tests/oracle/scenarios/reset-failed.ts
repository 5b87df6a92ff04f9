import { defineScenario } from '../scenario.ts';
import { exitingProgram } from '../scenario-kit.ts';

export default defineScenario({
  id: 'reset-failed',
  about: 'A failed service: list-units --failed, reset-failed, and how status reads before and after',
  files: {
    '/etc/systemd/system/bad.service': '[Unit]\nDescription=bad service\n\n[Service]\nExecStart=/opt/x/bad\n',
    '/opt/x/bad': exitingProgram(2, 'bad: missing database'),
  },
  steps: [
    'systemctl start bad.service',
    { waitFor: 'systemctl is-failed bad.service', equals: 'failed', timeout: 10000 },
    { sleep: 500 },
    'systemctl status bad.service',
    'systemctl list-units --failed "bad*"',
    'systemctl reset-failed bad.service',
    'systemctl status bad.service',
    'systemctl is-failed bad.service',
    'systemctl reset-failed nosuch.service',
  ],
});

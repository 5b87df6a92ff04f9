import { defineScenario } from '../scenario.ts';
import { exitingProgram, xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'is-commands',
  about: 'is-active, is-enabled, is-failed (and --quiet) for active, inactive, failed, static, masked and missing units',
  files: {
    ...xFiles(8080),
    '/etc/systemd/system/bad.service': '[Service]\nExecStart=/opt/x/bad\n',
    '/opt/x/bad': exitingProgram(3),
    '/etc/systemd/system/gone.service': '[Service]\nExecStart=/bin/true\n',
  },
  steps: [
    'systemctl enable --now x.socket',
    'systemctl start bad.service',
    { waitFor: 'systemctl is-failed bad.service', equals: 'failed', timeout: 10000 },
    'systemctl mask gone.service',
    'systemctl is-active x.socket x.service bad.service nosuch.service',
    'systemctl is-enabled x.socket x.service gone.service',
    'systemctl is-enabled nosuch.service',
    'systemctl is-failed x.socket bad.service',
    'systemctl is-active --quiet x.socket',
    'systemctl is-active --quiet x.service',
    'systemctl is-failed --quiet bad.service',
  ],
});

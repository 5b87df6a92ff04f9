import { defineScenario } from '../scenario.ts';
import { connect, X_PROGRAM, xService, xSocket } from '../scenario-kit.ts';

export default defineScenario({
  id: 'start-after-fix',
  about: 'A unit that failed to load is fixed on disk and started again without daemon-reload',
  files: {
    '/etc/systemd/system/x.socket': '[Unit]\nDescription=x socket\n\n[Socket]\n',
    '/etc/systemd/system/x.service': xService(),
    '/opt/x/x': X_PROGRAM,
  },
  steps: [
    'systemctl start x.socket',
    { write: '/etc/systemd/system/x.socket', content: xSocket(8080) },
    'systemctl start x.socket',
    'systemctl is-active x.socket',
    connect(8080),
    { sleep: 1000 },
    'systemctl status x.socket',
  ],
});

import { defineScenario } from '../scenario.ts';
import { X_PROGRAM, xService } from '../scenario-kit.ts';

export default defineScenario({
  id: 'typo-in-key',
  about: 'ListenStrem= instead of ListenStream=: the unit has no Listen line; the journal names the file and line',
  files: {
    '/etc/systemd/system/x.socket': '[Unit]\nDescription=x socket\n\n[Socket]\nListenStrem=127.0.0.1:8080\n',
    '/etc/systemd/system/x.service': xService(),
    '/opt/x/x': X_PROGRAM,
  },
  steps: [
    'systemctl start x.socket',
    'systemctl status x.socket',
    'journalctl -u x.socket --no-pager -o cat',
    'systemd-analyze verify /etc/systemd/system/x.socket',
    { write: '/etc/systemd/system/x.socket', content: '[Unit]\nDescription=x socket\n\n[Socket]\nListenStream=127.0.0.1:8080\n' },
    'systemctl daemon-reload',
    'systemctl start x.socket',
    'systemctl is-active x.socket',
  ],
});

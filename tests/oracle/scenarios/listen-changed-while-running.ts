import { defineScenario } from '../scenario.ts';
import { connect, xFiles, xSocket } from '../scenario-kit.ts';

export default defineScenario({
  id: 'listen-changed-while-running',
  about: 'Changes ListenStream= of a listening socket and runs daemon-reload: the socket must be restarted',
  files: xFiles(8080),
  steps: [
    'systemctl start x.socket',
    { write: '/etc/systemd/system/x.socket', content: xSocket(8081) },
    'systemctl daemon-reload',
    'systemctl status x.socket',
    'journalctl -u x.socket --no-pager -o cat',
    'systemctl restart x.socket',
    'systemctl status x.socket',
    connect(8081),
  ],
});

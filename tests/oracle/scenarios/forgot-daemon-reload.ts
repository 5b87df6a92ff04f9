import { defineScenario } from '../scenario.ts';
import { connect, xFiles, xSocket } from '../scenario-kit.ts';

export default defineScenario({
  id: 'forgot-daemon-reload',
  about: 'Edits x.socket (new port) and restarts it without daemon-reload: the old port stays, systemctl warns',
  files: xFiles(8080),
  steps: [
    'systemctl start x.socket',
    { write: '/etc/systemd/system/x.socket', content: xSocket(8081) },
    'systemctl restart x.socket',
    'systemctl status -n 0 x.socket',
    'systemctl show -p Listen -p NeedDaemonReload x.socket',
    connect(8081),
    'systemctl daemon-reload',
    'systemctl restart x.socket',
    'systemctl show -p Listen -p NeedDaemonReload x.socket',
    connect(8081),
  ],
});

import { defineScenario } from '../scenario.ts';
import { connect, xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'status-show-cat',
  about: 'status, show (-p, --value, several units) and cat on an idle and an active socket and service',
  files: xFiles(8080, 'Backlog=64\n'),
  steps: [
    'systemctl start x.socket',
    'systemctl status x.service',
    'systemctl show -p ActiveState -p SubState -p Listen -p Triggers x.socket',
    'systemctl show -p SubState -p ActiveState x.socket',
    'systemctl show --value -p Backlog x.socket',
    'systemctl show -p NAccepted -p NConnections x.socket',
    connect(8080),
    { sleep: 1000 },
    'systemctl show -p MainPID --value x.service',
    'systemctl show -p TriggeredBy -p ActiveState x.service',
    'systemctl cat x.socket x.service',
    'systemctl status x.socket x.service',
  ],
});

import { defineScenario } from '../scenario.ts';
import { connect, xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'stop-activated-service',
  about: 'Stops a socket-activated service: systemctl warns that the socket can start it again, and the next connection does',
  files: xFiles(8080),
  steps: [
    'systemctl start x.socket',
    connect(8080),
    { sleep: 1000 },
    'systemctl stop x.service',
    'systemctl is-active x.service x.socket',
    connect(8080),
    { sleep: 1000 },
    'systemctl is-active x.service',
    'systemctl stop x.socket x.service',
    'systemctl is-active x.service x.socket',
    'journalctl -u x.service --no-pager -o cat',
  ],
});

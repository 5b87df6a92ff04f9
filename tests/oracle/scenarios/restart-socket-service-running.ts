import { defineScenario } from '../scenario.ts';
import { connect, xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'restart-socket-service-running',
  about: 'Restarts and stops a socket while its service runs: the service keeps running, the socket refuses to start',
  files: xFiles(8080),
  // Memory kernel only: on the Node kernel (real processes) how far this race gets before the command after it
  // depends on the machine's load, so its output is not the same from run to run (an open point of the oracle report).
  kernels: ['memory'],
  steps: [
    'systemctl start x.socket',
    connect(8080),
    { sleep: 1000 },
    'systemctl stop x.socket',
    'systemctl is-active x.socket x.service',
    'systemctl start x.socket',
    'systemctl status x.socket',
    'journalctl -u x.socket --no-pager -o cat',
    'systemctl stop x.service',
    'systemctl start x.socket',
    'systemctl is-active x.socket',
  ],
});

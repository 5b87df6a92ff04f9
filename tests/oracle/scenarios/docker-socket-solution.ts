import lab from '../../../labs/docker-socket/lab.ts';
import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'docker-socket-solution',
  about: 'The docker lab: docker.socket with -H fd://, a ping, then the socket node and the state',
  lab: 'docker-socket',
  steps: [
    { sleep: 1000 },
    ...labSolutionWrites('docker-socket'),
    ...(lab.solutionSteps ?? []),
    { sleep: 500 },
    'systemctl status docker.socket docker.service',
    'ls -l /run/docker.sock',
    'journalctl -u docker.socket -u docker.service --no-pager -o cat',
  ],
});

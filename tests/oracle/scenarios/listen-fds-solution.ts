import lab from '../../../labs/listen-fds/lab.ts';
import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'listen-fds-solution',
  about: 'The listen-fds lab: a second socket for the greeter, LISTEN_FDNAMES, then the state',
  lab: 'listen-fds',
  steps: [
    ...labSolutionWrites('listen-fds'),
    ...(lab.solutionSteps ?? []),
    { sleep: 500 },
    'systemctl status greeter.service',
    'systemctl list-sockets --all "greeter*"',
    'journalctl -u greeter.service --no-pager -o cat',
  ],
});

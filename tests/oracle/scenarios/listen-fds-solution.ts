import lab from '../../../labs/listen-fds/lab.ts';
import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'listen-fds-solution',
  about: 'The listen-fds lab: a second socket for the greeter, LISTEN_FDNAMES, then the state',
  lab: 'listen-fds',
  steps: [
    { sleep: 1000 },
    ...labSolutionWrites('listen-fds'),
    ...(lab.solutionSteps ?? []),
    { sleep: 500 },
    'systemctl status -n 0 greeter.service',
    'systemctl list-sockets --all "greeter*"',
    // (no journal of greeter.service: the order of its two fds, and so of LISTEN_FDNAMES, changes from boot to boot on systemd 252)
  ],
});

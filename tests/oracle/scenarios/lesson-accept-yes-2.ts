import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-accept-yes-2',
  about: 'accept-yes: two connections, two echo@ instances, counted by the socket',
  lab: 'echo-per-connection',
  steps: [
    ...labSolutionWrites('echo-per-connection'),
    'systemctl daemon-reload',
    'systemctl restart echo.socket',
    'echo hello | nc -N 127.0.0.1 7777',
    'echo again | nc -N 127.0.0.1 7777',
    { sleep: 300 },
    'systemctl status echo.socket',
    'journalctl -u "echo@*" --no-pager',
  ],
});

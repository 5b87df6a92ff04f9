import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'echo-per-connection-start',
  about: 'The echo lab as it boots: echo.socket listens, echo@.service has no ExecStart=',
  lab: 'echo-per-connection',
  steps: [
    { sleep: 500 },
    'systemctl status echo.socket',
    'systemctl status echo@.service',
    "systemctl list-sockets --all 'echo*'",
    'systemctl cat echo@.service',
  ],
});

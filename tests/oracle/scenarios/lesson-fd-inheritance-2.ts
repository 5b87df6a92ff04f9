import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-fd-inheritance-2',
  about: 'fd-inheritance: the end of the EADDRINUSE loop of the starting greeter, and the failed socket',
  lab: 'listen-fds',
  steps: [
    'curl -s --max-time 2 http://127.0.0.1:8080/',
    { sleep: 1500 },
    'journalctl -u greeter.service --no-pager -n 6',
    'systemctl status greeter.socket',
  ],
});

import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-fd-inheritance-1',
  about: 'fd-inheritance: greeter binds 127.0.0.1:8080 itself, which greeter.socket holds: EADDRINUSE until the start limit',
  lab: 'listen-fds',
  steps: [
    'curl -s --max-time 2 http://127.0.0.1:8080/',
    { sleep: 1500 },
    'journalctl -u greeter.service --no-pager',
    'systemctl is-failed greeter.socket greeter.service',
  ],
});

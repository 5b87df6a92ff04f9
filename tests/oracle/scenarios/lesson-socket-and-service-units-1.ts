import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-socket-and-service-units-1',
  about: 'socket-and-service-units: systemd-analyze verify on the starting myapp.socket (no Listen setting)',
  lab: 'myapp',
  steps: ['systemd-analyze verify /etc/systemd/system/myapp.socket'],
});

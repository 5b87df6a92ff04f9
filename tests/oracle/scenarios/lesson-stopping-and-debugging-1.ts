import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-stopping-and-debugging-1',
  about: 'Stopping only the service of a listening socket: systemctl warns, and the next connection starts it again',
  lab: 'it-came-back',
  steps: [
    'curl -s http://127.0.0.1:8080/',
    'systemctl stop report.service',
    'systemctl is-active report.service report.socket',
    'curl -s http://127.0.0.1:8080/',
    'systemctl is-active report.service',
  ],
});

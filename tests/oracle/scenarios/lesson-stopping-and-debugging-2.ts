import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-stopping-and-debugging-2',
  about: 'Stopping only the socket: the running service keeps its copy of the listening socket, and the socket cannot start again while it runs',
  lab: 'it-came-back',
  steps: [
    'curl -s http://127.0.0.1:8080/',
    'systemctl stop report.socket',
    'systemctl is-active report.socket report.service',
    'curl -s http://127.0.0.1:8080/',
    'systemctl start report.socket',
    'journalctl -u report.socket -n 2 --no-pager',
  ],
});

import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-stopping-and-debugging-3',
  about: 'Stop both units, disable the socket, mask the service; the masked service also stops the socket from starting',
  lab: 'it-came-back',
  steps: [
    'curl -s http://127.0.0.1:8080/',
    'systemctl stop report.socket report.service',
    'curl -sS http://127.0.0.1:8080/',
    'systemctl disable report.socket',
    'systemctl mask report.service',
    'systemctl start report.service',
    'systemctl start report.socket',
    'journalctl -u report.socket -n 2 --no-pager',
    'systemctl is-enabled report.socket report.service',
    'systemctl mask metrics.service',
    'systemctl unmask report.service',
  ],
});

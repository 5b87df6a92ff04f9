import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-dependencies-and-limits-4',
  about: 'dependencies-and-limits: a service skipped by an unmet condition never starts, so the socket, not the service, hits its limit',
  files: {
    '/etc/systemd/system/report.socket': '[Unit]\nDescription=Report socket\n\n[Socket]\nListenStream=127.0.0.1:9090\n',
    '/etc/systemd/system/report.service': '[Unit]\nDescription=Report generator\nConditionPathExists=/etc/report.conf\n\n[Service]\nExecStart=/bin/sleep 100\n',
  },
  steps: [
    'systemctl start report.socket',
    'curl -s --max-time 3 http://127.0.0.1:9090/',
    { sleep: 500 },
    'journalctl -u report.socket --no-pager -o cat',
    'journalctl -u report.service --no-pager -o cat -n 2',
    'systemctl show -p NRestarts -p Result report.service',
  ],
});

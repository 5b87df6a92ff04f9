import { defineScenario } from '../scenario.ts';

const journal = 'journalctl -u b.service -u s.socket -u s.service --no-pager -o cat';
export default defineScenario({
  id: 'refusal-logged-each-load',
  about: 'Units that fail to load are collected at once: each request that names one (status, is-active, show, start) loads it again and PID 1 logs its refusal again; a socket loads its service with it; daemon-reload does not read them',
  files: {
    '/etc/systemd/system/s.socket': '[Unit]\nDescription=s socket\n\n[Socket]\nListenStrem=127.0.0.1:8080\n',
    '/etc/systemd/system/s.service': '[Service]\n',
    '/etc/systemd/system/b.service': '[Service]\n',
  },
  steps: [
    'systemctl status b.service',
    'systemctl is-active b.service',
    'systemctl show -p ActiveState -p LoadState b.service',
    journal,
    'systemctl status s.socket',
    journal,
    'systemctl is-active s.socket',
    'systemctl status s.service',
    journal,
    'systemctl list-units --all "s.*" "b.*"',
    'systemctl start s.socket',
    journal,
    // Nothing holds them: daemon-reload does not read them again.
    'systemctl daemon-reload',
    journal,
  ],
});

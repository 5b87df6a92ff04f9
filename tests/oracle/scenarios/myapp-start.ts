import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'myapp-start',
  about: 'The myapp lab as it boots: both units still empty',
  lab: 'myapp',
  steps: [
    { sleep: 500 },
    'systemctl status myapp.socket myapp.service',
    'systemctl is-enabled myapp.socket',
    'systemctl is-active myapp.socket',
    "systemctl list-unit-files 'myapp*'",
    'journalctl -u myapp.socket -u myapp.service --no-pager -o cat',
    'systemd-analyze verify /etc/systemd/system/myapp.socket /etc/systemd/system/myapp.service',
  ],
});

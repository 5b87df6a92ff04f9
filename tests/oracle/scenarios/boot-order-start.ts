import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'boot-order-start',
  about: 'The boot-order lab as it boots: web.service waits for db.service through After=',
  lab: 'boot-order',
  steps: [
    { sleep: 500 },
    'systemctl status db.service web.service',
    'systemctl status db.socket',
    "systemctl list-units --all 'db*' 'web*'",
    'journalctl -u db.service -u web.service --no-pager -o cat',
  ],
});

import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'dbus-bus-start',
  about: 'The dbus lab as it boots: a dbus.socket without a Listen line',
  lab: 'dbus-bus',
  steps: [
    { sleep: 500 },
    'systemctl status dbus.socket dbus.service',
    'systemctl cat dbus.socket',
    'journalctl -u dbus.socket --no-pager -o cat',
  ],
});

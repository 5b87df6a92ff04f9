import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'dbus-bus-start',
  about: 'The dbus lab as it boots: a dbus.socket without a Listen line',
  lab: 'dbus-bus',
  steps: [
    // The lab's dbus-daemon runs from boot (as Debian's does) and takes 300 ms to say it is ready; on the Node
    // kernel a node process needs a few hundred more to start.
    { sleep: 1000 },
    'systemctl status dbus.socket dbus.service',
    'systemctl cat dbus.socket',
    'journalctl -u dbus.socket --no-pager -o cat',
  ],
});

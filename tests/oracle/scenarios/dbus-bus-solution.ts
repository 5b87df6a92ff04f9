import lab from '../../../labs/dbus-bus/lab.ts';
import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'dbus-bus-solution',
  about: 'The dbus lab: the bus socket, a client speaking to it, then the state',
  lab: 'dbus-bus',
  steps: [
    { sleep: 1000 },
    ...labSolutionWrites('dbus-bus'),
    ...(lab.solutionSteps ?? []),
    { sleep: 500 },
    'systemctl status dbus.socket dbus.service',
    'journalctl -u dbus.socket -u dbus.service --no-pager -o cat',
  ],
});

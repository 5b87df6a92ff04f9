import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-dbus-1',
  about: 'dbus: with dbus.service stopped, a client connects to the bus socket, waits, and is answered (the real dbus-daemon 1.14.10)',
  steps: [
    { waitFor: 'systemctl is-active dbus.service', equals: 'active' },
    'systemctl stop dbus.service',
    'systemctl is-active dbus.socket dbus.service',
    "printf '\\0AUTH EXTERNAL 30\\r\\n' | nc -N -w 3 -U /run/dbus/system_bus_socket",
    { sleep: 300 },
    'systemctl is-active dbus.service',
    'journalctl -u dbus.service --no-pager -n 3',
  ],
  kernels: [],
});

import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-dbus-2',
  about: 'dbus: dbus-daemon given --address=unix:path= unlinks the path and binds its own socket; dbus.socket keeps listening on an orphaned inode',
  files: {
    '/etc/systemd/system/dbus.service.d/bind-it-myself.conf': '[Service]\nExecStart=\nExecStart=/usr/bin/dbus-daemon --system --address=unix:path=/run/dbus/system_bus_socket --nofork --nopidfile --systemd-activation --syslog-only\n',
  },
  steps: [
    { waitFor: 'systemctl is-active dbus.service', equals: 'active' },
    "stat -c 'inode %i %A %U %G %n' /run/dbus/system_bus_socket",
    'ss -xlp | grep system_bus_socket',
    'systemctl stop dbus.service',
    'systemctl status dbus.socket',
    'ss -xlp',
    "printf '\\0AUTH EXTERNAL 30\\r\\n' | nc -N -w 3 -U /run/dbus/system_bus_socket",
    'systemctl is-active dbus.service',
    'systemctl restart dbus.socket',
    "stat -c 'inode %i %A %U %G %n' /run/dbus/system_bus_socket",
  ],
  kernels: [],
});

import { debianUnit } from '../real-programs-kit.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'real-dbus-daemon',
  about: "Debian's dbus-daemon with Debian's dbus.socket and dbus.service (Type=notify, --address=systemd:): activated, ready, answering",
  files: {
    '/lib/systemd/system/dbus.socket': debianUnit('dbus-system-bus-common', 'dbus.socket'),
    '/lib/systemd/system/dbus.service': debianUnit('dbus', 'dbus.service'),
    // A D-Bus client as a unit, so that it runs on both machines (the lab shell has no dbus-send); relative
    // address: a service's working directory is /.
    '/etc/systemd/system/bus-client.service': '[Unit]\nDescription=D-Bus client\n\n[Service]\nType=oneshot\nExecStart=/usr/bin/dbus-send --bus=unix:path=run/dbus/system_bus_socket --print-reply=literal --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner string:org.freedesktop.DBus\n',
  },
  kernels: ['node'],
  steps: [
    'systemctl stop dbus.service dbus.socket',
    'systemctl start dbus.socket',
    'systemctl is-active dbus.socket dbus.service',
    "echo -ne '\\0AUTH\\r\\n' | nc -N -U /run/dbus/system_bus_socket",
    { waitFor: 'systemctl is-active dbus.service', equals: 'active' },
    'systemctl is-active dbus.socket dbus.service',
    'systemctl show -p Type,NotifyAccess,ActiveState,SubState,Result dbus.service',
    'systemctl start bus-client.service',
    'journalctl -u bus-client.service --no-pager -o cat',
  ],
});

import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-stopping-and-debugging-4',
  about: 'Debugging a socket that did not start at boot (Service= names a unit that does not exist), then looking at the fixed one',
  lab: 'it-came-back',
  steps: [
    'systemctl status metrics.socket',
    'journalctl -u metrics.socket -u metrics.service --no-pager',
    'systemd-analyze verify /etc/systemd/system/metrics.socket',
    { write: '/etc/systemd/system/metrics.socket', content: '[Unit]\nDescription=Metrics socket\n\n[Socket]\nListenStream=127.0.0.1:9100\nService=metrics.service\n\n[Install]\nWantedBy=sockets.target\n' },
    'systemctl daemon-reload',
    'systemctl start metrics.socket',
    'curl -s http://127.0.0.1:9100/',
    'systemctl show -p Listen,NAccepted,NConnections,Triggers metrics.socket',
    'systemctl list-sockets --all',
    "ss -tlpn 'sport = :9100'",
    'readlink /proc/$(systemctl show -p MainPID --value metrics.service)/fd/3',
    'ss -xl src /run/dbus/system_bus_socket',
  ],
});

import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-socket-and-service-units-5',
  about: 'socket-and-service-units: a port changed and daemon-reloaded is not listened on until the socket restarts',
  lab: 'myapp',
  steps: [
    ...labSolutionWrites('myapp'),
    'systemctl daemon-reload',
    'systemctl enable --now myapp.socket',
    { write: '/etc/systemd/system/myapp.socket', content: '[Unit]\nDescription=myapp socket\n\n[Socket]\nListenStream=8081\n\n[Install]\nWantedBy=sockets.target\n' },
    'systemctl daemon-reload',
    'systemctl show -p Listen myapp.socket',
    'ss -tlnp',
    'systemctl restart myapp.socket',
    'ss -tlnp',
  ],
});

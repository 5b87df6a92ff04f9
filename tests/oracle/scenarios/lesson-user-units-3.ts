import { defineScenario } from '../scenario.ts';
import { ADD_STUDENT } from '../lesson-files/user-units.ts';

export default defineScenario({
  id: 'lesson-user-units-3',
  about: 'Without lingering and without a session the user manager stops (after UserStopDelaySec=), and its sockets go with it',
  lab: 'user-socket',
  files: {
    '/home/student/.config/systemd/user/hello.socket': '[Unit]\nDescription=hello socket\n\n[Socket]\nListenStream=%t/hello.sock\n\n[Install]\nWantedBy=sockets.target\n',
  },
  kernels: [],
  steps: [
    ADD_STUDENT,
    'loginctl enable-linger student',
    { waitFor: 'systemctl is-active user@1000.service', equals: 'active' },
    'systemctl --user -M student@ enable --now hello.socket',
    'ls /run/user/1000',
    'loginctl disable-linger student',
    'systemctl is-active user@1000.service',
    'loginctl show-user student -p Linger -p State',
    // logind stops a user manager UserStopDelaySec= (10 s by default) after its last session and lingering end
    { run: 'sleep 12', timeout: 15000 },
    { waitFor: 'systemctl is-active user@1000.service', equals: 'inactive', timeout: 20000 },
    'systemctl is-active user@1000.service',
    'ls /run/user/',
    'loginctl enable-linger student',
    { waitFor: 'systemctl is-active user@1000.service', equals: 'active' },
    'systemctl --user -M student@ is-active hello.socket',
  ],
});

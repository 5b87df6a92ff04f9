import { defineScenario } from '../scenario.ts';
import { ADD_STUDENT, PAM_SYSTEMD_STAND_IN } from '../lesson-files/user-units.ts';

export default defineScenario({
  id: 'lesson-user-units-3',
  about: 'Without lingering the user manager stops, and its sockets go with it',
  lab: 'user-socket',
  files: {
    ...PAM_SYSTEMD_STAND_IN,
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
    { waitFor: 'systemctl is-active user@1000.service', equals: 'inactive' },
    'systemctl is-active user@1000.service',
    'ls /run/user/',
    'loginctl enable-linger student',
    { waitFor: 'systemctl is-active user@1000.service', equals: 'active' },
    'systemctl --user -M student@ is-active hello.socket',
  ],
});

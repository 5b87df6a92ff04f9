import { defineScenario } from '../scenario.ts';
import { ADD_STUDENT, PAM_SYSTEMD_STAND_IN } from '../lesson-files/user-units.ts';

export default defineScenario({
  id: 'lesson-user-units-5',
  about: 'systemctl --user from root: without -M, and -M student@ before student has a user manager',
  lab: 'user-socket',
  files: PAM_SYSTEMD_STAND_IN,
  kernels: [],
  steps: [
    ADD_STUDENT,
    'systemctl --user list-sockets',
    'systemctl --user -M student@ list-sockets',
    'loginctl list-users',
    'loginctl enable-linger student',
    { waitFor: 'systemctl is-active user@1000.service', equals: 'active' },
    'loginctl show-user student -p Linger',
    'loginctl list-users',
  ],
});

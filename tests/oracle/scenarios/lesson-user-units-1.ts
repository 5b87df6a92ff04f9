import { defineScenario } from '../scenario.ts';
import { ADD_STUDENT } from '../lesson-files/user-units.ts';

export default defineScenario({
  id: 'lesson-user-units-1',
  about: 'Lingering starts a user manager for student; root reaches it with systemctl --user -M student@',
  lab: 'user-socket',
  kernels: [],
  steps: [
    ADD_STUDENT,
    'systemctl is-active user@1000.service',
    'loginctl enable-linger student',
    { waitFor: 'systemctl is-active user@1000.service', equals: 'active' },
    'ls /var/lib/systemd/linger',
    'loginctl list-users',
    'systemctl status -n 0 user@1000.service',
    'systemctl --user -M student@ list-sockets',
  ],
});

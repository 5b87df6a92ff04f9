import { defineScenario } from '../scenario.ts';
import { ADD_STUDENT } from '../lesson-files/user-units.ts';

export default defineScenario({
  id: 'lesson-user-units-5',
  about: 'systemctl --user from root: without -M it fails; -M student@ opens a PAM session for student, which starts the user manager without lingering',
  lab: 'user-socket',
  kernels: [],
  steps: [
    ADD_STUDENT,
    'systemctl --user list-sockets',
    'systemctl is-active user@1000.service',
    'systemctl --user -M student@ list-sockets',
    "journalctl -o cat | grep -E 'stdio-bridge|session opened'",
    'loginctl list-users',
    'systemctl is-active user@1000.service',
    'loginctl enable-linger student',
    { waitFor: 'systemctl is-active user@1000.service', equals: 'active' },
    'loginctl show-user student -p Linger',
    'loginctl list-users',
  ],
});

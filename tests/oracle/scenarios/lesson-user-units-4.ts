import { defineScenario } from '../scenario.ts';
import { ADD_STUDENT } from '../lesson-files/user-units.ts';

export default defineScenario({
  id: 'lesson-user-units-4',
  about: 'A user manager may bind TCP ports from 1024 up, not port 80',
  lab: 'user-socket',
  files: {
    '/home/student/.config/systemd/user/web80.socket': '[Socket]\nListenStream=80\n',
    '/home/student/.config/systemd/user/web80.service': '[Service]\nExecStart=/usr/local/bin/hello-user\n',
    '/home/student/.config/systemd/user/web8080.socket': '[Socket]\nListenStream=8080\n',
    '/home/student/.config/systemd/user/web8080.service': '[Service]\nExecStart=/usr/local/bin/hello-user\n',
  },
  kernels: [],
  steps: [
    ADD_STUDENT,
    'loginctl enable-linger student',
    { waitFor: 'systemctl is-active user@1000.service', equals: 'active' },
    'systemctl --user -M student@ start web80.socket web8080.socket',
    'systemctl --user -M student@ is-active web80.socket web8080.socket',
    'curl -s http://localhost:8080/',
    'journalctl _UID=1000 -o cat | grep web80',
  ],
});

import { defineScenario } from '../scenario.ts';
import { ADD_STUDENT } from '../lesson-files/user-units.ts';

const SOCKET = '/home/student/.config/systemd/user/hello.socket';

export default defineScenario({
  id: 'lesson-user-units-2',
  about: "A user's socket: /run is not the user's, %t is; enable links it under ~/.config",
  lab: 'user-socket',
  kernels: [],
  steps: [
    ADD_STUDENT,
    'loginctl enable-linger student',
    { waitFor: 'systemctl is-active user@1000.service', equals: 'active' },
    'systemctl --user -M student@ start hello.socket',
    'systemctl --user -M student@ status hello.socket',
    'journalctl _UID=1000 -o cat | grep hello',
    { write: SOCKET, content: '[Unit]\nDescription=hello socket\n\n[Socket]\nListenStream=%t/hello.sock\n\n[Install]\nWantedBy=sockets.target\n' },
    'systemctl --user -M student@ daemon-reload',
    'systemctl --user -M student@ enable --now hello.socket',
    'systemctl --user -M student@ list-sockets',
    "stat -c '%A %U %G %n' /run/user/1000 /run/user/1000/hello.sock",
    'runuser -u student -- curl -s --unix-socket /run/user/1000/hello.sock http://localhost/',
    'systemctl --user -M student@ status hello.service',
  ],
});

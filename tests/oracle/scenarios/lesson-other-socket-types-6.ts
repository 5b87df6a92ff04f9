import { defineScenario } from '../scenario.ts';
import { NOTES_CONTROL_SERVICE, NOTES_CONTROL_SOCKET, NOTES_KEEPER } from '../lesson-files/other-socket-types.ts';

export default defineScenario({
  id: 'lesson-other-socket-types-6',
  about: 'A FIFO socket: the first write starts the service, which reads the line from fd 3; the socket cannot start again while its service runs',
  files: {
    '/etc/systemd/system/notes-control.socket': NOTES_CONTROL_SOCKET,
    '/etc/systemd/system/notes-control.service': NOTES_CONTROL_SERVICE,
    '/usr/local/bin/notes-keeper': { content: NOTES_KEEPER, mode: 0o755 },
  },
  kernels: [],
  steps: [
    'systemctl start notes-control.socket',
    'echo pause > /run/notes/control',
    { waitFor: 'journalctl -u notes-control.service -o cat | grep -c pause', equals: '1' },
    'journalctl -u notes-control.service -o cat',
    'systemctl status notes-control.socket',
    'systemctl restart notes-control.socket',
    'journalctl -u notes-control.socket -o cat',
  ],
});

import { defineScenario } from '../scenario.ts';
import { NOTES_CONTROL_SERVICE, NOTES_CONTROL_SOCKET, NOTES_KEEPER } from '../lesson-files/other-socket-types.ts';

export default defineScenario({
  id: 'lesson-other-socket-types-4',
  about: 'A FIFO with SocketGroup=: the restart fails with File exists until RemoveOnStop=yes and the stale FIFO is gone',
  files: {
    '/etc/systemd/system/notes-control.socket': NOTES_CONTROL_SOCKET,
    '/etc/systemd/system/notes-control.service': NOTES_CONTROL_SERVICE,
    '/usr/local/bin/notes-keeper': { content: NOTES_KEEPER, mode: 0o755 },
  },
  kernels: ['memory'],
  steps: [
    'systemctl start notes-control.socket',
    "stat -c '%A %U %G' /run/notes/control",
    'systemctl restart notes-control.socket',
    'journalctl -u notes-control.socket -o cat',
    { write: '/etc/systemd/system/notes-control.socket', content: NOTES_CONTROL_SOCKET.replace('SocketGroup=adm\n', 'SocketGroup=adm\nRemoveOnStop=yes\n') },
    'systemctl daemon-reload',
    'rm /run/notes/control',
    'systemctl restart notes-control.socket',
    'systemctl is-active notes-control.socket',
    "stat -c '%A %U %G' /run/notes/control",
  ],
});

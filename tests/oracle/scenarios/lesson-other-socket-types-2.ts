import { defineScenario } from '../scenario.ts';
import { NOTES_KEEPER, NOTES_SERVICE, NOTES_SOCKET } from '../lesson-files/other-socket-types.ts';

export default defineScenario({
  id: 'lesson-other-socket-types-2',
  about: 'A datagram socket of our own: one datagram starts the service, which reads it; nc -U cannot connect',
  files: {
    '/etc/systemd/system/notes.socket': NOTES_SOCKET,
    '/etc/systemd/system/notes.service': NOTES_SERVICE,
    '/usr/local/bin/notes-keeper': { content: NOTES_KEEPER, mode: 0o755 },
  },
  kernels: [],
  steps: [
    'systemctl start notes.socket',
    `python3 -c "import socket; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b'first note', '/dev/notes')"`,
    { waitFor: 'journalctl -u notes.service -o cat | grep -c "first note"', equals: '1' },
    'systemctl is-active notes.service',
    'journalctl -u notes.service -o cat',
    'echo hello | nc -U /run/notes/log',
  ],
});

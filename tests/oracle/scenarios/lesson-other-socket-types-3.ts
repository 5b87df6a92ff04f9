import { defineScenario } from '../scenario.ts';
import { NOTES_SOCKET } from '../lesson-files/other-socket-types.ts';

export default defineScenario({
  id: 'lesson-other-socket-types-3',
  about: 'A datagram nobody reads: the service exits, the socket stays readable, the start limit fails both',
  files: {
    '/etc/systemd/system/notes.socket': NOTES_SOCKET,
    '/etc/systemd/system/notes.service': '[Unit]\nDescription=Notes keeper\n\n[Service]\nExecStart=/bin/true\n',
  },
  kernels: [],
  steps: [
    'systemctl start notes.socket',
    'logger -u /run/notes/log "nobody reads this"',
    { waitFor: 'systemctl is-active notes.socket', equals: 'failed' },
    'systemctl is-active notes.socket notes.service',
    'journalctl -u notes.socket -o cat',
  ],
});

import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-accept-yes-3',
  about: 'accept-yes: StandardInput=socket sends stderr to the client too, unless StandardError=journal',
  files: {
    '/etc/systemd/system/err.socket': '[Socket]\nListenStream=127.0.0.1:7788\nAccept=yes\n',
    '/etc/systemd/system/err@.service': '[Unit]\nDescription=stderr demo\n\n[Service]\nExecStart=/bin/sh -c "echo this-went-to-stderr >&2; read line; echo got $line"\nStandardInput=socket\n',
  },
  steps: [
    'systemctl start err.socket',
    'echo hi | nc -N -w 2 127.0.0.1 7788',
    { write: '/etc/systemd/system/err@.service.d/journal.conf', content: '[Service]\nStandardError=journal\n' },
    'systemctl daemon-reload',
    'echo hi | nc -N -w 2 127.0.0.1 7788',
    { sleep: 300 },
    'journalctl -u "err@*" --no-pager -o cat',
  ],
  kernels: [],
});

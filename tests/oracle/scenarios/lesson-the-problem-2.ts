import { defineScenario } from '../scenario.ts';

/** A program that is not the socket's service holds the port. */
const HOLDER = '#!/usr/bin/python3\nimport socket, time\ns = socket.socket()\ns.bind(("127.0.0.1", 5432))\ns.listen()\ntime.sleep(600)\n';

export default defineScenario({
  id: 'lesson-the-problem-2',
  about: 'the-problem: a program other than db.service holds 127.0.0.1:5432; db.socket fails with Address already in use',
  files: {
    '/opt/holder': { content: HOLDER, mode: 0o755 },
    '/etc/systemd/system/holder.service': '[Unit]\nDescription=Something else on port 5432\n\n[Service]\nExecStart=/opt/holder\n',
    '/etc/systemd/system/db.socket': '[Unit]\nDescription=Shop database socket\n\n[Socket]\nListenStream=127.0.0.1:5432\n',
    '/etc/systemd/system/db.service': '[Unit]\nDescription=Shop database\n\n[Service]\nExecStart=/bin/true\n',
  },
  steps: [
    'systemctl start holder.service',
    { sleep: 500 },
    'systemctl start db.socket',
    'journalctl -u db.socket --no-pager',
  ],
  kernels: [],
});

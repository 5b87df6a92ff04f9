import { defineScenario } from '../scenario.ts';

/** A database that binds its port itself (what the lab's db does without a socket from systemd), for real systemd. */
const DB = `#!/usr/bin/python3
import socket, time
from systemd import daemon
print("db: no socket from systemd, binding 127.0.0.1:5432 myself", flush=True)
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 5432)); s.listen()
daemon.notify("READY=1")
while True:
    c, _ = s.accept(); c.sendall(b"3 rows\\n"); c.close()
`;

export default defineScenario({
  id: 'lesson-the-problem-1',
  about: 'the-problem: db.socket cannot listen on 127.0.0.1:5432 while db.service, started at boot, holds it',
  lab: 'boot-order',
  files: {
    '/opt/shop/db': { content: DB, mode: 0o755 },
    '/etc/systemd/system/db.socket': '[Unit]\nDescription=Shop database socket\n\n[Socket]\nListenStream=127.0.0.1:5432\n\n[Install]\nWantedBy=sockets.target\n',
  },
  steps: [
    { waitFor: 'systemctl is-active db.service', equals: 'active' },
    'systemctl start db.socket',
    'journalctl -u db.socket --no-pager',
  ],
  // The db here is a Python program (python3-systemd): the emulator's kernels run JavaScript and host binaries
  // only from a lab machine, so this transcript is checked on real systemd alone.
  kernels: [],
});

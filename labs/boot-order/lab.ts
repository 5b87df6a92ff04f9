/**
 * Lab of the lesson "The problem socket activation solves" (/lessons/the-problem/): the web front end needs the database, so the
 * classic units order them with Requires=/After=. Give the database a socket unit, drop the ordering,
 * and watch the first connection start the database while web's request waits in the backlog.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import { findUnit, heldBySystemd, listeners, printed } from '../../src/lab/definition/check-helpers.ts';

const DB_SOCKET = '/etc/systemd/system/db.socket';
const WEB_SERVICE = '/etc/systemd/system/web.service';

export default defineLab({
  id: 'boot-order',
  title: 'From boot order to socket activation',
  lesson: 'the-problem',
  intro:
    'web.service may start only after db.service is ready, because it connects to the database. Let systemd own the database port instead, and the ordering is no longer needed.',
  editable: [DB_SOCKET, WEB_SERVICE],
  openFile: DB_SOCKET,
  hostname: 'shop',
  goals: [
    {
      id: 'db-socket-listens',
      task: 'Make db.socket listen on 127.0.0.1:5432, the database port.',
      hint: 'Add `ListenStream=127.0.0.1:5432` to the [Socket] section of db.socket, then run `systemctl daemon-reload`.',
      check: ({ snapshot }) => {
        const socket = findUnit(snapshot.units, 'db.socket');
        if (!socket || socket.loadState !== 'loaded') return 'db.socket is not loaded without errors yet (run systemctl daemon-reload after saving).';
        const addresses = (socket.listen ?? []).map((listen) => listen.address);
        return addresses.includes('127.0.0.1:5432') || `systemd has db.socket listening on: ${addresses.join(', ') || 'nothing'} (systemctl daemon-reload after saving).`;
      },
    },
    {
      id: 'db-socket-enabled',
      task: 'Enable and start db.socket (the running database holds the port: stop it first).',
      hint: 'systemd refuses to start db.socket while db.service runs (journalctl -u db.socket: "Socket service db.service already active, refusing."): `systemctl stop db.service`, then `systemctl enable --now db.socket`.',
      check: async ({ run, snapshot }) => {
        const socket = findUnit(snapshot.units, 'db.socket');
        if (socket?.unitFileState !== 'enabled') return 'db.socket is not enabled.';
        if (socket.activeState !== 'active') return `db.socket is ${socket.activeState} (${socket.result}); see journalctl -u db.socket.`;
        const live = (await listeners(run, 'tcp')).filter((listener) => listener.local === '127.0.0.1:5432');
        return live.some(heldBySystemd) || 'systemd does not hold 127.0.0.1:5432 (ss -ltnp): restart db.socket after daemon-reload.';
      },
    },
    {
      id: 'no-boot-order',
      task: 'Remove the ordering on the database from web.service.',
      hint: 'Delete the `Requires=db.service` and `After=db.service` lines of web.service, then `systemctl daemon-reload`.',
      check: async ({ run }) => {
        const shown = await run('systemctl show -p Requires -p After web.service');
        return !shown.stdout.includes('db.service') || `systemd still has: ${shown.stdout.trim().replace(/\n/g, '; ')}`;
      },
    },
    {
      id: 'db-started-by-socket',
      task: 'Have db.service started by a connection, with the socket as fd 3.',
      hint: 'With db.socket listening and db.service stopped, start web (`systemctl start web.service`) or run `curl http://localhost:8080/`: its connection to port 5432 starts db.service.',
      check: ({ snapshot }) => {
        const db = findUnit(snapshot.units, 'db.service');
        if (db?.activeState !== 'active') return `db.service is ${db?.activeState ?? 'not loaded'}.`;
        const handed = (db.fds ?? []).some((fd) => fd.fd === 3 && fd.socket === 'db.socket');
        return handed || 'db.service runs, but it bound the port itself: stop it, start db.socket, and let a connection start it.';
      },
    },
    {
      id: 'web-answers',
      task: 'Get an answer from web through http://localhost:8080/ that includes the database\'s rows.',
      hint: 'Start web.service if it is not running (`systemctl start web.service`), then `curl http://localhost:8080/`; `journalctl -u web.service` shows why web stopped.',
      check: async ({ run }) => {
        const reply = await run('curl -s --max-time 5 http://localhost:8080/');
        return reply.stdout.includes('the database says: 3 rows') || printed('curl', reply);
      },
    },
  ],
  solutionSteps: [
    'systemctl daemon-reload',
    'systemctl stop db.service',
    'systemctl enable --now db.socket',
    'systemctl start web.service',
    'curl -s http://localhost:8080/',
  ],
});

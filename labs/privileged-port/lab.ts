/**
 * Lab of the lesson "Privileges: port 80 without root": systemd binds port 80 and a Unix socket for the
 * admins, hello-web runs as an unprivileged user (User= or DynamicUser=, either passes) and without a
 * network of its own. The checks ask the live machine: what systemd listens on, who answers curl, the
 * socket node's mode and group (`stat`), who may connect to it, and `systemctl show`.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import { findUnit } from '../../src/lab/definition/check-helpers.ts';

const ADMIN = '/run/hello/web.sock';

/** The uid in hello-web's reply, `hello from uid 33 (www-data)`. */
function replyUid(text: string): number | undefined {
  const match = /hello from uid (\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

export default defineLab({
  id: 'privileged-port',
  title: 'Port 80 without root',
  lesson: 'security',
  intro:
    'hello-web runs as root so that it can bind port 80, and says so to everyone who asks. Let systemd bind the port, and run the program as a user that can do nothing else. (PrivateNetwork= is shown by systemctl here, but this machine does not give the service a network of its own; the lesson shows real systemd doing it.)',
  editable: ['/etc/systemd/system/web.socket', '/etc/systemd/system/web.service'],
  openFile: '/etc/systemd/system/web.socket',
  hostname: 'web',
  inPageOnly: 'the WebContainer runtime does not run services as other users (User=, DynamicUser=).',
  goals: [
    {
      id: 'systemd-binds-80',
      task: 'Make web.socket listen on TCP port 80, so that curl http://localhost/ is answered through it.',
      hint: '`ListenStream=80` in [Socket]. The running web.service holds the port itself: `systemctl stop web.service`, then `systemctl daemon-reload` and `systemctl enable --now web.socket`.',
      check: async ({ run, snapshot }) => {
        const socket = findUnit(snapshot.units, 'web.socket');
        if (socket?.activeState !== 'active') return `web.socket is ${socket?.activeState ?? 'not loaded'}.`;
        const listen = (await run('systemctl show -p Listen web.socket')).stdout;
        if (!/^Listen=.*:80 \(Stream\)$/m.test(listen)) return `web.socket listens on: ${listen.replace(/Listen=/g, '').trim() || 'nothing'}.`;
        const reply = await run('curl -s http://localhost/');
        return reply.stdout.includes('hello from') || `curl got: ${(reply.stdout + reply.stderr).trim() || `nothing (exit ${reply.exitCode})`}`;
      },
    },
    {
      id: 'unprivileged',
      task: 'Have hello-web answer as a user other than root.',
      hint: '`User=www-data` in [Service], or `DynamicUser=yes` for a user made up for the service. Then `systemctl daemon-reload` and `systemctl restart web.service`; `curl -s http://localhost/` says who answers.',
      check: async ({ run }) => {
        const reply = (await run('curl -s http://localhost/')).stdout;
        const uid = replyUid(reply);
        if (uid === undefined) return `no answer from hello-web on port 80 (${reply.trim() || 'empty'}).`;
        return uid !== 0 || 'hello-web still answers as uid 0 (root).';
      },
    },
    {
      id: 'admin-socket',
      task: `Add a Unix socket ${ADMIN} to web.socket that group adm may use and others may not (srw-rw----, group adm).`,
      hint: 'A second `ListenStream=/run/hello/web.sock`, with `SocketGroup=adm` and `SocketMode=0660` (they apply to every Unix socket node of the unit). Restart web.socket (stop web.service first) and look: `stat -c \'%A %U %G\' /run/hello/web.sock`.',
      check: async ({ run }) => {
        const node = (await run(`stat -c '%A %G' ${ADMIN}`)).stdout.trim();
        if (node !== 'srw-rw---- adm') return `${ADMIN} is ${node || 'missing'}; it should be srw-rw---- with group adm.`;
        const root = await run(`curl -s --unix-socket ${ADMIN} http://localhost/`);
        if (!root.stdout.includes('hello from')) return `root gets no answer on ${ADMIN}: ${(root.stdout + root.stderr).trim() || `exit ${root.exitCode}`}`;
        const student = await run(`sudo -u student curl -s --unix-socket ${ADMIN} http://localhost/`);
        return student.exitCode !== 0 || `student (not in adm) got an answer: ${student.stdout.trim()}`;
      },
    },
    {
      id: 'private-network',
      task: 'Give web.service no network of its own (PrivateNetwork=yes); it must still answer on port 80.',
      hint: '`PrivateNetwork=yes` in [Service]: the sockets systemd passes still work, because systemd opened them outside. `systemctl show -p PrivateNetwork web.service` after a daemon-reload and restart.',
      check: async ({ run }) => {
        const shown = (await run('systemctl show -p PrivateNetwork web.service')).stdout.trim();
        if (shown !== 'PrivateNetwork=yes') return `systemd has ${shown || 'no PrivateNetwork= setting'} for web.service.`;
        const reply = (await run('curl -s http://localhost/')).stdout;
        if (!reply.includes('hello from')) return 'no answer on port 80.';
        const state = (await run('systemctl is-active web.service')).stdout.trim();
        return state === 'active' || `web.service is ${state}.`;
      },
    },
  ],
  solutionSteps: [
    'systemctl daemon-reload',
    'systemctl stop web.service',
    'systemctl enable --now web.socket',
    'curl -s http://localhost/',
  ],
});

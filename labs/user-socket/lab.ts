/**
 * Lab of the lesson "User units and lingering": give student a user manager that runs without a login
 * (lingering), move student's hello.socket into the user's runtime directory (%t), and enable it in the user
 * manager. The checks ask loginctl, the system manager (user@1000.service), the user manager through
 * `systemctl --user -M student@`, `stat` of the node, and curl run as student.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';

const USER = 'systemctl --user -M student@';
const NODE = '/run/user/1000/hello.sock';

export default defineLab({
  id: 'user-socket',
  title: 'A socket of your own',
  lesson: 'user-units',
  intro:
    "student wants a small web service of their own, on a socket only they can reach, running even when they are not logged in. Nobody logs in on this machine: you are root. (This machine's user manager is the emulator's: its log is under journalctl -u user@1000.service, the diagram shows the system manager's units only, and the D-Bus socket listens but no dbus-daemon would start.)",
  editable: ['/home/student/.config/systemd/user/hello.socket', '/home/student/.config/systemd/user/hello.service'],
  openFile: '/home/student/.config/systemd/user/hello.socket',
  hostname: 'desk',
  inPageOnly: 'user managers (systemctl --user, loginctl enable-linger) exist in the in-page runtime only.',
  goals: [
    {
      id: 'lingering',
      task: 'Give student a user manager that runs without a login.',
      hint: '`loginctl enable-linger student` starts user@1000.service now and at every boot; `loginctl list-users` shows LINGER yes.',
      check: async ({ run }) => {
        const users = (await run('loginctl list-users')).stdout;
        if (!/^\s*1000 student\s+yes$/m.test(users)) return 'student does not linger (loginctl list-users).';
        const state = (await run('systemctl is-active user@1000.service')).stdout.trim();
        return state === 'active' || `user@1000.service is ${state}.`;
      },
    },
    {
      id: 'runtime-socket',
      task: `Make student's hello.socket listen on ${NODE} (the user's runtime directory).`,
      hint: 'A user manager binds as the user, and /run is root\'s: use `ListenStream=%t/hello.sock`. Then `systemctl --user -M student@ daemon-reload` and `… restart hello.socket`.',
      check: async ({ run }) => {
        const state = (await run(`${USER} is-active hello.socket`));
        if (state.exitCode !== 0) return `student's hello.socket is ${(state.stdout + state.stderr).trim() || 'not active'}.`;
        const listen = (await run(`${USER} show -p Listen hello.socket`)).stdout.trim();
        if (listen !== `Listen=${NODE} (Stream)`) return `hello.socket listens on ${listen.replace(/^Listen=/gm, '') || 'nothing'}.`;
        const node = (await run(`stat -c '%F %U' ${NODE}`)).stdout.trim();
        return node === 'socket student' || `${NODE} is ${node || 'missing'}; systemd --user makes it as student.`;
      },
    },
    {
      id: 'answers-as-student',
      task: `Get an answer from hello.service as student (runuser -u student -- curl -s --unix-socket ${NODE} http://localhost/).`,
      hint: 'hello.service runs `/usr/local/bin/hello-user`; the user manager starts it as student on the first connection.',
      check: async ({ run }) => {
        const reply = await run(`runuser -u student -- curl -s --unix-socket ${NODE} http://localhost/`);
        return reply.stdout.includes('hello from uid 1000 (student)') || `curl got: ${(reply.stdout + reply.stderr).trim() || `nothing (exit ${reply.exitCode})`}`;
      },
    },
    {
      id: 'enabled',
      task: "Enable hello.socket in student's manager, so it listens whenever that manager runs.",
      hint: '`systemctl --user -M student@ enable hello.socket` links it under ~/.config/systemd/user/sockets.target.wants/.',
      check: async ({ run }) => {
        const state = (await run(`${USER} is-enabled hello.socket`)).stdout.trim();
        return state === 'enabled' || `hello.socket is ${state || 'unknown'} for student.`;
      },
    },
  ],
  solutionSteps: [
    'loginctl enable-linger student',
    `${USER} daemon-reload`,
    `${USER} enable --now hello.socket`,
  ],
});

/**
 * Lab of the lesson "Datagrams, FIFOs and netlink": turn notes.socket into a datagram socket with a
 * /dev link (as journald's /dev/log), and write notes-control.socket, a FIFO with its own mode and group
 * (as systemd-initctl's /run/initctl) that survives a restart. Every check reads the live machine: what
 * systemd listens on (`systemctl show -p Listen`), the nodes in the file system (`stat`), and a restart.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import { findUnit } from '../../src/lab/definition/check-helpers.ts';

const LOG = '/run/notes/log';
const CONTROL = '/run/notes/control';

export default defineLab({
  id: 'datagram-fifo',
  title: 'A datagram socket and a FIFO',
  lesson: 'other-socket-types',
  intro:
    'notes-keeper takes log lines the way journald takes them on /dev/log, and commands through a named pipe like /run/initctl. Give it a datagram socket with a /dev link, and a FIFO only root and group adm may use. (This machine delivers datagrams and FIFO writes to the sockets, and they start the services; its notes-keeper cannot read them, so they stay queued. The lesson shows real systemd and the Python notes-keeper reading them.)',
  editable: ['/etc/systemd/system/notes.socket', '/etc/systemd/system/notes-control.socket'],
  openFile: '/etc/systemd/system/notes.socket',
  hostname: 'notes',
  inPageOnly: 'this lab uses datagram and FIFO sockets, which the WebContainer runtime does not have yet.',
  goals: [
    {
      id: 'datagram-socket',
      task: `Make notes.socket listen on a datagram socket at ${LOG}.`,
      hint: 'Syslog clients send datagrams: replace `ListenStream=` with `ListenDatagram=/run/notes/log`, `systemctl daemon-reload`, then `systemctl restart notes.socket`. `systemctl show -p Listen notes.socket` says what systemd holds.',
      check: async ({ run, snapshot }) => {
        const socket = findUnit(snapshot.units, 'notes.socket');
        if (socket?.activeState !== 'active') return `notes.socket is ${socket?.activeState ?? 'not loaded'}.`;
        const listen = (await run('systemctl show -p Listen notes.socket')).stdout.trim();
        if (!listen.split('\n').includes(`Listen=${LOG} (Datagram)`)) return `systemd listens on: ${listen.replace(/^Listen=/gm, '') || 'nothing'}.`;
        const node = (await run(`stat -c %F ${LOG}`)).stdout.trim();
        return node === 'socket' || `${LOG} is ${node || 'missing'}, not a socket.`;
      },
    },
    {
      id: 'dev-link',
      task: `Have systemd create /dev/notes pointing at ${LOG}, as /dev/log points at journald's socket.`,
      hint: '`Symlinks=/dev/notes` in [Socket]: systemd creates the link when the socket starts (and removes it with RemoveOnStop=yes).',
      check: async ({ run }) => {
        const link = (await run('stat -c %N /dev/notes')).stdout.trim();
        return link === `'/dev/notes' -> '${LOG}'` || (link ? `/dev/notes is ${link}.` : '/dev/notes does not exist.');
      },
    },
    {
      id: 'note-starts-service',
      task: 'Send a note to /dev/notes with logger, so that the datagram starts notes.service.',
      hint: '`logger -u /dev/notes "first note"` sends one syslog datagram; `ss -xa` shows it queued on /run/notes/log (Recv-Q; a datagram socket with datagrams waiting shows as ESTAB, so `ss -xl` no longer lists it) and `systemctl status notes.service` that it started the service.',
      check: async ({ run }) => {
        const row = (await run('ss -xa')).stdout.split('\n').find((line) => line.includes(` ${LOG} `));
        const queued = Number(row?.trim().split(/\s+/)[2] ?? 0);
        if (!row || queued < 1) return `no datagram has reached ${LOG} yet${row ? '' : ' (it is not listening)'}.`;
        const state = (await run('systemctl is-active notes.service')).stdout.trim();
        return state === 'active' || `notes.service is ${state}.`;
      },
    },
    {
      id: 'fifo',
      task: `Make notes-control.socket a FIFO at ${CONTROL}, enabled, that root reads and group adm may only write (prw--w----).`,
      hint: '`ListenFIFO=/run/notes/control`, `SocketMode=0620`, `SocketGroup=adm`; then `systemctl daemon-reload` and `systemctl enable --now notes-control.socket`. `stat -c \'%A %U %G\' /run/notes/control` shows the node.',
      check: async ({ run, snapshot }) => {
        const socket = findUnit(snapshot.units, 'notes-control.socket');
        if (socket?.activeState !== 'active') return `notes-control.socket is ${socket?.activeState ?? 'not loaded'}.`;
        const listen = (await run('systemctl show -p Listen notes-control.socket')).stdout.trim();
        if (!listen.split('\n').includes(`Listen=${CONTROL} (FIFO)`)) return `systemd listens on: ${listen.replace(/^Listen=/gm, '') || 'nothing'}.`;
        const node = (await run(`stat -c '%A %U %G' ${CONTROL}`)).stdout.trim();
        if (node !== 'prw--w---- root adm') return `${CONTROL} is ${node || 'missing'}; it should be prw--w---- root adm.`;
        const enabled = (await run('systemctl is-enabled notes-control.socket')).stdout.trim();
        return enabled === 'enabled' || `notes-control.socket is ${enabled || 'not enabled'}: it would not listen after a reboot.`;
      },
    },
    {
      id: 'fifo-restarts',
      task: 'Make notes-control.socket survive a restart (the check stops notes-control.service, then restarts the socket).',
      hint: 'systemd 252 reopens an existing FIFO only if it is root:root with the same mode, so with SocketGroup= the restart fails ("File exists"). `RemoveOnStop=yes` removes the FIFO on stop; `rm /run/notes/control` clears the one left behind. (While notes-control.service runs, systemd refuses to start its socket at all.)',
      check: async ({ run }) => {
        await run('systemctl stop notes-control.service');
        const restart = await run('systemctl restart notes-control.socket');
        if (restart.exitCode === 0) return true;
        const log = (await run('journalctl -u notes-control.socket -n 3 --no-pager')).stdout.trim().split('\n');
        return `the restart failed: ${log.find((line) => line.includes('Failed to open FIFO'))?.replace(/^.*?: notes-control\.socket: /, '') ?? log.at(-1) ?? 'see journalctl -u notes-control.socket'}`;
      },
    },
  ],
  solutionSteps: [
    'systemctl daemon-reload',
    'systemctl restart notes.socket',
    'systemctl enable --now notes-control.socket',
    'logger -u /dev/notes "first note"',
  ],
});

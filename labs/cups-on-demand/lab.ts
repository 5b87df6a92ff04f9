/**
 * Lab of the lesson "CUPS" (/lessons/cups/): the three units Debian 12 ships for the print scheduler (cups.socket,
 * cups.path, cups.service), a print job that starts cupsd, and an idle cupsd that exits and leaves
 * the socket waiting for the next job.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import { findUnit, pathServedBySystemd, showUnit } from '../../src/lab/definition/check-helpers.ts';

const SOCKET = '/etc/systemd/system/cups.socket';
const PATH_UNIT = '/etc/systemd/system/cups.path';
const CONF = '/etc/cups/cupsd.conf';
const CUPS_SOCK = '/run/cups/cups.sock';

export default defineLab({
  id: 'cups-on-demand',
  title: 'A print scheduler that runs only while there is work',
  lesson: 'cups',
  intro:
    'This machine has a cupsd stand-in that prints documents POSTed to /printers/lab (to nowhere) and follows the real scheduler\'s on-demand rules. cups.service is Debian\'s; cups.socket and cups.path are unfinished.',
  hostname: 'printhost',
  editable: [SOCKET, PATH_UNIT, CONF],
  openFile: SOCKET,
  goals: [
    {
      id: 'socket-listens',
      task: `Make cups.socket listen on ${CUPS_SOCK}, remove the file when it stops, and start it.`,
      hint: `Add \`ListenStream=${CUPS_SOCK}\` and \`RemoveOnStop=on\` to [Socket], then \`systemctl daemon-reload\` and \`systemctl enable --now cups.socket\`.`,
      check: async ({ run, snapshot }) => {
        const loaded = findUnit(snapshot.units, 'cups.socket')?.loadState;
        if (loaded !== 'loaded') return `cups.socket is ${loaded ?? 'not loaded'}: see systemd-analyze verify ${SOCKET}, then systemctl daemon-reload.`;
        const { RemoveOnStop } = await showUnit(run, 'cups.socket', ['RemoveOnStop']);
        if (RemoveOnStop[0] !== 'yes') return `systemctl show says RemoveOnStop=${RemoveOnStop[0] ?? '?'} for cups.socket (daemon-reload after saving).`;
        const socket = findUnit(snapshot.units, 'cups.socket');
        if (!(socket?.listen ?? []).some((listen) => listen.address === CUPS_SOCK)) return `cups.socket does not listen on ${CUPS_SOCK}.`;
        if (socket?.activeState !== 'active') return `cups.socket is ${socket?.activeState ?? 'not loaded'}.`;
        return pathServedBySystemd(run, CUPS_SOCK, 'cups.socket');
      },
    },
    {
      id: 'path-watches',
      task: 'Make cups.path start the scheduler whenever /var/cache/cups/org.cups.cupsd exists, and start it.',
      hint: 'Add `PathExists=/var/cache/cups/org.cups.cupsd` to [Path], then `systemctl daemon-reload` and `systemctl enable --now cups.path`.',
      check: async ({ run, snapshot }) => {
        const loaded = findUnit(snapshot.units, 'cups.path')?.loadState;
        if (loaded !== 'loaded') return `cups.path is ${loaded ?? 'not loaded'}: see systemd-analyze verify ${PATH_UNIT}, then systemctl daemon-reload.`;
        const { Paths } = await showUnit(run, 'cups.path', ['Paths']);
        if (!Paths.includes('/var/cache/cups/org.cups.cupsd (PathExists)')) return `systemctl show -p Paths cups.path says ${Paths.join(', ') || 'nothing'} (daemon-reload after saving).`;
        const path = findUnit(snapshot.units, 'cups.path');
        return path?.activeState === 'active' || `cups.path is ${path?.activeState ?? 'not loaded'}.`;
      },
    },
    {
      id: 'print-starts-cupsd',
      task: 'Print something through the socket and let the job start the scheduler.',
      hint: `Run \`curl --unix-socket ${CUPS_SOCK} --data-binary @/etc/hostname http://localhost/printers/lab\`. \`journalctl -u cups.service\` shows the job.`,
      check: ({ snapshot }) => {
        const done = snapshot.journal.some((entry) => entry.unit === 'cups.service' && /\[Job \d+\] Completed successfully/.test(entry.message));
        return done || 'No print job has completed yet.';
      },
    },
    {
      id: 'idle-exit',
      task: 'Let an idle scheduler exit by itself while cups.socket keeps listening for the next job.',
      hint: `Set \`WebInterface No\` in ${CONF} (Debian's default Yes keeps cupsd running), restart cups.service, print again and wait a few seconds.`,
      check: ({ snapshot }) => {
        const exited = snapshot.journal.some((entry) => entry.unit === 'cups.service' && entry.message.includes('will restart on demand'));
        if (!exited) return 'cupsd has not exited on idle yet.';
        const service = findUnit(snapshot.units, 'cups.service');
        const socket = findUnit(snapshot.units, 'cups.socket');
        if (socket?.activeState !== 'active') return `cups.socket is ${socket?.activeState ?? 'not loaded'}.`;
        return service?.activeState === 'inactive' || `cups.service is ${service?.activeState ?? 'not loaded'} (print again if it restarted).`;
      },
    },
  ],
  solutionSteps: [
    'systemctl daemon-reload',
    'systemctl enable --now cups.socket cups.path',
    'curl -s --unix-socket /run/cups/cups.sock --data-binary @/etc/hostname http://localhost/printers/lab',
    'sleep 4',
  ],
});

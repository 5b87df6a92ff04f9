/**
 * Lab of the lesson "Stopping and debugging": the packaged report.socket keeps bringing report.service
 * back; stop it for good, keep it off at boot, mask the service. Then find with the debugging
 * toolkit why your own metrics.socket did not start at boot, and fix it.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import { findUnit } from '../../src/lab/definition/check-helpers.ts';

const METRICS_SOCKET = '/etc/systemd/system/metrics.socket';
const METRICS_SERVICE = '/etc/systemd/system/metrics.service';
/** States in which a unit still runs or is about to. */
const RUNNING = new Set(['active', 'activating', 'deactivating', 'reloading']);

export default defineLab({
  id: 'it-came-back',
  title: 'It came back',
  lesson: 'stopping-and-debugging',
  intro:
    'report.socket and report.service come with a package; metrics.socket and metrics.service are yours. Take report down for good, then find out why metrics is not listening.',
  editable: [METRICS_SOCKET, METRICS_SERVICE],
  openFile: METRICS_SOCKET,
  hostname: 'it-came-back',
  goals: [
    {
      id: 'report-stays-down',
      task: 'Stop report so that a connection to 127.0.0.1:8080 does not bring it back.',
      hint: 'Stopping only report.service leaves report.socket listening (systemctl warns: "it can still be activated by"). Stop both in one command: `systemctl stop report.socket report.service`.',
      check: async ({ run, snapshot }) => {
        for (const name of ['report.socket', 'report.service']) {
          const unit = findUnit(snapshot.units, name);
          if (unit && RUNNING.has(unit.activeState)) return `${name} is ${unit.activeState} (${unit.subState}).`;
        }
        const reply = await run('curl -s --max-time 3 http://127.0.0.1:8080/');
        return reply.exitCode !== 0 || `curl still got an answer: ${reply.stdout.trim()}`;
      },
    },
    {
      id: 'report-off-at-boot',
      task: 'Keep report.socket from being started at the next boot.',
      hint: 'sockets.target pulls it in through /etc/systemd/system/sockets.target.wants/report.socket: `systemctl disable report.socket` removes that link. `systemctl is-enabled report.socket` then says disabled.',
      check: async ({ run }) => {
        const state = (await run('systemctl is-enabled report.socket')).stdout.trim();
        return state === 'disabled' || state === 'masked' || `systemctl is-enabled report.socket says ${state || 'nothing'}.`;
      },
    },
    {
      id: 'report-masked',
      task: 'Mask report.service so that nothing can start it, not even systemctl start.',
      hint: '`systemctl mask report.service` links /etc/systemd/system/report.service to /dev/null, which hides the packaged file in /lib/systemd/system. `systemctl unmask` undoes it.',
      check: async ({ run }) => {
        const state = (await run('systemctl is-enabled report.service')).stdout.trim();
        if (state !== 'masked') return `systemctl is-enabled report.service says ${state || 'nothing'}.`;
        const load = (await run('systemctl show -p LoadState --value report.service')).stdout.trim();
        return load === 'masked' || `report.service is still loaded as "${load}".`;
      },
    },
    {
      id: 'metrics-answers',
      task: 'Find out why metrics.socket is not listening, fix it, and get an answer from 127.0.0.1:9100.',
      hint: '`systemctl status metrics.socket` and `journalctl -u metrics.socket` say which service it could not find; `systemd-analyze verify /etc/systemd/system/metrics.socket` says it too. Fix Service= (or drop it), `systemctl daemon-reload`, `systemctl start metrics.socket`, then `curl http://127.0.0.1:9100/`.',
      check: async ({ run, snapshot }) => {
        const reply = await run('curl -s --max-time 3 http://127.0.0.1:9100/');
        if (!reply.stdout.includes('metrics.socket')) return `curl printed: ${(reply.stdout + reply.stderr).trim() || 'nothing'}`;
        const socket = (await run('systemctl show -p ActiveState,Triggers metrics.socket')).stdout;
        if (!socket.includes('ActiveState=active')) return 'metrics.socket is not active.';
        if (!socket.includes('Triggers=metrics.service')) return `metrics.socket does not trigger metrics.service:\n${socket.trim()}`;
        // The snapshot is from before this check's curl: the learner's own connection started the service.
        const service = findUnit(snapshot.units, 'metrics.service');
        if (service?.activeState !== 'active') return 'metrics.service has not been started through the socket yet: connect to 127.0.0.1:9100.';
        const fds = service.fds ?? [];
        return fds.some((fd) => fd.fd === 3 && fd.socket === 'metrics.socket') || `metrics.service got: ${fds.map((fd) => `fd ${fd.fd} from ${fd.socket}`).join(', ') || 'no descriptors'}.`;
      },
    },
  ],
  solutionSteps: [
    'systemctl stop report.socket report.service',
    'systemctl disable report.socket',
    'systemctl mask report.service',
    'systemctl daemon-reload',
    'systemctl start metrics.socket',
    'curl -s http://127.0.0.1:9100/',
  ],
});

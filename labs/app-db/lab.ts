/**
 * Lab of the lesson "Dependencies, restarts and limits" (/lessons/dependencies-and-limits/): an app
 * that reaches its database through a socket without any ordering, and a broken service whose
 * socket-triggered restart loop systemd stops with the start limit (real systemd 252 ends it with
 * "report.socket: Failed with result 'service-start-limit-hit'."), then recovered.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import { findUnit, printed, showUnit } from '../../src/lab/definition/check-helpers.ts';

const APP_SERVICE = '/etc/systemd/system/app.service';
const REPORT_SERVICE = '/etc/systemd/system/report.service';

export default defineLab({
  id: 'app-db',
  title: 'No ordering needed, and a loop that stops itself',
  lesson: 'dependencies-and-limits',
  intro:
    'Nothing runs yet: app.socket (port 8080), db.socket (/run/db.sock) and report.socket (port 9090) are installed but not started, so nothing answers on 8080 until you start them. The app asks the database for every request; report.service has a bug. Remove the ordering the app does not need, start the sockets, then watch systemd stop the report service\'s crash loop and recover it.',
  hostname: 'appserver',
  editable: [APP_SERVICE, REPORT_SERVICE],
  openFile: APP_SERVICE,
  goals: [
    {
      id: 'no-ordering',
      task: 'Drop Requires=/After= db.service from app.service and get an answer from the database through the app.',
      hint: 'Delete the two db.service lines, `systemctl daemon-reload`, `systemctl start db.socket app.socket`, then `curl http://localhost:8080/`: the app connects to /run/db.sock and the connection starts db.service.',
      check: async ({ run, snapshot }) => {
        // What systemd loaded (drop-ins included), not what the file says.
        const deps = await showUnit(run, 'app.service', ['Requires', 'Wants', 'After']);
        const named = Object.entries(deps).filter(([, values]) => values.join(' ').split(' ').includes('db.service')).map(([name]) => name);
        if (named.length > 0) return `systemd still has ${named.map((name) => `${name}=db.service`).join(' and ')} for app.service (daemon-reload after saving).`;
        const db = findUnit(snapshot.units, 'db.service');
        if (db?.activeState === 'active' && !(db.fds ?? []).some((fd) => fd.socket === 'db.socket')) return 'db.service runs without its socket from db.socket.';
        const reply = await run('curl -s --max-time 3 http://localhost:8080/');
        return reply.stdout.includes('the database says PONG') || printed('curl', reply);
      },
    },
    {
      id: 'start-limit-seen',
      task: 'Let a connection drive report.service into its start limit, and read in the journal how systemd stops the loop.',
      hint: 'While it is broken: `systemctl start report.socket`, `curl http://127.0.0.1:9090/`. The queued connection starts report.service again and again; `journalctl -u report.service -u report.socket` ends with "report.service: Start request repeated too quickly." and "report.socket: Failed with result \'service-start-limit-hit\'."',
      check: ({ snapshot }) => {
        const limit = snapshot.journal.some((entry) => entry.unit === 'report.service' && entry.message.includes('Start request repeated too quickly.'));
        if (!limit) return 'report.service has not hit its start limit yet.';
        // Only the socket-triggered loop fails the socket; restarting the service by hand does not.
        return snapshot.journal.some((entry) => entry.unit === 'report.socket' && entry.message.includes("Failed with result 'service-start-limit-hit'")) ||
          'report.service hit its start limit, but not from report.socket: start the socket and connect to port 9090 while the service is broken.';
      },
    },
    {
      id: 'report-recovered',
      task: 'Fix report.service, reset the failed units, and get a report through port 9090.',
      hint: 'Pass `--config /opt/report/report.conf` in ExecStart=, `systemctl daemon-reload`, `systemctl reset-failed report.socket report.service`, `systemctl start report.socket`, then curl again.',
      check: async ({ run, snapshot }) => {
        const socket = findUnit(snapshot.units, 'report.socket');
        if (!socket) return 'report.socket is not started yet.';
        if (socket.activeState !== 'active') return `report.socket is ${socket.activeState} (${socket.result}): systemctl reset-failed report.socket report.service, then systemctl start report.socket.`;
        const reply = await run('curl -s --max-time 3 http://127.0.0.1:9090/');
        return reply.stdout.includes('3 orders today') || printed('curl', reply);
      },
    },
  ],
  // The loop needs the broken report.service: the learner drives it before fixing the file.
  stepsBeforeSolution: ['systemctl start report.socket', 'curl -s --max-time 3 http://127.0.0.1:9090/', 'sleep 1'],
  solutionSteps: [
    'systemctl daemon-reload',
    'systemctl start db.socket app.socket',
    'curl -s http://localhost:8080/',
    'systemctl reset-failed report.socket report.service',
    'systemctl start report.socket',
    'curl -s http://127.0.0.1:9090/',
  ],
});

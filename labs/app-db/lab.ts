/**
 * Lab of lesson 9 "Dependencies, restarts and limits": an app that reaches its database through a
 * socket without any ordering, and a broken service that runs into the start limit and is recovered.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import { findUnit } from '../../src/lab/definition/check-helpers.ts';

const APP_SERVICE = '/etc/systemd/system/app.service';
const REPORT_SERVICE = '/etc/systemd/system/report.service';

/** Every value of `key=` in a unit file's text (dependency lists append). */
function values(text: string, key: string): string[] {
  return [...text.matchAll(new RegExp(`^\\s*${key}\\s*=\\s*(.*?)\\s*$`, 'gm'))].flatMap((match) => match[1].split(/\s+/));
}

export default defineLab({
  id: 'app-db',
  title: 'No ordering needed, and a loop that stops itself',
  lesson: 'dependencies-and-limits',
  intro:
    'app.service answers HTTP on port 8080 and asks a database on /run/db.sock for every request. report.service has a bug. Remove the ordering the app does not need, then watch systemd stop the report service\'s crash loop and recover it.',
  hostname: 'appserver',
  editable: [APP_SERVICE, REPORT_SERVICE],
  openFile: APP_SERVICE,
  goals: [
    {
      id: 'no-ordering',
      task: 'Drop Requires=/After= db.service from app.service and get an answer from the database through the app.',
      hint: 'Delete the two db.service lines, `systemctl daemon-reload`, `systemctl start db.socket app.socket`, then `curl http://localhost:8080/`: the app connects to /run/db.sock and the connection starts db.service.',
      check: async ({ readFile, snapshot }) => {
        const text = (await readFile(APP_SERVICE)) ?? '';
        const deps = [...values(text, 'Requires'), ...values(text, 'After'), ...values(text, 'Wants')];
        if (deps.includes('db.service')) return 'app.service still names db.service.';
        if (!snapshot.journal.some((entry) => entry.unit === 'app.service' && entry.message.includes('the database answered PONG'))) return 'The app has not got PONG from the database yet.';
        const db = findUnit(snapshot.units, 'db.service');
        return (db?.fds ?? []).some((fd) => fd.socket === 'db.socket') || 'db.service did not get its socket from db.socket.';
      },
    },
    {
      id: 'start-limit-seen',
      task: 'Drive report.service into its start limit and read in the journal how systemd stops the loop.',
      hint: 'While it is broken: `systemctl start report.socket`, `curl http://127.0.0.1:9090/`. Or start it six times within 10 s (`systemctl restart report.service`). Then `journalctl -u report.service -u report.socket`: look for "Start request repeated too quickly."',
      check: ({ snapshot }) => {
        const limit = snapshot.journal.some((entry) => entry.unit === 'report.service' && entry.message.includes('Start request repeated too quickly.'));
        return limit || 'report.service has not hit its start limit yet.';
      },
    },
    {
      id: 'report-recovered',
      task: 'Fix report.service, reset the failed units, and get a report through port 9090.',
      hint: 'Pass `--config /opt/report/report.conf` in ExecStart=, `systemctl daemon-reload`, `systemctl reset-failed report.socket report.service`, `systemctl start report.socket`, then curl again.',
      check: ({ snapshot }) => {
        const socket = findUnit(snapshot.units, 'report.socket');
        if (socket?.activeState !== 'active') return `report.socket is ${socket?.activeState ?? 'not loaded'} (${socket?.result ?? '-'}).`;
        return snapshot.journal.some((entry) => entry.unit === 'report.service' && entry.message.includes('sent a report')) || 'report.service has not sent a report yet.';
      },
    },
  ],
  solutionSteps: [
    'systemctl daemon-reload',
    'systemctl start db.socket app.socket',
    'curl -s http://localhost:8080/',
    'systemctl start report.socket',
    'systemctl restart report.service',
    'systemctl restart report.service',
    'systemctl restart report.service',
    'systemctl restart report.service',
    'systemctl restart report.service',
    'systemctl restart report.service',
    'systemctl reset-failed report.socket report.service',
    'systemctl start report.socket',
    'curl -s http://127.0.0.1:9090/',
  ],
});

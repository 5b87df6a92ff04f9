import * as fs from 'node:fs';
import { defineScenario } from '../scenario.ts';

/** A file of the proxyd lab's solution. */
const solution = (path: string): string => fs.readFileSync(new URL(`../../../labs/proxyd/solution${path}`, import.meta.url), 'utf8');

export default defineScenario({
  id: 'lesson-socket-proxyd-1',
  about: 'systemd-socket-proxyd in front of a program that binds its own port: without a readiness wait the first request is refused',
  lab: 'proxyd',
  steps: [
    { sleep: 1000 },
    'systemctl is-active legacy.service',
    'curl -s http://127.0.0.1:8081/',
    { write: '/etc/systemd/system/legacy-proxy.socket', content: solution('/etc/systemd/system/legacy-proxy.socket') },
    { write: '/etc/systemd/system/legacy-proxy.service', content: solution('/etc/systemd/system/legacy-proxy.service') },
    'systemctl disable --now legacy.service',
    'systemctl daemon-reload',
    'systemctl enable --now legacy-proxy.socket',
    'curl -sS http://127.0.0.1:8080/',
    { sleep: 1000 },
    'journalctl -u legacy-proxy.service -u legacy.service --no-pager -n 4',
  ],
});

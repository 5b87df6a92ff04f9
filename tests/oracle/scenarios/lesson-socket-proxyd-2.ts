import * as fs from 'node:fs';
import { defineScenario } from '../scenario.ts';

/** A file of the proxyd lab's solution. */
const solution = (path: string): string => fs.readFileSync(new URL(`../../../labs/proxyd/solution${path}`, import.meta.url), 'utf8');

export default defineScenario({
  id: 'lesson-socket-proxyd-2',
  about: 'The proxyd lab solved: the socket starts the proxy, the proxy starts legacy (ready through ExecStartPost=), both stop when idle',
  lab: 'proxyd',
  files: {
    '/etc/systemd/system/legacy-proxy.socket': solution('/etc/systemd/system/legacy-proxy.socket'),
    '/etc/systemd/system/legacy-proxy.service': solution('/etc/systemd/system/legacy-proxy.service'),
  },
  steps: [
    { write: '/etc/systemd/system/legacy.service', content: solution('/etc/systemd/system/legacy.service') },
    'systemctl disable --now legacy.service',
    'systemctl daemon-reload',
    'systemctl enable --now legacy-proxy.socket',
    'curl -sS http://127.0.0.1:8080/',
    'curl -sS http://127.0.0.1:8080/',
    'systemctl is-active legacy-proxy.service legacy.service',
    'ss -tlpn',
    { sleep: 4000 },
    'systemctl is-active legacy-proxy.service legacy.service legacy-proxy.socket',
    'journalctl -u legacy-proxy.service -u legacy.service --no-pager',
    'curl -sS http://127.0.0.1:8080/',
  ],
});

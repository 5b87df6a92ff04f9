import { defineScenario } from '../scenario.ts';

const SLOW = { mode: 0o755, content: '#!/usr/bin/env node\nconsole.log("slow: waiting");\nsetTimeout(() => {}, 20000);\n' };
const unit = (description: string, service: string) => `[Unit]\nDescription=${description}\n\n[Service]\n${service}TimeoutStartSec=1s\n`;

export default defineScenario({
  id: 'start-timeout-every-type',
  about: 'TimeoutStartSec= bounds every start phase: a oneshot ExecStart=, a forking parent that never exits, an ExecStartPre= and an ExecStartPost= that hang',
  files: {
    '/opt/x/slow': SLOW,
    '/etc/systemd/system/one.service': unit('oneshot', 'Type=oneshot\nExecStart=/opt/x/slow\n'),
    '/etc/systemd/system/fork.service': unit('forking', 'Type=forking\nExecStart=/opt/x/slow\n'),
    '/etc/systemd/system/pre.service': unit('pre', 'ExecStartPre=/opt/x/slow\nExecStart=/opt/x/slow\n'),
    '/etc/systemd/system/post.service': unit('post', 'ExecStart=/opt/x/slow\nExecStartPost=/opt/x/slow\n'),
  },
  steps: [
    { run: 'systemctl start one.service', timeout: 10000 },
    { run: 'systemctl start fork.service', timeout: 10000 },
    { run: 'systemctl start pre.service', timeout: 10000 },
    { run: 'systemctl start post.service', timeout: 10000 },
    'systemctl show -p Result -p ActiveState one.service fork.service pre.service post.service',
    'journalctl -u one.service -u fork.service -u pre.service -u post.service --no-pager -o cat',
  ],
});

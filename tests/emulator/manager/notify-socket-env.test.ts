/**
 * NOTIFY_SOCKET is given by PID 1 (service_spawn()) only to services whose NotifyAccess= is not none: a Type=simple
 * service's sd_notify() sends nothing, so systemd 252 logs no "reception is disabled" for it (oracle scenario
 * dbus-bus-solution: Debian's dbus-daemon run as Type=simple), while a Type=notify one is heard.
 */
import { describe, expect, it } from 'vitest';
import { bootMemoryMachine, type LabSystem } from '../../../src/emulator/machine/lab-system.ts';

async function run(lab: LabSystem, line: string): Promise<string> {
  let out = '';
  await lab.runCommandLine(line, { stdout: (t) => (out += t), stderr: (t) => (out += t), signal: new AbortController().signal, columns: 200 });
  return out;
}

const NOTIFIER = `#!/usr/bin/env node
const sd = require('sd-daemon');
console.log('NOTIFY_SOCKET ' + (process.env.NOTIFY_SOCKET ?? 'unset'));
sd.notify('READY=1');
setInterval(() => {}, 1000);
`;

describe('NOTIFY_SOCKET on the memory kernel', () => {
  it('is unset for Type=simple (no refusal logged) and set for Type=notify', async () => {
    const lab = await bootMemoryMachine({
      '/opt/n/n': NOTIFIER,
      '/etc/systemd/system/simple.service': '[Service]\nType=simple\nExecStart=/opt/n/n\n',
      '/etc/systemd/system/notify.service': '[Service]\nType=notify\nExecStart=/opt/n/n\n',
    }, 'lab');
    await run(lab, 'systemctl start simple.service notify.service');
    await run(lab, 'sleep 0.3');
    const simple = await run(lab, 'journalctl -u simple.service -o cat --no-pager');
    expect(simple).toContain('NOTIFY_SOCKET unset');
    expect(simple).not.toContain('reception is disabled');
    expect(await run(lab, 'journalctl -u notify.service -o cat --no-pager')).toContain('NOTIFY_SOCKET /run/systemd/notify');
    expect(await run(lab, 'systemctl is-active notify.service')).toBe('active\n');
  });
});

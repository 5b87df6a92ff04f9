/**
 * journald's rate limit on a flooding service, as systemd 252 shows it: the oracle ran the same program
 * (60,000 lines in 0.6 s, then one line 31 s later) and logged `systemd-journald[17]: Suppressed 22500
 * messages from flood.service` before `after pause` (its burst was 37500: journald scales the burst with
 * free disk space; the emulator keeps RateLimitBurst=10000).
 */
import { describe, expect, it } from 'vitest';
import { createDefaultSystem } from '../../../src/emulator/commands/index.ts';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import { Journal, MAX_ENTRIES } from '../../../src/emulator/manager/journal.ts';

const FLOOD = "let i = 0;\nconst t = setInterval(() => {\n  for (let k = 0; k < 1000; k++) console.log('line ' + i++);\n  if (i >= 60000) { clearInterval(t); setTimeout(() => console.log('after pause'), 31000); }\n}, 10);\n";

describe('journal rate limiting', () => {
  it('keeps RateLimitBurst= lines per RateLimitIntervalSec=, then says how many it suppressed', async () => {
    const k = createMemoryKernel({ files: { '/etc/systemd/system/flood.service': '[Service]\nExecStart=/usr/bin/node /opt/flood.js\n', '/opt/flood.js': FLOOD } });
    const system = createDefaultSystem(k);
    await system.boot();
    const io = (out: string[]) => ({ stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), signal: new AbortController().signal });
    expect(await system.runCommand(['systemctl', 'start', 'flood.service'], io([]))).toBe(0);
    await k.advance(40_000);
    const entries = system.manager.journal.entries.filter((e) => e.unit === 'flood.service');
    expect(entries.filter((e) => e.message.startsWith('line ')).length).toBe(10_000);
    const out: string[] = [];
    await system.runCommand(['journalctl', '-u', 'flood.service', '--no-pager'], io(out));
    const lines = out.join('').split('\n').filter((line) => !/ node\[\d+\]: line /.test(line) && line !== '');
    expect(lines.map((line) => line.replace(/^\w{3} \d\d \d\d:\d\d:\d\d lab /, ''))).toEqual([
      'systemd[1]: Started flood.service.',
      'systemd-journald[17]: Suppressed 50000 messages from flood.service',
      expect.stringMatching(/^node\[\d+\]: after pause$/),
      'systemd[1]: flood.service: Deactivated successfully.',
    ]);
  });

  it("counts each priority group apart, so a flood of info lines does not hide the unit's errors", () => {
    const journal = new Journal({ rateLimitBurst: 3 });
    const at = (message: string, priority: number) => journal.append({ timestamp: 0, unit: 'x.service', identifier: 'x', pid: 5, message, priority });
    for (let i = 0; i < 10; i++) at(`info ${i}`, 6);
    at('an error', 3);
    expect(journal.entries.map((e) => e.message)).toEqual(['info 0', 'info 1', 'info 2', 'an error']);
  });

  it('keeps the newest entries only, so a flood cannot grow memory without end', () => {
    const journal = new Journal({ rateLimitBurst: 0 });
    for (let i = 0; i < MAX_ENTRIES * 2; i++) journal.append({ timestamp: i, unit: 'x.service', identifier: 'x', pid: 5, message: `m${i}`, priority: 6 });
    expect(journal.entries.length).toBeLessThanOrEqual(MAX_ENTRIES * 1.1);
    expect(journal.entries[journal.entries.length - 1].message).toBe(`m${MAX_ENTRIES * 2 - 1}`);
  });
});

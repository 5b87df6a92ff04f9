/**
 * Journal order on the in-memory kernel: systemd logs "Started x.service - X." for a Type=simple service right after
 * fork()/exec (service_enter_start() → service_enter_running() in the same call), so the program's own first
 * lines always come after it. The memory kernel starts programs on a microtask after spawn() returned.
 */
import { describe, expect, it } from 'vitest';
import { createDefaultSystem } from '../../../src/emulator/commands/index.ts';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';

describe('journal order with the in-memory kernel', () => {
  it('a Type=simple Node service prints after "Started x.service - X.", with no "Starting x.service - X..."', async () => {
    const k = createMemoryKernel({
      files: {
        '/etc/systemd/system/hello.service': '[Unit]\nDescription=Hello\n[Service]\nExecStart=/usr/bin/node /opt/hello.js\n',
        '/opt/hello.js': "console.log('first line');\nsetTimeout(() => {}, 1000);\n",
      },
    });
    const system = createDefaultSystem(k);
    const io = { stdout: () => {}, stderr: () => {}, signal: new AbortController().signal };
    expect(await system.runCommand(['systemctl', 'start', 'hello.service'], io)).toBe(0);
    for (let i = 0; i < 50; i++) await Promise.resolve();
    const messages = system.manager.journal.entries.filter((e) => e.unit === 'hello.service').map((e) => e.message);
    expect(messages.slice(0, 2)).toEqual(['Started hello.service - Hello.', 'first line']);
  });
});

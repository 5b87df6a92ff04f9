/**
 * User= and DynamicUser= on the memory kernel, as systemd 252 runs them (tests/oracle/golden/lesson-security-*.json
 * and service-user-unknown.json): the process runs with the user's uid and USER=, a dynamic user gets a UID in
 * 61184–65519 named after the unit, and an unknown User= makes the main process exit with 217/USER.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import { createDefaultSystem } from '../../../src/emulator/commands/index.ts';
import { registerShellCommands } from '../../../src/emulator/commands/shell-commands.ts';
import { createShell } from '../../../src/emulator/shell/run-command-line.ts';
import { DYNAMIC_UID_MAX, DYNAMIC_UID_MIN, dynamicUid, siphash24 } from '../../../src/emulator/manager/dynamic-user.ts';

const WHO = `#!/usr/bin/env node
require('net').createServer((c) => c.end(\`uid \${process.getuid()} USER=\${process.env.USER} HOME=\${process.env.HOME}\\n\`)).listen({ fd: 3 });
`;

async function boot(service: string) {
  const kernel = createMemoryKernel({
    clock: 'real',
    files: {
      '/etc/systemd/system/who.socket': '[Socket]\nListenStream=/run/who.sock\n',
      '/etc/systemd/system/who.service': `[Service]\nExecStart=/usr/local/bin/who\n${service}`,
      '/usr/local/bin/who': WHO,
    },
  });
  const system = createDefaultSystem(kernel);
  registerShellCommands(system);
  await system.boot();
  const shell = createShell(system, { USER: 'root', HOME: '/root' });
  const run = async (line: string): Promise<{ status: number; out: string }> => {
    let out = '';
    const status = await shell.run(line, { stdout: (t) => (out += t), stderr: (t) => (out += t), signal: new AbortController().signal });
    return { status, out };
  };
  return { system, run };
}

describe('dynamic UIDs', () => {
  it('computes SipHash-2-4 (the reference test vector: key 00…0f, message 00…0e)', () => {
    expect(siphash24(Uint8Array.from({ length: 15 }, (_, i) => i), Array.from({ length: 16 }, (_, i) => i)).toString(16)).toBe('a129ca6149be45e5');
  });

  it('gives `web` the UID systemd 252 gave it (tests/oracle/golden/lesson-security-3.json)', () => {
    expect(dynamicUid('web')).toBe(63404);
  });
});

describe('User= and DynamicUser=', () => {
  it('runs the service as User= with its uid and USER', async () => {
    const { system, run } = await boot('User=www-data\n');
    await run('systemctl start who.socket');
    expect((await run('nc -U /run/who.sock')).out).toBe('uid 33 USER=www-data HOME=/home/www-data\n');
    await system.shutdown();
  });

  it('makes up a user named after the unit for DynamicUser=yes, and systemctl show names it', async () => {
    const { system, run } = await boot('DynamicUser=yes\n');
    await run('systemctl start who.socket');
    const uid = dynamicUid('who');
    expect(uid).toBeGreaterThanOrEqual(DYNAMIC_UID_MIN);
    expect(uid).toBeLessThanOrEqual(DYNAMIC_UID_MAX);
    expect((await run('nc -U /run/who.sock')).out).toBe(`uid ${uid} USER=who HOME=/\n`);
    expect((await run('systemctl show -p User,DynamicUser who.service')).out).toBe('User=who\nDynamicUser=yes\n');
    await system.shutdown();
  });

  it('names the dynamic user after User= when both are set', async () => {
    const { system, run } = await boot('DynamicUser=yes\nUser=hello\n');
    await run('systemctl start who.socket');
    expect((await run('nc -U /run/who.sock')).out).toBe(`uid ${dynamicUid('hello')} USER=hello HOME=/\n`);
    await system.shutdown();
  });

  it('fails the main process with 217/USER when User= does not exist', async () => {
    const { system, run } = await boot('User=nosuchuser\n');
    await run('systemctl start who.service');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await run('systemctl is-active who.service')).out).toBe('failed\n');
    expect((await run('journalctl -u who.service -o cat')).out).toContain('who.service: Main process exited, code=exited, status=217/USER\n');
    await system.shutdown();
  });
});

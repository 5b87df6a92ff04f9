import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NspawnMachine, nspawnUnavailable } from './nspawn-machine.ts';
import { defineScenario } from './scenario.ts';

describe('defineScenario', () => {
  it('returns a well-formed scenario unchanged', () => {
    const scenario = { id: 'x-ok', about: 'a', steps: ['systemctl daemon-reload', { sleep: 10 }] };
    expect(defineScenario(scenario)).toBe(scenario);
  });
  it('refuses an id that is not kebab-case, empty steps, a relative path and an unknown step', () => {
    expect(() => defineScenario({ id: 'X_1', about: 'a', steps: ['true'] })).toThrow(/kebab-case/);
    expect(() => defineScenario({ id: 'x', about: 'a', steps: [] })).toThrow(/steps is empty/);
    expect(() => defineScenario({ id: 'x', about: 'a', files: { 'etc/x': '' }, steps: ['true'] })).toThrow(/absolute/);
    expect(() => defineScenario({ id: 'x', about: 'a', steps: [{ nap: 1 } as never] })).toThrow(/step 0/);
  });
});

const unavailable = nspawnUnavailable();
if (unavailable) console.warn(`nspawn-machine tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('NspawnMachine (real systemd 252 in a throw-away container)', () => {
  let machine: NspawnMachine | undefined;
  beforeAll(async () => {
    machine = await NspawnMachine.boot();
  }, 90_000);
  afterAll(async () => {
    await machine?.shutdown();
  }, 30_000);

  it('boots systemd as PID 1 and runs a command line with its stdout, stderr and exit code', async () => {
    expect(fs.readFileSync(`/proc/${machine!.pid1}/comm`, 'utf8').trim()).toBe('systemd');
    const result = await machine!.run('echo out; echo err >&2; exit 3');
    expect(result).toEqual({ stdout: 'out\n', stderr: 'err\n', exitCode: 3, timedOut: false });
    const version = await machine!.run('systemctl --version');
    expect(version.stdout).toMatch(/^systemd 252 /);
  });

  it('writes a file with its mode, creating parent folders', async () => {
    await machine!.writeFile('/opt/oracle-test/run.sh', '#!/bin/sh\necho ran\n', 0o755);
    const result = await machine!.run('stat -c %a /opt/oracle-test/run.sh && /opt/oracle-test/run.sh');
    expect(result.stdout).toBe('755\nran\n');
  });

  it('kills a command line that runs past its timeout', async () => {
    const result = await machine!.run('sleep 30', { timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBe(137);
  });

  it('leaves nothing running after shutdown', async () => {
    const pid1 = machine!.pid1;
    await machine!.shutdown();
    expect(fs.existsSync(`/proc/${pid1}`)).toBe(false);
    await machine!.shutdown(); // idempotent
  }, 30_000);
});

describe.skipIf(unavailable !== undefined)('NspawnMachine boot errors', () => {
  it('a root without systemd is refused before anything is started', async () => {
    await expect(NspawnMachine.boot({ root: '/nonexistent-oracle-root' })).rejects.toThrow(/no root file system with systemd/);
  });
});

describe.skipIf(unavailable !== undefined)('NspawnMachine with starting files', () => {
  it('has the files in place when PID 1 starts (a unit linked into sockets.target.wants is listening), and removes its overlay', async () => {
    const machine = await NspawnMachine.boot({
      hostname: 'files-lab',
      files: [
        { path: '/etc/systemd/system/t.socket', kind: 'file', content: '[Socket]\nListenStream=127.0.0.1:7001\n', mode: 0o644 },
        { path: '/etc/systemd/system/t.service', kind: 'file', content: '[Service]\nExecStart=/bin/true\n', mode: 0o644 },
        { path: '/etc/systemd/system/sockets.target.wants/t.socket', kind: 'symlink', target: '/etc/systemd/system/t.socket' },
        { path: '/lib/systemd/system/u.service', kind: 'file', content: '[Service]\nExecStart=/bin/true\n', mode: 0o644 },
      ],
    });
    // Only this machine's own overlay counts: other tests boot containers at the same time.
    const overlay = machine.overlay;
    try {
      expect((await machine.run('systemctl is-active t.socket')).stdout).toBe('active\n');
      expect((await machine.run('hostname')).stdout).toBe('files-lab\n');
      // /lib is a link into /usr on Debian 12: the file went through it and /lib still works
      expect((await machine.run('readlink /lib; cat /usr/lib/systemd/system/u.service')).stdout).toBe('usr/lib\n[Service]\nExecStart=/bin/true\n');
      expect(overlay !== undefined && fs.existsSync(overlay)).toBe(true);
    } finally {
      await machine.shutdown();
    }
    expect(fs.readFileSync('/proc/self/mounts', 'utf8')).not.toContain(`${overlay}/merged`);
    expect(fs.existsSync(overlay!)).toBe(false);
  }, 90_000);
});

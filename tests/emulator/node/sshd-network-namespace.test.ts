/**
 * Debian's sshd on the Node kernel (node-machine.ts: nodeMachinePrograms()): in a network namespace of its own (the
 * oracle's Node-kernel runs, `unshare --net`) the machine's ssh.service holds 0.0.0.0:22 and IPv6-only [::]:22
 * from boot, as `ss -tlnp` shows on the real machine (backlog 128, process sshd): the host's own sshd where it is
 * installed, else the emulator's. Outside one, port 22 is the host's and the machine runs no sshd.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inPrivateNetworkNamespace } from '../../../src/emulator/kernel/node/network-namespace.ts';
import { nodeMachinePrograms } from '../../../src/emulator/machine/node-machine.ts';

const BOOT = path.join(import.meta.dirname, 'sshd-in-network-namespace.ts');
const rows = (out: string): string[] => out.split('\n').map((line) => line.trim().replace(/\s+/g, ' ').replace(/pid=\d+/g, 'pid=N'));

/** Why this process cannot make a network namespace, or undefined when it can. */
function noNamespace(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'a network namespace needs root (unshare --net)';
  if (!['/usr/bin/unshare', '/bin/unshare'].some((tool) => fs.existsSync(tool))) return 'unshare is not installed (util-linux)';
  return undefined;
}

describe('sshd on the Node kernel', () => {
  it('listens on :22 from boot in a network namespace of its own', { timeout: 60_000 }, (context) => {
    const why = noNamespace();
    if (why) {
      console.log(`skipped: ${why}`);
      context.skip();
    }
    const run = spawnSync('unshare', ['--net', 'sh', '-c', 'ip link set lo up 2>/dev/null; exec "$0" "$@"', process.execPath, BOOT], { encoding: 'utf8', timeout: 50_000 });
    expect(run.stderr).toBe('');
    expect(rows(run.stdout)).toEqual(expect.arrayContaining([
      'LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=N,fd=3))',
      'LISTEN 0 128 [::]:22 [::]:* users:(("sshd",pid=N,fd=4))',
    ]));
    expect(run.stdout).toMatch(/^SSH-2\.0-OpenSSH_\S+/m);
  });

  it('runs none where the machine\'s ports are the host\'s', { timeout: 60_000 }, (context) => {
    if (inPrivateNetworkNamespace()) {
      console.log('skipped: this test process already runs in a network namespace with loopback only');
      context.skip();
    }
    const run = spawnSync(process.execPath, [BOOT], { encoding: 'utf8', timeout: 50_000 });
    expect(run.stdout).toContain('State');
    expect(run.stdout).not.toContain(':22 ');
    expect(run.stdout).not.toContain('sshd');
  });

  it('runs the host\'s sshd through the machine\'s /usr/sbin/sshd, the emulator\'s where the host has none, the lab\'s own first', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sshd-programs-'));
    try {
      const hostSshd = path.join(root, 'host-sshd');
      fs.writeFileSync(hostSshd, 'the host sshd\n');
      const sshConfig = path.join(root, 'etc-ssh');
      fs.mkdirSync(sshConfig);
      fs.writeFileSync(path.join(sshConfig, 'sshd_config'), '');
      // Without a host key the host's sshd cannot start: the emulator's stands in.
      expect(Object.keys(nodeMachinePrograms(root, [], {}, { ownNetwork: true, sshd: hostSshd, sshConfig }))).toEqual(['/usr/sbin/sshd']);
      fs.writeFileSync(path.join(sshConfig, 'ssh_host_ed25519_key'), '');
      expect(nodeMachinePrograms(root, [], {}, { ownNetwork: true, sshd: hostSshd, sshConfig })).toEqual({});
      expect(fs.readFileSync(path.join(root, 'usr/sbin/sshd'), 'utf8')).toBe('the host sshd\n');
      expect(fs.statSync(path.join(root, 'usr/sbin/sshd')).mode & 0o777).toBe(0o755);
      expect(Object.keys(nodeMachinePrograms(root, [], {}, { ownNetwork: true, sshd: path.join(root, 'none') }))).toEqual(['/usr/sbin/sshd']);
      expect(Object.keys(nodeMachinePrograms(root, [], { shim: true }, { ownNetwork: true, sshd: hostSshd, sshConfig }))).toEqual(['/usr/sbin/sshd']);
      expect(nodeMachinePrograms(root, ['/usr/sbin/sshd'], {}, { ownNetwork: true, sshd: path.join(root, 'none') })).toEqual({});
      expect(nodeMachinePrograms(root, [], {}, { ownNetwork: false, sshd: path.join(root, 'none') })).toEqual({});
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

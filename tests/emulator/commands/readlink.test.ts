import { describe, expect, it } from 'vitest';
import { bootMemoryMachine, type LabSystem } from '../../../src/emulator/machine/lab-system.ts';

async function run(lab: LabSystem, line: string): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await lab.runCommandLine(line, { stdout: (t) => (out += t), stderr: (t) => (out += t), signal: new AbortController().signal });
  return { code, out };
}

describe('readlink', () => {
  it("/proc/PID/fd/3 of a socket-activated service is the socket systemd passed: the inode ss -xlp shows", async () => {
    const lab = await bootMemoryMachine({
      '/etc/systemd/system/hold.socket': '[Socket]\nListenStream=/run/hold.sock\n',
      '/etc/systemd/system/hold.service': '[Service]\nExecStart=/opt/hold\n',
      '/opt/hold': '#!/usr/bin/env node\nsetInterval(() => {}, 1000);\n',
    }, 'lab');
    await run(lab, 'systemctl start hold.socket hold.service');
    const link = await run(lab, 'readlink /proc/$(systemctl show -p MainPID --value hold.service)/fd/3');
    expect(link.code).toBe(0);
    const inode = /^socket:\[(\d+)\]\n$/.exec(link.out)?.[1];
    expect(inode, link.out).toBeDefined();
    const ss = await run(lab, 'ss -xlp');
    expect(ss.out).toMatch(new RegExp(`/run/hold\\.sock ${inode} `));
    // No such fd, and a file that is not a link: nothing printed, exit 1, as coreutils' readlink.
    expect(await run(lab, 'readlink /proc/$(systemctl show -p MainPID --value hold.service)/fd/9')).toEqual({ code: 1, out: '' });
    expect(await run(lab, 'readlink /etc/systemd/system/hold.socket')).toEqual({ code: 1, out: '' });
  });

  it('prints a symbolic link and, with -f, the path with every link followed', async () => {
    const lab = await bootMemoryMachine({ '/etc/systemd/system/x.service': '[Service]\nExecStart=/bin/true\n\n[Install]\nWantedBy=multi-user.target\n' }, 'lab');
    await run(lab, 'systemctl enable x.service');
    expect(await run(lab, 'readlink /etc/systemd/system/multi-user.target.wants/x.service')).toEqual({ code: 0, out: '/etc/systemd/system/x.service\n' });
    expect(await run(lab, 'readlink -f /etc/systemd/system/multi-user.target.wants/x.service')).toEqual({ code: 0, out: '/etc/systemd/system/x.service\n' });
    expect((await run(lab, 'readlink')).code).toBe(1);
  });
});

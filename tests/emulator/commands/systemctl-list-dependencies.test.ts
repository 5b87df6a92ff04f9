/**
 * `systemctl list-dependencies` (systemctl-list-dependencies.c, systemd 252) on a lab machine, which is a whole
 * Debian 12 (machine/debian-base.ts). The expected trees are real systemd's (golden files app-db-start,
 * socket-dependencies: the mounts and services of Debian's sysinit.target with their states after boot,
 * systemd-remount-fs.service under local-fs.target from fstab's generator), without system.slice.
 */
import { describe, expect, it } from 'vitest';
import { bootMemoryMachine, type LabSystem } from '../../../src/emulator/machine/lab-system.ts';

const FILES = {
  '/etc/systemd/system/app.socket': '[Unit]\nDescription=app socket\n[Socket]\nListenStream=8080\n',
  '/etc/systemd/system/app.service': '[Unit]\nDescription=app\nRequires=db.service\nAfter=db.service\n[Service]\nExecStart=/opt/app\nSockets=app.socket\n',
  '/etc/systemd/system/db.service': '[Unit]\nDescription=db\n[Service]\nExecStart=/opt/db\n',
  '/etc/systemd/system/loop.target': '[Unit]\nDescription=loop\nWants=loop2.target\n',
  '/etc/systemd/system/loop2.target': '[Unit]\nDescription=loop2\nWants=loop.target\n',
};

async function run(lab: LabSystem, line: string): Promise<{ code: number; out: string[] }> {
  let text = '';
  const code = await lab.runCommandLine(line, { stdout: (t) => (text += t), stderr: (t) => (text += t), signal: new AbortController().signal });
  return { code, out: text.split('\n').filter((l) => !l.includes('system.slice')) };
}

describe('systemctl list-dependencies', () => {
  it('prints the tree with state glyphs, targets last, following targets only', async () => {
    const lab = await bootMemoryMachine(FILES, 'lab', { clock: 'virtual' });
    await lab.system.manager.whenIdle();
    const r = await run(lab, 'systemctl list-dependencies app.service');
    expect(r.code).toBe(0);
    expect(r.out).toEqual([
      'app.service',
      '○ ├─app.socket',
      '○ ├─db.service',
      '● └─sysinit.target',
      '●   ├─dev-hugepages.mount',
      '●   ├─dev-mqueue.mount',
      '○   ├─kmod-static-nodes.service',
      '○   ├─proc-sys-fs-binfmt_misc.automount',
      '○   ├─sys-fs-fuse-connections.mount',
      '○   ├─sys-kernel-config.mount',
      '○   ├─sys-kernel-debug.mount',
      '○   ├─sys-kernel-tracing.mount',
      '●   ├─systemd-ask-password-console.path',
      '○   ├─systemd-binfmt.service',
      '○   ├─systemd-firstboot.service',
      '●   ├─systemd-journal-flush.service',
      '●   ├─systemd-journald.service',
      '○   ├─systemd-machine-id-commit.service',
      '○   ├─systemd-modules-load.service',
      '○   ├─systemd-pcrphase-sysinit.service',
      '○   ├─systemd-pcrphase.service',
      '○   ├─systemd-pstore.service',
      '○   ├─systemd-random-seed.service',
      '○   ├─systemd-repart.service',
      '●   ├─systemd-sysctl.service',
      '●   ├─systemd-sysusers.service',
      '●   ├─systemd-tmpfiles-setup-dev.service',
      '●   ├─systemd-tmpfiles-setup.service',
      '●   ├─systemd-update-utmp.service',
      '●   ├─cryptsetup.target',
      '●   ├─integritysetup.target',
      '●   ├─local-fs.target',
      '●   │ └─systemd-remount-fs.service',
      '●   ├─swap.target',
      '●   └─veritysetup.target',
      '',
    ]);
  });

  it('--plain: two spaces instead of the tree, no glyphs; a unit followed once is not listed again, not even for the next unit', async () => {
    const lab = await bootMemoryMachine(FILES, 'lab', { clock: 'virtual' });
    const r = await run(lab, 'systemctl list-dependencies --plain app.socket db');
    expect(r.out).toEqual([
      'app.socket', '  sysinit.target', '  dev-hugepages.mount', '  dev-mqueue.mount', '  kmod-static-nodes.service', '  proc-sys-fs-binfmt_misc.automount', '  sys-fs-fuse-connections.mount', '  sys-kernel-config.mount', '  sys-kernel-debug.mount', '  sys-kernel-tracing.mount', '  systemd-ask-password-console.path', '  systemd-binfmt.service', '  systemd-firstboot.service', '  systemd-journal-flush.service', '  systemd-journald.service', '  systemd-machine-id-commit.service', '  systemd-modules-load.service', '  systemd-pcrphase-sysinit.service', '  systemd-pcrphase.service', '  systemd-pstore.service', '  systemd-random-seed.service', '  systemd-repart.service', '  systemd-sysctl.service', '  systemd-sysusers.service', '  systemd-tmpfiles-setup-dev.service', '  systemd-tmpfiles-setup.service', '  systemd-update-utmp.service',
      '  cryptsetup.target', '  integritysetup.target', '  local-fs.target', '  systemd-remount-fs.service', '  swap.target', '  veritysetup.target',
      '',
      // Real systemd 252 too: `list-dependencies --plain x.socket x.service` lists only system.slice under x.service.
      'db.service',
      '',
    ]);
  });

  it('a cycle of targets ends in "..." on the tree', async () => {
    const lab = await bootMemoryMachine(FILES, 'lab', { clock: 'virtual' });
    const r = await run(lab, 'systemctl list-dependencies loop.target');
    expect(r.out).toEqual(['loop.target', '○ └─loop2.target', '    └─...', '']);
  });

  it('--reverse lists the units that want or require it; --after the units it is ordered after', async () => {
    const lab = await bootMemoryMachine(FILES, 'lab', { clock: 'virtual' });
    // A listening app.socket keeps app.service (and so db.service) loaded; an unreferenced unit would be collected
    // after the command that loaded it, as systemd 252 collects it, and list only itself.
    await run(lab, 'systemctl start app.socket');
    const reverse = await run(lab, 'systemctl list-dependencies --reverse db.service');
    expect(reverse.out).toEqual(['db.service', '○ └─app.service', '']);
    const after = await run(lab, 'systemctl list-dependencies --after app.service');
    expect(after.out.slice(0, 4)).toEqual(['app.service', '● ├─app.socket', '○ ├─db.service', '● ├─systemd-journald.socket']);
    expect(after.out).toContain('● ├─basic.target');
  });

  it('with no unit lists default.target', async () => {
    const lab = await bootMemoryMachine(FILES, 'lab', { clock: 'virtual' });
    await lab.system.manager.whenIdle();
    const r = await run(lab, 'systemctl list-dependencies');
    expect(r.out[0]).toBe('default.target');
    expect(r.out).toContain('● └─multi-user.target');
    expect(r.out).toContain('●   ├─basic.target');
  });
});

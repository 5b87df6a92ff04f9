import { describe, expect, it } from 'vitest';
import { echoServer, machine } from './harness.ts';

describe('unit aliases are the same unit (unit_add_name: a symlinked name is another name of the unit)', () => {
  const files = {
    '/etc/systemd/system/app.service': '[Unit]\nDescription=App\n[Service]\nExecStart=/usr/bin/app\n[Install]\nWantedBy=multi-user.target\n',
    '/etc/systemd/system/multi-user.target.wants/app.service': '',
  };

  it('boot reaches and shutdown stops "Multi-User System" once: default.target is multi-user.target', async () => {
    const m = machine(files, { '/usr/bin/app': echoServer() });
    await m.system.boot();
    await m.advance(10);
    expect(m.messages().filter((l) => l === 'Reached target multi-user.target - Multi-User System.')).toHaveLength(1);
    expect(m.system.manager.getUnit('default.target')).toBe(m.system.manager.getUnit('multi-user.target'));
    expect(m.system.unitNames().filter((n) => n === 'default.target' || n === 'multi-user.target')).toEqual(['multi-user.target']);
    await m.system.shutdown();
    await m.advance(10);
    expect(m.messages().filter((l) => l === 'Stopped target multi-user.target - Multi-User System.')).toHaveLength(1);
  });

  it('a symlinked unit file name loads the unit it points to, once', async () => {
    const m = machine({
      ...files,
      '/etc/systemd/system/web.service': '[Unit]\nDescription=Web\n[Service]\nExecStart=/usr/bin/app\n',
    }, { '/usr/bin/app': echoServer() });
    m.kernel.fs.symlink('/etc/systemd/system/web.service', '/etc/systemd/system/www.service');
    expect((await m.run('systemctl', 'start', 'www.service')).status).toBe(0);
    expect((await m.run('systemctl', 'is-active', 'web.service')).stdout).toBe('active\n');
    expect((await m.run('systemctl', 'start', 'web.service')).status).toBe(0);
    expect(m.messages().filter((l) => l === 'Started web.service - Web.')).toHaveLength(1);
    expect(m.kernel.processes.spawned).toHaveLength(1);
  });
});

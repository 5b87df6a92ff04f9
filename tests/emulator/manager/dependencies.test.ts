import { describe, expect, it } from 'vitest';
import { collect, echoServer, machine } from './harness.ts';
import { settle } from './fake-kernel.ts';

describe('dependencies and ordering', () => {
  it('app connecting to its database socket before the database runs waits', async () => {
    let received = '';
    const m = machine({
      '/etc/systemd/system/db.socket': '[Unit]\nDescription=DB socket\n[Socket]\nListenStream=/run/db.sock\n[Install]\nWantedBy=sockets.target\n',
      '/etc/systemd/system/db.service': '[Unit]\nDescription=DB\n[Service]\nExecStart=/usr/bin/db\n',
      '/etc/systemd/system/app.service': '[Unit]\nDescription=App\n[Service]\nExecStart=/usr/bin/app\n[Install]\nWantedBy=multi-user.target\n',
      '/etc/systemd/system/sockets.target.wants/db.socket': '',
      '/etc/systemd/system/multi-user.target.wants/app.service': '',
    }, {
      '/usr/bin/db': echoServer('rows\n'),
      '/usr/bin/app': (ctx) => {
        void m.kernel.net.connect('/run/db.sock').then((c) => {
          const read = collect(c);
          c.onEnd(() => { received = read(); ctx.print(`got ${received.trim()}`); });
        });
      },
    });
    await m.system.boot();
    for (let i = 0; i < 5; i++) await settle();
    expect(received).toBe('rows\n');
    const lines = m.messages();
    expect(lines.indexOf('Listening on db.socket - DB socket.')).toBeLessThan(lines.indexOf('Started app.service - App.'));
    expect(lines).toContain('Started db.service - DB.');
    expect(m.system.manager.journal.entries.find((e) => e.message === 'got rows')).toMatchObject({ identifier: 'app', unit: 'app.service' });
  });

  it('Requires= starts the required unit first and fails with "Dependency failed for"', async () => {
    const m = machine({
      '/etc/systemd/system/a.service': '[Unit]\nDescription=A\nRequires=b.service\nAfter=b.service\n[Service]\nExecStart=/usr/bin/ok\n',
      '/etc/systemd/system/b.service': '[Unit]\nDescription=B\n[Service]\nType=oneshot\nExecStart=/usr/bin/fail\n',
    }, { '/usr/bin/ok': echoServer(), '/usr/bin/fail': (ctx) => queueMicrotask(() => ctx.exit(1)) });
    const r = await m.run('systemctl', 'start', 'a.service');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("A dependency job for a.service failed. See 'journalctl -xe' for details.\n");
    expect(m.messages()).toEqual(expect.arrayContaining(['Failed to start b.service - B.', 'Dependency failed for a.service - A.']));
    expect(m.kernel.processes.spawned.map((s) => s.options.argv[0])).toEqual(['/usr/bin/fail']);
  });

  it('ConditionPathExists= skips the start without failing', async () => {
    const m = machine({
      '/etc/systemd/system/ssh.socket': '[Unit]\nDescription=OpenBSD Secure Shell server socket\nConditionPathExists=!/etc/ssh/sshd_not_to_be_run\n[Socket]\nListenStream=22\n',
      '/etc/ssh/sshd_not_to_be_run': '',
    });
    const r = await m.run('systemctl', 'start', 'ssh.socket');
    expect(r.status).toBe(0);
    expect(m.system.manager.getUnit('ssh.socket')!.activeState).toBe('inactive');
    expect(m.messages()).toContain('ssh.socket - OpenBSD Secure Shell server socket was skipped because of an unmet condition check (ConditionPathExists=!/etc/ssh/sshd_not_to_be_run).');
  });
});

/**
 * systemctl mask/unmask and the socket_start() refusals they lead to, with the messages real systemd 252
 * printed for the same steps (scenario lesson-stopping-and-debugging-3 on Debian 12).
 */
import { describe, expect, it } from 'vitest';
import { echoServer, machine } from '../manager/harness.ts';
import { settle } from '../manager/fake-kernel.ts';

const SOCKET = '[Unit]\nDescription=Report server socket\n\n[Socket]\nListenStream=127.0.0.1:8080\n\n[Install]\nWantedBy=sockets.target\n';
const SERVICE = '[Unit]\nDescription=Report server\n\n[Service]\nExecStart=/opt/report/report\n';

/** report.* packaged in /usr/lib, mine.service in /etc. */
function reportMachine() {
  return machine({
    '/usr/lib/systemd/system/report.socket': SOCKET,
    '/usr/lib/systemd/system/report.service': SERVICE,
    '/etc/systemd/system/mine.service': SERVICE,
    '/etc/systemd/system/typo.socket': '[Socket]\nListenStream=127.0.0.1:9100\nService=tpyo.service\n',
  }, { '/opt/report/report': echoServer() });
}

describe('systemctl mask and unmask', () => {
  it('mask links /etc/systemd/system/NAME to /dev/null; nothing can start the unit, stop still works', async () => {
    const m = reportMachine();
    await m.run('systemctl', 'start', 'report.service');
    const masked = await m.run('systemctl', 'mask', 'report.service');
    expect(masked).toMatchObject({ status: 0, stderr: 'Created symlink /etc/systemd/system/report.service → /dev/null.\n' });
    expect(m.kernel.fs.readlink('/etc/systemd/system/report.service')).toBe('/dev/null');
    expect(await m.run('systemctl', 'is-enabled', 'report.service')).toMatchObject({ status: 1, stdout: 'masked\n' });
    // A running unit keeps running when masked; stopping it is allowed.
    expect((await m.run('systemctl', 'is-active', 'report.service')).stdout).toBe('active\n');
    expect(await m.run('systemctl', 'stop', 'report.service')).toMatchObject({ status: 0, stderr: '' });
    expect((await m.run('systemctl', 'is-active', 'report.service')).stdout).toBe('inactive\n');
    expect(await m.run('systemctl', 'start', 'report.service')).toMatchObject({ status: 1, stderr: 'Failed to start report.service: Unit report.service is masked.\n' });
    // Masking again changes nothing and prints nothing.
    expect(await m.run('systemctl', 'mask', 'report.service')).toMatchObject({ status: 0, stderr: '' });
  });

  it('a masked service keeps its socket from starting: "Socket service … not loaded, refusing."', async () => {
    const m = reportMachine();
    await m.run('systemctl', 'mask', 'report.service');
    expect(await m.run('systemctl', 'start', 'report.socket')).toMatchObject({ status: 1, stderr: 'Job failed. See "journalctl -xe" for details.\n' });
    const [refusal, failed] = m.messages('report.socket');
    expect(refusal).toBe('report.socket: Socket service report.service not loaded, refusing.');
    expect(failed).toMatch(/^Failed to listen on (report\.socket - )?Report server socket\.$/);
    expect((await m.run('systemctl', 'is-active', 'report.socket')).stdout).toBe('inactive\n');
    expect(await m.run('systemctl', 'unmask', 'report.service')).toMatchObject({ status: 0, stderr: 'Removed "/etc/systemd/system/report.service".\n' });
    expect(await m.run('systemctl', 'start', 'report.socket')).toMatchObject({ status: 0 });
    expect((await m.run('systemctl', 'is-active', 'report.socket')).stdout).toBe('active\n');
  });

  it('refuses to mask a unit whose file is in /etc/systemd/system', async () => {
    const m = reportMachine();
    expect(await m.run('systemctl', 'mask', 'mine.service')).toMatchObject({ status: 1, stderr: 'Failed to mask unit: File /etc/systemd/system/mine.service already exists.\n' });
    expect(m.kernel.fs.lstat('/etc/systemd/system/mine.service')?.type).toBe('file');
  });

  it('mask and unmask of a unit that does not exist proceed anyway', async () => {
    const m = reportMachine();
    expect(await m.run('systemctl', 'mask', 'nosuch.service')).toMatchObject({
      status: 0,
      stderr: 'Unit nosuch.service does not exist, proceeding anyway.\nCreated symlink /etc/systemd/system/nosuch.service → /dev/null.\n',
    });
    expect(await m.run('systemctl', 'unmask', 'nosuch.service')).toMatchObject({ status: 0, stderr: 'Removed "/etc/systemd/system/nosuch.service".\n' });
    expect(await m.run('systemctl', 'unmask', 'nosuch.service')).toMatchObject({ status: 0, stderr: 'Unit nosuch.service does not exist, proceeding anyway.\n' });
    expect((await m.run('systemctl', 'mask')).status).toBe(1);
  });

  it('mask --now stops only the unit it names: the socket keeps listening', async () => {
    const m = reportMachine();
    await m.run('systemctl', 'start', 'report.socket');
    await m.run('systemctl', 'start', 'report.service');
    await settle();
    expect((await m.run('systemctl', 'mask', '--now', 'report.service')).status).toBe(0);
    expect((await m.run('systemctl', 'is-active', 'report.service', 'report.socket')).stdout).toBe('inactive\nactive\n');
  });
});

describe('socket_start() refusals', () => {
  it('a Service= that names no unit: the socket stays dead and says why', async () => {
    const m = reportMachine();
    expect((await m.run('systemctl', 'start', 'typo.socket')).status).toBe(1);
    expect(m.messages('typo.socket')[0]).toBe('typo.socket: Socket service tpyo.service not loaded, refusing.');
    expect((await m.run('systemctl', 'is-active', 'typo.socket')).stdout).toBe('inactive\n');
  });

  it('the socket cannot start again while its service still runs from an earlier activation', async () => {
    const m = reportMachine();
    await m.run('systemctl', 'start', 'report.socket');
    await m.run('systemctl', 'start', 'report.service');
    await m.run('systemctl', 'stop', 'report.socket');
    expect((await m.run('systemctl', 'start', 'report.socket')).status).toBe(1);
    expect(m.messages('report.socket').at(-2)).toBe('report.socket: Socket service report.service already active, refusing.');
    await m.run('systemctl', 'stop', 'report.service');
    expect((await m.run('systemctl', 'start', 'report.socket')).status).toBe(0);
  });
});

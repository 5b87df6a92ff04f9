/**
 * The labs it-came-back, own-service and proxyd check the live machine: half an answer fails its goal, and a
 * right answer written another way passes, on both kernels (lab-machines.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/definition/lab-catalog.ts';
import { disposeLabMachines, learner as learnerOn, type Kernel } from './lab-machines.ts';

afterEach(disposeLabMachines);

describe.each(['memory', 'node'] as const)('on the %s kernel', (kernel: Kernel) => {
  const learner = (id: string, files: Record<string, string>, steps: string[]) => learnerOn(kernel, id, files, steps);

  describe('it-came-back', () => {
    it('stopping only report.service, or mask --now of the service, leaves the socket listening: fails', async () => {
      const serviceOnly = await learner('it-came-back', {}, ['systemctl stop report.service']);
      expect((await serviceOnly.goal('report-stays-down')).passed, serviceOnly.transcript()).toBe(false);
      const maskNow = await learner('it-came-back', {}, ['systemctl mask --now report.service']);
      expect((await maskNow.goal('report-stays-down')).passed, maskNow.transcript()).toBe(false);
      expect((await maskNow.goal('report-masked')).passed).toBe(true);
    });

    it('disable --now of the socket plus a stop of the service passes; dropping Service= is a right fix too', async () => {
      const m = await learner('it-came-back', {
        '/etc/systemd/system/metrics.socket': '[Unit]\nDescription=Metrics socket\n\n[Socket]\nListenStream=127.0.0.1:9100\n\n[Install]\nWantedBy=sockets.target\n',
      }, ['systemctl disable --now report.socket', 'systemctl stop report.service', 'systemctl daemon-reload', 'systemctl start metrics.socket', 'curl -s http://127.0.0.1:9100/']);
      expect((await m.goal('report-stays-down')).passed, m.transcript()).toBe(true);
      expect((await m.goal('report-off-at-boot')).passed).toBe(true);
      expect(await m.goal('metrics-answers'), m.transcript()).toEqual({ id: 'metrics-answers', passed: true });
    }, 30_000);
  });

  describe('own-service', () => {
    it('Type=notify without READY=1 fails ready-notify; READY=1 under Type=simple fails it too', async () => {
      const noReady = await learner('own-service', {
        '/opt/hello/hello': (await loadLab('own-service')).solution['/opt/hello/hello'].replace("sd.notify('READY=1');", ''),
        '/etc/systemd/system/hello.service': 'SOLUTION',
      }, ['systemctl daemon-reload']);
      const result = await noReady.goal('ready-notify');
      expect(result.passed, noReady.transcript()).toBe(false);
      expect(result.detail).toContain('activating');
      const simple = await learner('own-service', { '/opt/hello/hello': 'SOLUTION' }, ['systemctl daemon-reload']);
      expect((await simple.goal('ready-notify')).detail).toContain('Type=simple');
      expect((await simple.goal('serves-fd-3')).passed, simple.transcript()).toBe(true);
    }, 60_000);

    it('a service that never exits fails exits-when-idle', async () => {
      const bundle = await loadLab('own-service');
      const m = await learner('own-service', {
        '/opt/hello/hello': bundle.solution['/opt/hello/hello'].replace('const IDLE_MS = 3000;', 'const IDLE_MS = 60000;'),
        '/etc/systemd/system/hello.service': 'SOLUTION',
      }, ['systemctl daemon-reload']);
      expect((await m.goal('exits-when-idle')).passed, m.transcript()).toBe(false);
    }, 30_000);
  });

  describe('proxyd', () => {
    const sockets = { '/etc/systemd/system/legacy-proxy.socket': 'SOLUTION', '/etc/systemd/system/legacy-proxy.service': 'SOLUTION' };
    const steps = ['systemctl disable --now legacy.service', 'systemctl daemon-reload', 'systemctl enable --now legacy-proxy.socket'];

    it('without a wait for legacy\'s port the first request fails; without StopWhenUnneeded= legacy stays', async () => {
      const m = await learner('proxyd', sockets, steps);
      expect((await m.goal('legacy-on-demand')).passed, m.transcript()).toBe(true);
      const first = await m.goal('first-request-answered');
      expect(first.passed, m.transcript()).toBe(false);
      const idle = await m.goal('idle-exit');
      expect(idle.passed).toBe(false);
    }, 30_000);

    it('Wants= instead of Requires= is a right answer', async () => {
      const m = await learner('proxyd', {
        ...sockets,
        '/etc/systemd/system/legacy.service': 'SOLUTION',
        '/etc/systemd/system/legacy-proxy.service': '[Unit]\nDescription=legacy web app proxy\nWants=legacy.service\nAfter=legacy.service\n\n[Service]\nExecStart=/lib/systemd/systemd-socket-proxyd --exit-idle-time=3s 127.0.0.1:8081\n',
      }, steps);
      expect((await m.goal('legacy-on-demand')).passed, m.transcript()).toBe(true);
      expect((await m.goal('first-request-answered')).passed, m.transcript()).toBe(true);
    }, 60_000);
  });
});

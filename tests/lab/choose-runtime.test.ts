import { describe, expect, it, vi } from 'vitest';
import type { LabRuntime, RuntimeInfo } from '../../src/lab/runtime/lab-runtime.ts';
import { planRuntime, startRuntime, WARM_READY_REASON, WARMING_REASON, type RuntimeEnvironment } from '../../src/lab/runtime/choose-runtime.ts';

const isolated: RuntimeEnvironment = { crossOriginIsolated: true, webContainerSupported: true, forcedInPage: false };

/** A runtime whose boot does what the test says. */
function fakeRuntime(info: RuntimeInfo, boot: () => Promise<void> = async () => {}): LabRuntime & { disposed: boolean } {
  const runtime = {
    info,
    disposed: false,
    boot,
    run: () => ({ exit: Promise.resolve(0), interrupt() {}, write() {} }),
    readFile: async () => undefined,
    writeFile: async () => {},
    completions: async () => ({ commands: [], units: [] }),
    snapshot: async () => ({ time: 0, units: [], journal: [] }),
    subscribe: () => () => {},
    dispose() {
      runtime.disposed = true;
    },
  };
  return runtime;
}

describe('runtime chooser', () => {
  it('plans a WebContainer only when isolated, supported and not forced in-page', () => {
    expect(planRuntime('auto', isolated)).toEqual({ kind: 'webcontainer' });
    expect(planRuntime('auto', { ...isolated, crossOriginIsolated: false })).toEqual({
      kind: 'in-page',
      reason: 'In-page runtime: WebContainers need cross-origin isolation, which this page lacks.',
    });
    expect(planRuntime('auto', { ...isolated, webContainerSupported: false }).kind).toBe('in-page');
    expect(planRuntime('webcontainer', { ...isolated, forcedInPage: true })).toEqual({
      kind: 'in-page',
      reason: 'In-page runtime: this site was built with LAB_RUNTIME=in-page.',
    });
    expect(planRuntime('in-page', isolated)).toEqual({ kind: 'in-page', reason: 'In-page runtime: you chose it.' });
  });

  it('keeps a lab that needs the in-page runtime there, with the lab\'s reason', () => {
    const reason = 'In-page runtime: user managers (systemctl --user, loginctl enable-linger) exist in the in-page runtime only.';
    expect(planRuntime('auto', { ...isolated, forcedInPage: true, forcedReason: reason })).toEqual({ kind: 'in-page', reason });
    expect(planRuntime('webcontainer', { ...isolated, forcedInPage: true, forcedReason: reason })).toEqual({ kind: 'in-page', reason });
  });

  it('falls back to in-page when a chosen WebContainer fails to boot, saying why', async () => {
    const container = fakeRuntime({ kind: 'webcontainer', reason: '' }, async () => {
      throw new Error('StackBlitz is unreachable');
    });
    const runtime = await startRuntime('webcontainer', isolated, {}, {
      inPage: (info) => fakeRuntime(info),
      webContainer: async () => container,
    });
    expect(runtime.info.kind).toBe('in-page');
    expect(runtime.info.reason).toContain('StackBlitz is unreachable');
    expect(container.disposed).toBe(true);
  });

  it('falls back when a chosen WebContainer does not boot in time, and disposes a late one', async () => {
    vi.useFakeTimers();
    try {
      let release: (runtime: LabRuntime) => void = () => {};
      const late = fakeRuntime({ kind: 'webcontainer', reason: '' });
      const started = startRuntime('webcontainer', isolated, {}, {
        inPage: (info) => fakeRuntime(info),
        webContainer: () => new Promise((resolve) => (release = resolve)),
      }, 5000);
      await vi.advanceTimersByTimeAsync(5000);
      const runtime = await started;
      expect(runtime.info.reason).toBe(
        'In-page runtime: the WebContainer could not start (it did not boot within 5 s), so this lab runs in the page.',
      );
      release(late);
      await vi.advanceTimersByTimeAsync(0);
      expect(late.disposed).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives a WebContainer the learner chose explicitly more than auto\'s 5 s', async () => {
    vi.useFakeTimers();
    try {
      let release: () => void = () => {};
      const slow = fakeRuntime({ kind: 'webcontainer', reason: 'WebContainer runtime.' }, () => new Promise<void>((resolve) => (release = resolve)));
      const started = startRuntime('webcontainer', isolated, {}, { inPage: (info) => fakeRuntime(info), webContainer: async () => slow });
      await vi.advanceTimersByTimeAsync(20_000);
      release();
      const runtime = await started;
      expect(runtime.info.kind).toBe('webcontainer');
    } finally {
      vi.useRealTimers();
    }
  });

  it('uses a chosen WebContainer when it boots', async () => {
    const runtime = await startRuntime('webcontainer', isolated, {}, {
      inPage: (info) => fakeRuntime(info),
      webContainer: async () => fakeRuntime({ kind: 'webcontainer', reason: 'WebContainer runtime.' }),
    });
    expect(runtime.info.kind).toBe('webcontainer');
  });

  it('auto never waits for a WebContainer: in-page first, the WebContainer warmed up only after its boot', async () => {
    const order: string[] = [];
    let warmed: () => void = () => {};
    const runtime = await startRuntime('auto', isolated, {}, {
      inPage: (info) => fakeRuntime(info, async () => void order.push('in-page booted')),
      webContainer: async () => {
        throw new Error('auto must not boot a lab on the WebContainer');
      },
      warmWebContainer: () => {
        order.push('warm-up started');
        return new Promise<void>((resolve) => (warmed = resolve));
      },
    });
    expect(runtime.info).toMatchObject({ kind: 'in-page', reason: WARMING_REASON });
    await Promise.resolve();
    expect(order).toEqual(['in-page booted', 'warm-up started']);
    warmed();
    expect(await runtime.info.update).toBe(WARM_READY_REASON);
  });

  it('auto says so in one sentence when the background WebContainer cannot start', async () => {
    const runtime = await startRuntime('auto', isolated, {}, {
      inPage: (info) => fakeRuntime(info),
      webContainer: async () => fakeRuntime({ kind: 'webcontainer', reason: '' }),
      warmWebContainer: async () => {
        throw new Error('StackBlitz is unreachable');
      },
    });
    expect(runtime.info.kind).toBe('in-page');
    expect(await runtime.info.update).toBe('In-page runtime: it starts at once, and the WebContainer could not start here (StackBlitz is unreachable).');
  });

  it('auto on a page that cannot run WebContainers warms nothing up', async () => {
    const warm = vi.fn(async () => {});
    const runtime = await startRuntime('auto', { ...isolated, crossOriginIsolated: false }, {}, {
      inPage: (info) => fakeRuntime(info),
      webContainer: async () => fakeRuntime({ kind: 'webcontainer', reason: '' }),
      warmWebContainer: warm,
    });
    expect(runtime.info.update).toBeUndefined();
    expect(warm).not.toHaveBeenCalled();
  });
});

/**
 * The in-page runtime end to end in Node: the Worker's server module over a MessageChannel with the
 * real emulator behind it, driven by a learner's scripted session on the myapp lab.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SystemEvent } from '../../src/emulator/system-events.ts';
import { loadLab } from '../../src/lab/definition/lab-catalog.ts';
import { checkGoals, runToEnd } from '../../src/lab/definition/goal-checks.ts';
import type { LabRuntime } from '../../src/lab/runtime/lab-runtime.ts';
import { createLabMachine } from '../../src/lab/runtime/in-page/lab-machine.ts';
import { createInPageRuntime } from '../../src/lab/runtime/in-page/in-page-runtime.ts';
import { serveLabRuntime } from '../../src/lab/runtime/in-page/runtime-server.ts';
import type { FromWorker, MessagePortLike, ToWorker } from '../../src/lab/runtime/in-page/runtime-protocol.ts';

const SOCKET = '/etc/systemd/system/myapp.socket';
const SERVICE = '/etc/systemd/system/myapp.service';
const open: Array<{ runtime: LabRuntime; ports: MessagePort[] }> = [];
afterEach(() => {
  for (const { runtime, ports } of open.splice(0)) {
    runtime.dispose();
    ports.forEach((port) => port.close());
  }
});

/** The in-page runtime exactly as the page builds it, minus the Worker thread. */
function inPageRuntime(): LabRuntime {
  const channel = new MessageChannel();
  serveLabRuntime(channel.port2 as unknown as MessagePortLike<FromWorker, ToWorker>, (files, hostname) =>
    createLabMachine(files, { hostname }),
  );
  channel.port1.start();
  channel.port2.start();
  const runtime = createInPageRuntime({
    port: channel.port1 as unknown as MessagePortLike<ToWorker, FromWorker>,
    info: { kind: 'in-page', reason: 'test' },
    hostname: 'myapp-lab',
  });
  open.push({ runtime, ports: [channel.port1, channel.port2] });
  return runtime;
}

describe('in-page runtime: a learner session on the myapp lab', () => {
  it('edit a unit, daemon-reload, enable --now, connect, status, journal', async () => {
    const { files, solution } = await loadLab('myapp');
    const runtime = inPageRuntime();
    await runtime.boot(files);
    const events: SystemEvent[] = [];
    runtime.subscribe((event) => events.push(event));

    // The starting socket has no Listen setting: verify says so in systemd's words.
    const verify = await runToEnd(runtime, `systemd-analyze verify ${SOCKET}`);
    expect(verify.exitCode).toBe(1);
    expect(verify.stdout + verify.stderr).toContain('Unit has no Listen setting (ListenStream=, ListenDatagram=, ListenFIFO=, ...). Refusing.');

    // The learner writes both units in the editor (saved through the runtime).
    await runtime.writeFile(SOCKET, solution[SOCKET]);
    await runtime.writeFile(SERVICE, solution[SERVICE]);
    expect(await runtime.readFile(SOCKET)).toContain('ListenStream=8080');
    expect((await runToEnd(runtime, 'systemctl daemon-reload')).exitCode).toBe(0);

    const enable = await runToEnd(runtime, 'systemctl enable --now myapp.socket');
    expect(enable.exitCode).toBe(0);
    expect(enable.stdout + enable.stderr).toContain(
      'Created symlink /etc/systemd/system/sockets.target.wants/myapp.socket → /etc/systemd/system/myapp.socket.',
    );

    const before = await runToEnd(runtime, 'systemctl status myapp.service');
    expect(before.stdout).toContain('Active: inactive (dead)');

    const curl = await runToEnd(runtime, 'curl http://localhost:8080/');
    expect(curl.exitCode).toBe(0);
    expect(curl.stdout).toContain('Hello from myapp');

    const after = await runToEnd(runtime, 'systemctl status myapp.service');
    expect(after.stdout).toContain('Active: active (running)');
    expect(after.stdout).toContain('TriggeredBy: ● myapp.socket');

    const journal = await runToEnd(runtime, 'journalctl -u myapp.service --no-pager');
    expect(journal.stdout).toContain('LISTEN_FDS=1');

    const snapshot = await runtime.snapshot();
    const service = snapshot.units.find((unit) => unit.name === 'myapp.service');
    expect(service?.fds).toContainEqual(expect.objectContaining({ fd: 3, socket: 'myapp.socket' }));
    expect(events.some((event) => event.type === 'unit' && event.unit.name === 'myapp.service' && event.unit.activeState === 'active')).toBe(true);
    expect(events.some((event) => event.type === 'connection' && event.socket === 'myapp.socket')).toBe(true);

    const completions = await runtime.completions();
    expect(completions.commands).toEqual(expect.arrayContaining(['systemctl', 'journalctl', 'curl']));
    expect(completions.units).toEqual(expect.arrayContaining(['myapp.socket', 'myapp.service']));
  });

  it('an unknown command says so like bash', async () => {
    const runtime = inPageRuntime();
    await runtime.boot({});
    const result = await runToEnd(runtime, 'frobnicate now');
    expect(result).toEqual({ exitCode: 127, stdout: '', stderr: 'bash: frobnicate: command not found\n' });
  });
});

describe('myapp lab goals in the in-page runtime', () => {
  it('the starting files fail at least one goal', async () => {
    const { definition, files } = await loadLab('myapp');
    const runtime = inPageRuntime();
    await runtime.boot(files);
    const results = await checkGoals(definition, runtime);
    expect(results.filter((result) => !result.passed).length).toBeGreaterThan(0);
    expect(results.find((result) => result.id === 'socket-listens')?.passed).toBe(false);
  });

  it('the solution, enabled and connected to, passes every goal', async () => {
    const { definition, files, solution } = await loadLab('myapp');
    const runtime = inPageRuntime();
    await runtime.boot({ ...files, ...solution });
    await runToEnd(runtime, 'systemctl enable --now myapp.socket');
    await runToEnd(runtime, 'curl http://localhost:8080/');
    const results = await checkGoals(definition, runtime);
    expect(results).toEqual(definition.goals.map((goal) => ({ id: goal.id, passed: true })));
  });
});

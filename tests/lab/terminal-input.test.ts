/**
 * What the terminal sends the in-page runtime in the hard cases: Ctrl+C during a command that
 * waits (nc to a socket nobody answers on, journalctl -f), a 100 KB line and pasted binary garbage.
 * The runtime must answer each with an exit status and systemd/bash-style text, and stay usable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/definition/lab-catalog.ts';
import { runToEnd } from '../../src/lab/definition/goal-checks.ts';
import type { LabRuntime } from '../../src/lab/runtime/lab-runtime.ts';
import { createLabMachine, INTERRUPTED_EXIT } from '../../src/lab/runtime/in-page/lab-machine.ts';
import { createInPageRuntime } from '../../src/lab/runtime/in-page/in-page-runtime.ts';
import { serveLabRuntime } from '../../src/lab/runtime/in-page/runtime-server.ts';
import type { FromWorker, MessagePortLike, ToWorker } from '../../src/lab/runtime/in-page/runtime-protocol.ts';
import { createLineEditor } from '../../src/lab/island/line-editor.ts';
import { printableEcho } from '../../src/lab/island/terminal-panel.ts';

const open: Array<{ runtime: LabRuntime; ports: MessagePort[] }> = [];
afterEach(() => {
  for (const { runtime, ports } of open.splice(0)) {
    runtime.dispose();
    ports.forEach((port) => port.close());
  }
});

/** The in-page runtime as the page builds it, over a MessageChannel instead of a Worker. */
async function bootedRuntime(): Promise<LabRuntime> {
  const channel = new MessageChannel();
  serveLabRuntime(channel.port2 as unknown as MessagePortLike<FromWorker, ToWorker>, (files, hostname) => createLabMachine(files, { hostname }));
  channel.port1.start();
  channel.port2.start();
  const runtime = createInPageRuntime({ port: channel.port1 as unknown as MessagePortLike<ToWorker, FromWorker>, info: { kind: 'in-page', reason: 'test' }, hostname: 'myapp-lab' });
  open.push({ runtime, ports: [channel.port1, channel.port2] });
  const { files, solution } = await loadLab('myapp');
  await runtime.boot({ ...files, ...solution });
  return runtime;
}

/** Starts `line`, waits until it has had time to block, interrupts it, and returns its exit status. */
async function interruptWhileWaiting(runtime: LabRuntime, line: string): Promise<{ code: number; output: string }> {
  let output = '';
  const command = runtime.run(line, (text) => (output += text));
  let settled = false;
  void command.exit.then(() => (settled = true));
  // Let it reach its wait: a command that ended by itself would make this test meaningless.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(settled, `${line} ended before Ctrl+C: ${output}`).toBe(false);
  command.interrupt();
  return { code: await command.exit, output };
}

describe('Ctrl+C during a command that waits', () => {
  it('ends nc localhost 8080 waiting for an answer that does not come, and the next command runs', async () => {
    const runtime = await bootedRuntime();
    expect((await runToEnd(runtime, 'systemctl start myapp.socket')).exitCode).toBe(0);
    // myapp answers only once it has read a request; nc sends nothing, so both wait.
    const { code } = await interruptWhileWaiting(runtime, 'nc localhost 8080');
    expect(code).toBe(INTERRUPTED_EXIT);
    expect((await runToEnd(runtime, 'systemctl is-active myapp.socket')).stdout.trim()).toBe('active');
  });

  it('ends journalctl -f', async () => {
    const runtime = await bootedRuntime();
    const { code } = await interruptWhileWaiting(runtime, 'journalctl -f');
    expect(code).toBe(INTERRUPTED_EXIT);
    expect((await runToEnd(runtime, 'echo still here')).stdout).toBe('still here\n');
  });
});

describe('pasted input the runtime must survive', () => {
  it('a 100 KB line gets bash\'s "command not found" and the machine keeps working', async () => {
    const runtime = await bootedRuntime();
    const long = 'x'.repeat(100_000);
    const result = await runToEnd(runtime, long);
    expect(result.exitCode).toBe(127);
    expect(result.stderr).toBe(`bash: ${long}: command not found\n`);
    expect((await runToEnd(runtime, 'systemctl is-enabled myapp.socket')).exitCode).toBeGreaterThanOrEqual(0);
    expect((await runToEnd(runtime, 'echo ok')).stdout).toBe('ok\n');
  });

  it('binary garbage pasted at the prompt becomes a line bash rejects with an error, and nothing after it is lost', async () => {
    const runtime = await bootedRuntime();
    const editor = createLineEditor();
    const bytes = Array.from({ length: 512 }, (_, index) => String.fromCharCode((index * 37) % 256)).join('');
    const first = editor.feed(`\x1b[200~${bytes.replace(/[\r\n]/g, '')}\recho after the garbage\x1b[201~\r`, { stopAfterSubmit: true });
    expect(first.actions).toHaveLength(1);
    const garbageLine = (first.actions[0] as { line: string }).line;
    const result = await runToEnd(runtime, garbageLine);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/^bash: /);
    editor.reset();
    const second = editor.feed(first.rest, { stopAfterSubmit: true });
    expect(second.actions).toEqual([{ type: 'submit', line: 'echo after the garbage' }]);
    expect((await runToEnd(runtime, 'echo after the garbage')).stdout).toBe('after the garbage\n');
  });

  it('input typed into a running command is echoed with control characters made visible', () => {
    expect(printableEcho('hi\x1b[2J\x07\r')).toBe('hi^[[2J^G\r\n');
  });
});

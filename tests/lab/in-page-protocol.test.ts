import { afterEach, describe, expect, it } from 'vitest';
import type { SystemEvent } from '../../src/emulator/system-events.ts';
import type { LabMachine } from '../../src/lab/runtime/in-page/lab-machine.ts';
import { createInPageRuntime, STUCK_MESSAGE } from '../../src/lab/runtime/in-page/in-page-runtime.ts';
import { serveLabRuntime } from '../../src/lab/runtime/in-page/runtime-server.ts';
import type { FromWorker, MessagePortLike, ToWorker } from '../../src/lab/runtime/in-page/runtime-protocol.ts';

const ports: MessagePort[] = [];
afterEach(() => ports.splice(0).forEach((port) => port.close()));

/** A machine that echoes its command lines, streams two chunks, and waits for stdin on `cat`. */
function fakeMachine(files: Record<string, string>): LabMachine {
  const fs = new Map(Object.entries(files));
  const listeners = new Set<(event: SystemEvent) => void>();
  return {
    run(line, output) {
      let interrupted: (code: number) => void = () => {};
      let stdin = '';
      const exit = new Promise<number>((resolve) => {
        interrupted = resolve;
        if (line === 'cat') return;
        output(`ran ${line}\n`, 'stdout');
        output('warning\n', 'stderr');
        for (const listener of listeners) listener({ type: 'reload' });
        resolve(line === 'false' ? 1 : 0);
      });
      return {
        exit,
        interrupt: () => interrupted(130),
        write: (data) => {
          if (data === null) {
            output(stdin, 'stdout');
            interrupted(0);
          } else stdin += data;
        },
      };
    },
    readFile: (path) => fs.get(path),
    writeFile: (path, text) => void fs.set(path, text),
    completions: () => ({ commands: ['cat'], units: ['a.socket'] }),
    snapshot: () => ({ time: 1, units: [], journal: [] }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose: async () => {},
  };
}

/** An in-page runtime talking to the server over a real MessageChannel. */
function connectedRuntime(watchdog?: { intervalMs: number; timeoutMs: number }) {
  const channel = new MessageChannel();
  ports.push(channel.port1, channel.port2);
  serveLabRuntime(channel.port2 as unknown as MessagePortLike<FromWorker, ToWorker>, async (files) => fakeMachine(files));
  channel.port2.start();
  channel.port1.start();
  return createInPageRuntime({
    port: channel.port1 as unknown as MessagePortLike<ToWorker, FromWorker>,
    info: { kind: 'in-page', reason: 'test' },
    watchdog,
  });
}

describe('in-page runtime protocol', () => {
  it('refuses calls before boot with a message saying what to do', async () => {
    const runtime = connectedRuntime();
    await expect(runtime.readFile('/x')).rejects.toThrow('The lab machine is not booted yet: call boot(files) first.');
  });

  it('boots, reads and writes files, completes names and takes snapshots', async () => {
    const runtime = connectedRuntime();
    await runtime.boot({ '/etc/a.socket': '[Socket]\n' });
    expect(await runtime.readFile('/etc/a.socket')).toBe('[Socket]\n');
    await runtime.writeFile('/etc/a.socket', 'changed');
    expect(await runtime.readFile('/etc/a.socket')).toBe('changed');
    expect(await runtime.readFile('/missing')).toBeUndefined();
    expect(await runtime.completions()).toEqual({ commands: ['cat'], units: ['a.socket'] });
    expect((await runtime.snapshot()).time).toBe(1);
  });

  it('streams output by stream, reports exit codes and forwards events', async () => {
    const runtime = connectedRuntime();
    await runtime.boot({});
    const events: SystemEvent[] = [];
    runtime.subscribe((event) => events.push(event));
    const chunks: string[] = [];
    const exit = await runtime.run('false', (text, stream) => chunks.push(`${stream}:${text}`)).exit;
    expect(exit).toBe(1);
    expect(chunks).toEqual(['stdout:ran false\n', 'stderr:warning\n']);
    expect(events).toEqual([{ type: 'reload' }]);
  });

  it('feeds stdin, closes it, and interrupts a running command', async () => {
    const runtime = connectedRuntime();
    await runtime.boot({});
    let printed = '';
    const cat = runtime.run('cat', (text) => (printed += text));
    cat.write('hello ');
    cat.write('world');
    cat.write(null);
    expect(await cat.exit).toBe(0);
    expect(printed).toBe('hello world');
    const hanging = runtime.run('cat', () => {});
    hanging.interrupt();
    expect(await hanging.exit).toBe(130);
  });
});

describe('in-page runtime watchdog', () => {
  it('ends a Worker that stops answering, and says so in the terminal', async () => {
    const channel = new MessageChannel();
    ports.push(channel.port1, channel.port2);
    let answering = true;
    let terminated = false;
    // A Worker side that boots, then goes silent, as a Worker stuck in code nothing can interrupt.
    channel.port2.addEventListener('message', ({ data }: MessageEvent<ToWorker>) => {
      if (answering && data.kind === 'call') channel.port2.postMessage({ kind: 'result', id: data.id, value: undefined } satisfies FromWorker);
    });
    channel.port2.start();
    channel.port1.start();
    const runtime = createInPageRuntime({
      port: channel.port1 as unknown as MessagePortLike<ToWorker, FromWorker>,
      info: { kind: 'in-page', reason: 'test' },
      terminate: () => (terminated = true),
      watchdog: { intervalMs: 10, timeoutMs: 50 },
    });
    await runtime.boot({});
    answering = false;
    let text = '';
    const command = runtime.run('journalctl -f', (chunk) => (text += chunk));
    expect(await command.exit).toBe(137);
    expect(terminated).toBe(true);
    expect(text).toContain(STUCK_MESSAGE);
    await expect(runtime.snapshot()).rejects.toThrow(STUCK_MESSAGE);
    runtime.dispose();
  });

  it('keeps a Worker that answers its heartbeat', async () => {
    const runtime = connectedRuntime({ intervalMs: 10, timeoutMs: 50 });
    await runtime.boot({});
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await runtime.readFile('/x')).toBeUndefined();
    runtime.dispose();
  });
});

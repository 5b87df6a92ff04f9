/**
 * The Worker side of the in-page runtime: answers the protocol's messages with a LabMachine.
 * Kept free of Worker globals so tests can serve it over a MessageChannel in Node.
 */
import type { RunningCommand } from '../lab-runtime.ts';
import type { LabMachine } from './lab-machine.ts';
import type { FromWorker, MessagePortLike, ToWorker } from './runtime-protocol.ts';
import { OutputBatcher } from './output-batcher.ts';

/** Builds the machine for a `boot` call (tests inject a fake). */
export type MachineFactory = (files: Record<string, string>, hostname?: string) => Promise<LabMachine>;

/** Serves the runtime protocol on `port` until a `dispose` message arrives. */
export function serveLabRuntime(
  port: MessagePortLike<FromWorker, ToWorker>,
  createMachine: MachineFactory,
): void {
  let machine: LabMachine | undefined;
  let unsubscribe: (() => void) | undefined;
  const running = new Map<number, RunningCommand>();
  const batcher = new OutputBatcher((message) => port.postMessage(message));
  const send = (message: FromWorker) => batcher.send(message);

  /** The booted machine, or an error that tells the caller to boot first. */
  const booted = (): LabMachine => {
    if (!machine) throw new Error('The lab machine is not booted yet: call boot(files) first.');
    return machine;
  };

  const calls = {
    async boot(files: Record<string, string>, hostname?: string) {
      unsubscribe?.();
      await machine?.dispose();
      machine = await createMachine(files, hostname);
      unsubscribe = machine.subscribe((event) => send({ kind: 'event', event }));
    },
    readFile: (path: string) => booted().readFile(path),
    writeFile: (path: string, contents: string) => booted().writeFile(path, contents),
    completions: () => booted().completions(),
    snapshot: () => booted().snapshot(),
    ping: () => undefined,
  } as const;

  port.addEventListener('message', ({ data: message }) => {
    switch (message.kind) {
      case 'call': {
        const method = calls[message.method] as (...args: unknown[]) => unknown;
        Promise.resolve()
          .then(() => method(...message.args))
          .then(
            (value) => send({ kind: 'result', id: message.id, value }),
            (error: unknown) =>
              send({ kind: 'error', id: message.id, message: error instanceof Error ? error.message : String(error) }),
          );
        return;
      }
      case 'run': {
        const { id } = message;
        let command: RunningCommand;
        try {
          command = booted().run(message.line, (text, stream) => send({ kind: 'output', id, text, stream }), message.columns);
        } catch (error) {
          send({ kind: 'output', id, text: `${error instanceof Error ? error.message : String(error)}\n`, stream: 'stderr' });
          send({ kind: 'exit', id, code: 1 });
          return;
        }
        running.set(id, command);
        void command.exit.then((code) => {
          running.delete(id);
          send({ kind: 'exit', id, code });
        });
        return;
      }
      case 'interrupt':
        running.get(message.id)?.interrupt();
        return;
      case 'stdin':
        running.get(message.id)?.write(message.data);
        return;
      case 'dispose':
        for (const command of running.values()) command.interrupt();
        unsubscribe?.();
        void machine?.dispose();
        machine = undefined;
        return;
    }
  });
}

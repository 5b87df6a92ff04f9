/**
 * The in-page runtime's Web Worker entry: the emulator runs here, off the page's main thread, and
 * lab service programs run in the memory kernel's sandbox inside this Worker (no DOM, no cookies,
 * no network but what the emulator models).
 */
import { createLabMachine } from './lab-machine.ts';
import { serveLabRuntime } from './runtime-server.ts';
import type { FromWorker, MessagePortLike, ToWorker } from './runtime-protocol.ts';
import { ProcessHungSignal } from '../../../emulator/service/preempt.ts';
import { defaultCommands } from '../../../emulator/commands/index.ts';
import type { LazyCommand } from '../../../emulator/commands/lazy-command.ts';
import { loadDebianBase } from '../../../emulator/machine/debian-base.ts';

/**
 * Worker globals a lab program could reach by leaving the sandbox's scope (the Function constructor
 * runs code in this global scope): the network, messaging to the page, and nested workers.
 */
const LOCKED_GLOBALS = ['fetch', 'importScripts', 'XMLHttpRequest', 'WebSocket', 'WebTransport', 'EventSource', 'BroadcastChannel', 'postMessage', 'Worker', 'SharedWorker', 'indexedDB', 'caches'];

/** Removes `name` from the worker scope and its prototypes, leaving an undefined that cannot be redefined. */
function lockGlobal(scope: object, name: string): void {
  for (let holder: object | null = scope; holder; holder = Object.getPrototypeOf(holder)) {
    if (Object.prototype.hasOwnProperty.call(holder, name)) Reflect.deleteProperty(holder, name);
  }
  Object.defineProperty(scope, name, { value: undefined, writable: false, configurable: false });
}

// The runtime keeps its own bound channel to the page; then the globals go.
const post = self.postMessage.bind(self) as (message: FromWorker) => void;
const listen = self.addEventListener.bind(self);
const port: MessagePortLike<FromWorker, ToWorker> = {
  postMessage: (message) => post(message),
  addEventListener: (type, listener) => listen(type, listener as unknown as EventListener),
};
// Debian's unit files are data beside the code (debian-units.json): the runtime keeps a fetch for that one file,
// and starts it now, while the rest of the Worker's code loads; a failed load is tried again at the next boot.
const ownFetch = self.fetch.bind(self);
const fetchDebianData = (url: URL) => ownFetch(url);
void loadDebianBase(fetchDebianData).catch(() => undefined);
for (const name of LOCKED_GLOBALS) lockGlobal(self, name);

// A hung program's promise chains end with the preemption signal (service/preempt.ts): not an error to report.
self.addEventListener('unhandledrejection', (event) => {
  if (event.reason instanceof ProcessHungSignal) event.preventDefault();
});

// Once the machine is up, the common commands' chunk (systemctl's, with journalctl, ss, curl, cat…) is fetched
// in the background, so the learner's first command does not wait for it; rarer commands load when first run.
const prefetchCommonCommands = () => void (defaultCommands.systemctl as LazyCommand).load().catch(() => undefined);

serveLabRuntime(port, async (files, hostname) => {
  await loadDebianBase(fetchDebianData);
  const machine = await createLabMachine(files, { hostname });
  prefetchCommonCommands();
  return machine;
});

/**
 * The in-page runtime's Web Worker entry: the emulator runs here, off the page's main thread, and
 * lab service programs run in the memory kernel's sandbox inside this Worker (no DOM, no cookies,
 * no network but what the emulator models).
 */
import { createLabMachine } from './lab-machine.ts';
import { serveLabRuntime } from './runtime-server.ts';
import type { FromWorker, MessagePortLike, ToWorker } from './runtime-protocol.ts';

serveLabRuntime(self as unknown as MessagePortLike<FromWorker, ToWorker>, (files, hostname) =>
  createLabMachine(files, { hostname }),
);

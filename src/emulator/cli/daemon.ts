/**
 * `emu daemon --root DIR`: the emulator in the foreground on the Node kernel. It boots the units of DIR, prints
 * the journal as systemd would log it, and serves commands on the control socket (control-protocol.ts) until
 * SIGINT/SIGTERM (or a {"stop":true} control request: WebContainers cannot send signals), when it stops the
 * units, closes every socket and removes its control files. Besides the systemd commands it serves the shell's
 * tools and clients (cat, ls, curl, nc, …) on the machine's files and network, and the lab runtimes' state
 * requests (snapshot, events).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLabSystem } from '../machine/lab-system.ts';
import { createNodeKernel } from '../kernel/node/node-kernel.ts';
import { nodeAt, type ProgramNode } from '../kernel/node/program-node.ts';
import { formatJournalLine, PRIORITY } from '../manager/journal.ts';
import type { System } from '../system.ts';
import { canUseUnixControl, controlAnswers, controlPaths } from './control-address.ts';
import { encodeMessage, lineSplitter, MAX_LINE_LENGTH, parseClientMessage, parseRequest } from './control-protocol.ts';
import type { CommandRequest, DaemonMessage, StateRequest } from './control-protocol.ts';
import { acquireDaemonLock } from './daemon-lock.ts';

/** Options of `emu daemon`. */
export interface DaemonOptions {
  root: string;
  /** Force the WebContainer mode: no fd passing, no Unix sockets (preload shim + TCP relays). */
  shim?: boolean;
  hostname?: string;
  /** The Node.js that is the machine's /usr/bin/node, for the services' Node programs (default: the emulator's own). */
  node?: string;
  /** Where journal lines and messages go (default: process stdout/stderr). */
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Resolves when the daemon should stop (default: SIGINT or SIGTERM; a stop request always stops it too). */
  stopSignal?: Promise<unknown>;
  /** Called once the daemon serves commands. */
  onReady?: () => void;
}

/** Runs the daemon until stopped; resolves with the process exit code. */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  const out = options.stdout ?? ((text: string) => process.stdout.write(text));
  const err = options.stderr ?? ((text: string) => process.stderr.write(text));
  const paths = controlPaths(options.root);
  if (!fs.existsSync(options.root)) {
    err(`Failed to start the emulator: root directory ${options.root} does not exist. Create it, with unit files under ${options.root}/etc/systemd/system.\n`);
    return 1;
  }
  let programNode: ProgramNode | undefined;
  if (options.node) {
    try {
      programNode = nodeAt(path.resolve(options.node), path.join(os.tmpdir(), `emulator-node-libraries-${process.getuid?.() ?? 0}`));
    } catch (error) {
      err(`Failed to start the emulator: --node ${options.node}: ${(error as Error).message.replace(/\.$/, '')}. Give a Node.js executable that runs on this machine.\n`);
      return 1;
    }
  }
  const lock = acquireDaemonLock(paths);
  if (!lock.ok) {
    const state = (await controlAnswers(paths)) ? 'and answering' : 'still starting or stopping';
    err(`Failed to start the emulator at ${options.root}: another daemon is already running there (pid ${lock.pid}, ${state}). Stop it first (Ctrl+C in its terminal, or kill ${lock.pid}).\n`);
    return 1;
  }
  // From source, the services' sd-daemon module loads TypeScript: another Node gets a built copy (build-bundle.ts).
  const serviceRuntimeDir = programNode && import.meta.url.endsWith('.ts')
    ? await (await import('./build-bundle.ts')).buildServiceRuntime(fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-service-runtime-')))
    : undefined;
  const kernel = await createNodeKernel({
    root: options.root,
    hostname: options.hostname,
    programNode,
    serviceRuntimeDir,
    ...(options.shim ? { fdPassing: false, unixSockets: false } : {}),
    onLateError: (error) => err(`emulator: ${error.message}\n`),
  });
  const { system } = createLabSystem(kernel, kernel.hostname);
  kernel.setManagerLog((message) => system.manager.log(undefined, message, PRIORITY.warning));
  system.subscribe((event) => {
    if (event.type === 'journal') out(formatJournalLine(event.entry, kernel.hostname) + '\n');
  });

  let requestStop = (): void => undefined;
  const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
  const server = net.createServer((socket) => serveClient(socket, system, requestStop));
  fs.rmSync(paths.socket, { force: true });
  fs.rmSync(paths.portFile, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (canUseUnixControl(paths, kernel.unixSockets)) server.listen(paths.socket, resolve);
    else server.listen({ host: '127.0.0.1', port: 0 }, () => {
      fs.writeFileSync(paths.portFile, `${(server.address() as net.AddressInfo).port}\n`);
      resolve();
    });
  });
  await system.boot();
  await kernel.ready();
  options.onReady?.();

  await Promise.race([
    stopRequested,
    options.stopSignal ?? new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    }),
  ]);
  await Promise.race([system.shutdown(), new Promise((resolve) => setTimeout(resolve, 5000))]);
  await kernel.dispose();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(paths.socket, { force: true });
  fs.rmSync(paths.portFile, { force: true });
  lock.release();
  return 0;
}

/** Answers a state request: the snapshot, the event stream (until the client leaves), or a stop. */
function serveStateRequest(request: StateRequest, socket: net.Socket, system: System, send: (message: DaemonMessage) => void, requestStop: () => void): void {
  if ('snapshot' in request) {
    send({ snapshot: system.snapshot() });
    send({ exit: 0 });
    socket.end();
  } else if ('events' in request) {
    const unsubscribe = system.subscribe((event) => send({ event }));
    socket.on('close', unsubscribe);
    send({ subscribed: true });
  } else {
    send({ exit: 0 });
    socket.end();
    requestStop();
  }
}

/** Serves one control connection: one command, streamed output, its exit code (or a state request). */
function serveClient(socket: net.Socket, system: System, requestStop: () => void): void {
  socket.setEncoding('utf8');
  socket.on('error', () => undefined);
  const abort = new AbortController();
  const stdinListeners = new Set<(text: string) => void>();
  const endListeners = new Set<() => void>();
  // Standard input that arrives before the command reads it (nc connects first) waits here, as in a pipe.
  const unread: string[] = [];
  let stdinEnded = false;
  let started = false;
  const send = (message: DaemonMessage): void => {
    if (!socket.destroyed && socket.writable) socket.write(encodeMessage(message));
  };
  socket.on('close', () => abort.abort());
  const refuse = (reason: string): void => {
    send({ stderr: `emulator: malformed control message: ${reason}\n` });
    send({ exit: 2 });
    socket.end();
  };
  socket.on('data', lineSplitter((line) => {
    if (started) {
      const message = parseClientMessage(line);
      if (message && 'stdin' in message) {
        if (stdinListeners.size === 0) unread.push(message.stdin);
        for (const listener of stdinListeners) listener(message.stdin);
      } else if (message) {
        stdinEnded = true;
        for (const listener of endListeners) listener();
      }
      return;
    }
    started = true;
    let request: CommandRequest | StateRequest;
    try {
      request = parseRequest(line);
    } catch (error) {
      refuse((error as Error).message);
      return;
    }
    if (!('argv' in request)) {
      serveStateRequest(request, socket, system, send, requestStop);
      return;
    }
    void system.runCommand(request.argv, {
      stdout: (text) => send({ stdout: text }),
      stderr: (text) => send({ stderr: text }),
      stdin: {
        onData: (callback) => {
          stdinListeners.add(callback);
          for (const text of unread.splice(0)) callback(text);
          return () => stdinListeners.delete(callback);
        },
        onEnd: (callback) => {
          endListeners.add(callback);
          // The end comes after the data: onData is subscribed first by every reader.
          if (stdinEnded) queueMicrotask(() => endListeners.has(callback) && callback());
          return () => endListeners.delete(callback);
        },
      },
      signal: abort.signal,
      columns: request.columns,
      env: request.env,
    }).then((code) => {
      send({ exit: code });
      socket.end();
    });
  }, () => {
    abort.abort();
    refuse(`line longer than ${MAX_LINE_LENGTH} characters`);
  }));
}

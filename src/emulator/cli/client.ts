/**
 * The command-line side of `emu systemctl|journalctl|ss|… --root DIR`: sends the command to the daemon of DIR
 * over its control socket, streams the output to this terminal and exits with the command's status.
 * Ctrl+C closes the connection, which the daemon takes as an interrupt (journalctl -f stops).
 * Also the lab runtimes' state requests: `emu snapshot`, `emu events`, `emu stop`.
 */
import * as net from 'node:net';
import { controlPaths, controlTarget } from './control-address.ts';
import { encodeMessage, lineSplitter } from './control-protocol.ts';
import type { ControlRequest, DaemonMessage } from './control-protocol.ts';

/** Terminal streams of the client (injectable for tests). */
export interface ClientIO {
  stdout(text: string): void;
  stderr(text: string): void;
  stdin?: NodeJS.ReadableStream;
  columns?: number;
}

/** The message a command prints when no daemon serves `root`. */
export function noDaemonMessage(root: string): string {
  return `Failed to connect to the emulator at ${root}: no daemon is running. Start it with: npm run -s emu -- daemon --root ${root}\n`;
}

/** Runs `argv` on the daemon of `root`; resolves with its exit status (1 when no daemon runs). */
export function runRemoteCommand(root: string, argv: string[], io: ClientIO, interrupt?: AbortSignal): Promise<number> {
  return exchange(root, { argv, columns: io.columns }, io, (message) => {
    if ('stdout' in message) io.stdout(message.stdout);
  }, interrupt, (socket) => {
    io.stdin?.setEncoding?.('utf8');
    io.stdin?.on('data', (chunk: string) => socket.write(encodeMessage({ stdin: chunk })));
    io.stdin?.on('end', () => socket.writable && socket.write(encodeMessage({ stdinEnd: true })));
  });
}

/** Where the state requests' answers go. */
export interface StateIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * One conversation with the daemon of `root`: sends `request`, prints its stderr lines, hands every other answer
 * to `onMessage` and resolves with the exit status: the daemon's, 130 after `interrupt`, 1 when no daemon answers.
 * `onConnect` may stream more (a command's stdin) once connected.
 */
function exchange(
  root: string,
  request: ControlRequest,
  io: StateIO,
  onMessage: (message: DaemonMessage) => void,
  interrupt?: AbortSignal,
  onConnect?: (socket: net.Socket) => void,
): Promise<number> {
  const target = controlTarget(controlPaths(root));
  if (!target) {
    io.stderr(noDaemonMessage(root));
    return Promise.resolve(1);
  }
  return new Promise((resolve) => {
    let exitCode: number | undefined;
    let connected = false;
    const socket = net.connect(target);
    socket.setEncoding('utf8');
    socket.once('error', () => {
      if (!connected) io.stderr(noDaemonMessage(root));
      resolve(exitCode ?? 1);
    });
    socket.once('connect', () => {
      connected = true;
      socket.write(encodeMessage(request));
      onConnect?.(socket);
    });
    interrupt?.addEventListener('abort', () => {
      exitCode ??= 130;
      socket.destroy();
      resolve(exitCode);
    });
    socket.on('data', lineSplitter((line) => {
      const message = JSON.parse(line) as DaemonMessage;
      if ('exit' in message) exitCode = message.exit;
      else if ('stderr' in message) io.stderr(message.stderr);
      else onMessage(message);
    }));
    socket.on('close', () => {
      if (connected && exitCode === undefined && !interrupt?.aborted) io.stderr(`The emulator at ${root} closed the connection.\n`);
      resolve(exitCode ?? 1);
    });
  });
}

/** `emu snapshot --root DIR`: prints the daemon's SystemSnapshot as one line of JSON. */
export function printSnapshot(root: string, io: StateIO): Promise<number> {
  return exchange(root, { snapshot: true }, io, (message) => {
    if ('snapshot' in message) io.stdout(JSON.stringify(message.snapshot) + '\n');
  });
}

/**
 * `emu events --root DIR`: prints one JSON SystemEvent per line as the daemon emits them, until `interrupt`
 * (Ctrl+C) or the daemon stops. Once subscribed it says so on stderr, so a reader knows no later event is missed.
 */
export function printEvents(root: string, io: StateIO, interrupt?: AbortSignal): Promise<number> {
  return exchange(root, { events: true }, io, (message) => {
    if ('event' in message) io.stdout(JSON.stringify(message.event) + '\n');
    else if ('subscribed' in message) io.stderr(`Following the events of the emulator at ${root}; Ctrl+C to stop.\n`);
  }, interrupt);
}

/** `emu stop --root DIR`: asks the daemon to stop its units and exit; resolves once it has taken the request. */
export function requestStop(root: string, io: StateIO): Promise<number> {
  return exchange(root, { stop: true }, io, () => undefined);
}

/**
 * The command-line side of `emu systemctl|journalctl|ss|… --root DIR`: sends the command to the daemon of DIR
 * over its control socket, streams the output to this terminal and exits with the command's status.
 * Ctrl+C closes the connection, which the daemon takes as an interrupt (journalctl -f stops).
 */
import * as net from 'node:net';
import { controlPaths, controlTarget } from './control-address.ts';
import { encodeMessage, lineSplitter } from './control-protocol.ts';
import type { DaemonMessage } from './control-protocol.ts';

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
  const target = controlTarget(controlPaths(root));
  if (!target) {
    io.stderr(noDaemonMessage(root));
    return Promise.resolve(1);
  }
  return new Promise((resolve) => {
    let exitCode: number | undefined;
    const socket = net.connect(target);
    socket.setEncoding('utf8');
    socket.once('error', () => {
      if (exitCode === undefined) io.stderr(noDaemonMessage(root));
      resolve(exitCode ?? 1);
    });
    socket.once('connect', () => {
      socket.write(encodeMessage({ argv, columns: io.columns }));
      io.stdin?.setEncoding?.('utf8');
      io.stdin?.on('data', (chunk: string) => socket.write(encodeMessage({ stdin: chunk })));
      io.stdin?.on('end', () => socket.writable && socket.write(encodeMessage({ stdinEnd: true })));
    });
    interrupt?.addEventListener('abort', () => {
      exitCode ??= 130;
      socket.destroy();
      resolve(exitCode);
    });
    socket.on('data', lineSplitter((line) => {
      const message = JSON.parse(line) as DaemonMessage;
      if ('stdout' in message) io.stdout(message.stdout);
      else if ('stderr' in message) io.stderr(message.stderr);
      else if ('exit' in message) exitCode = message.exit;
    }));
    socket.on('close', () => resolve(exitCode ?? 1));
  });
}

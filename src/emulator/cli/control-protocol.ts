/**
 * The control protocol between `emu daemon` and the command-line clients: line-delimited JSON over the
 * control socket. The client sends one request line, then optional stdin lines; closing its side means Ctrl+C.
 *   client → daemon  {"argv":["systemctl","status","x.socket"],"columns":120}   then {"stdin":"…"} … {"stdinEnd":true}
 *   daemon → client  {"stdout":"…"} / {"stderr":"…"} … then {"exit":0}
 * Three more first messages serve the lab runtimes (no terminal involved):
 *   {"snapshot":true}  → {"snapshot":{…SystemSnapshot}} then {"exit":0}
 *   {"events":true}    → {"subscribed":true}, then {"event":{…SystemEvent}} per event until the client closes
 *   {"stop":true}      → {"exit":0}; the daemon then stops its units and exits as on SIGTERM
 * A malformed line gets {"stderr":"emulator: malformed control message: …"} and {"exit":2}, and that client is closed.
 */
import type { SystemEvent, SystemSnapshot } from '../system-events.ts';

/** The first message of a client. */
export interface CommandRequest {
  argv: string[];
  columns?: number;
  env?: Record<string, string>;
}

/** A first message that asks for state rather than running a command. */
export type StateRequest = { snapshot: true } | { events: true } | { stop: true };

/** Any first message of a client. */
export type ControlRequest = CommandRequest | StateRequest;

/** Later messages of a client. */
export type ClientMessage = { stdin: string } | { stdinEnd: true };

/** What the daemon sends back. */
export type DaemonMessage =
  | { stdout: string }
  | { stderr: string }
  | { exit: number }
  | { snapshot: SystemSnapshot }
  | { subscribed: true }
  | { event: SystemEvent };

/** One message as a line. */
export function encodeMessage(message: ControlRequest | ClientMessage | DaemonMessage): string {
  return JSON.stringify(message) + '\n';
}

/** Parses a request line; throws an Error saying what is wrong. */
export function parseRequest(line: string): ControlRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`not JSON: ${line.slice(0, 80)}`);
  }
  const state = value as Record<string, unknown> | null;
  if (state && typeof state === 'object' && !('argv' in state)) {
    for (const kind of ['snapshot', 'events', 'stop'] as const) if (state[kind] === true) return { [kind]: true } as StateRequest;
  }
  const request = value as Partial<CommandRequest> | null;
  if (!request || typeof request !== 'object' || !Array.isArray(request.argv) || request.argv.length === 0
    || !request.argv.every((arg) => typeof arg === 'string')) {
    throw new Error('expected {"argv": ["command", "arg", …]} with a non-empty list of strings (or {"snapshot": true}, {"events": true}, {"stop": true})');
  }
  if (request.columns !== undefined && (typeof request.columns !== 'number' || !(request.columns > 0))) {
    throw new Error('"columns" must be a positive number');
  }
  const env = request.env && typeof request.env === 'object' ? Object.fromEntries(Object.entries(request.env).filter(([, v]) => typeof v === 'string')) : undefined;
  return { argv: request.argv, columns: request.columns, env };
}

/** Parses a stdin line of a client (undefined when it is something else). */
export function parseClientMessage(line: string): ClientMessage | undefined {
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    if (typeof value?.stdin === 'string') return { stdin: value.stdin };
    if (value?.stdinEnd === true) return { stdinEnd: true };
  } catch {
    // ignored: only the request line is checked strictly
  }
  return undefined;
}

/** The longest line a peer may send (a request with its arguments, or one stdin chunk, is far smaller). */
export const MAX_LINE_LENGTH = 16 * 1024 * 1024;

/**
 * Splits a stream of text into lines, calling `onLine` for each complete one. Only the new chunk is searched for
 * the newline (re-splitting the held part made a long line quadratic: 40 MB stalled the daemon for minutes).
 * A line growing past `maxLength` calls `onTooLong` once and the rest of the stream is ignored.
 */
export function lineSplitter(onLine: (line: string) => void, onTooLong?: () => void, maxLength = MAX_LINE_LENGTH): (chunk: string) => void {
  let held: string[] = [];
  let heldLength = 0;
  let overflowed = false;
  return (chunk) => {
    if (overflowed) return;
    let start = 0;
    for (let newline = chunk.indexOf('\n'); newline >= 0; newline = chunk.indexOf('\n', start)) {
      held.push(chunk.slice(start, newline));
      const line = held.join('');
      held = [];
      heldLength = 0;
      start = newline + 1;
      if (line.trim() !== '') onLine(line);
    }
    if (start < chunk.length) {
      held.push(chunk.slice(start));
      heldLength += chunk.length - start;
    }
    if (heldLength > maxLength && onTooLong) {
      overflowed = true;
      held = [];
      onTooLong();
    }
  };
}

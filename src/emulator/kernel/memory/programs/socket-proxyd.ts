/**
 * /usr/lib/systemd/systemd-socket-proxyd (src/socket-proxy/socket-proxyd.c, systemd 252): serves every
 * socket passed in LISTEN_FDS, connects each accepted client to HOST:PORT (or a Unix socket path) and copies
 * bytes both ways until either side closes. `--exit-idle-time=` exits 0 once that long passed without a
 * connection; `--connections-max=` (default 256) refuses clients beyond it. Messages as the real binary's.
 */
import type { ProgramFactory } from '../../../service/sandbox.ts';
import { parseSec } from '../../../unit-file/value-parsers.ts';

/** Parsed command line, or the error systemd-socket-proxyd prints. */
export interface ProxydOptions {
  target: { host: string; port: number } | { path: string };
  exitIdleMs?: number;
  connectionsMax: number;
}

/** Parses the command line (argv without the program); a string is the error line to print. */
export function parseProxydArgs(args: string[]): ProxydOptions | string {
  let exitIdleMs: number | undefined;
  let connectionsMax = 256;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (name === '--exit-idle-time') {
      const text = value() ?? '';
      const ms = parseSec(text);
      if (ms === undefined) return `Failed to parse --exit-idle-time= argument: ${text}`;
      exitIdleMs = ms;
    } else if (name === '-c' || name === '--connections-max') {
      const text = value() ?? '';
      const n = Number(text);
      if (!/^\d+$/.test(text) || n < 1) return `Connection limit is too low.`;
      connectionsMax = n;
    } else if (name.startsWith('-') && name !== '-') return `${name.startsWith('--') ? 'unrecognized option' : 'invalid option'} '${name}'`;
    else positional.push(arg);
  }
  if (positional.length < 1) return 'Not enough parameters.';
  if (positional.length > 1) return 'Too many parameters.';
  const destination = positional[0];
  if (destination.startsWith('/')) return { target: { path: destination }, exitIdleMs, connectionsMax };
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(destination);
  if (!match) return `Failed to resolve host ${destination}: Invalid argument`;
  return { target: { host: match[1], port: Number(match[2]) }, exitIdleMs, connectionsMax };
}

/** The program. */
export const socketProxyd: ProgramFactory = ({ process, require, console, setTimeout, clearTimeout }) => {
  const net = require('net') as any;
  // A built-in program's argv is [path, ...args] (a script's is [node, path, ...args]).
  const options = parseProxydArgs(process.argv.slice(process.argv.findIndex((arg: string) => arg.endsWith('systemd-socket-proxyd')) + 1));
  if (typeof options === 'string') {
    console.error(options);
    process.exit(1);
    return;
  }
  const count = process.env.LISTEN_PID === String(process.pid) ? Number(process.env.LISTEN_FDS) || 0 : 0;
  if (count <= 0) {
    console.error("Didn't get any sockets passed in.");
    process.exit(1);
    return;
  }
  let open = 0;
  let idle: unknown;
  const armIdle = (): void => {
    if (options.exitIdleMs === undefined || options.exitIdleMs === Infinity || open > 0) return;
    idle = setTimeout(() => process.exit(0), options.exitIdleMs);
  };
  const serve = (client: any): void => {
    if (open >= options.connectionsMax) {
      client.destroy();
      return;
    }
    open++;
    clearTimeout(idle as never);
    let done = false;
    const server = net.connect('path' in options.target ? { path: options.target.path } : { host: options.target.host, port: options.target.port });
    const close = (): void => {
      if (done) return;
      done = true;
      client.destroy();
      server.destroy();
      open--;
      armIdle();
    };
    // Both directions at EOF: the connection is done (the real proxy's splice loop ends the same way).
    let ends = 0;
    const ended = (): void => {
      if (++ends === 2) close();
    };
    server.on('connect', () => {
      client.pipe(server);
      server.pipe(client);
      client.on('end', ended);
      server.on('end', ended);
    });
    server.on('error', (error: { code?: string; message: string }) => {
      if (error.code === 'ECONNREFUSED') console.error('Failed to connect to remote host: Connection refused');
      else console.error(`Failed to connect to remote host: ${error.message}`);
      close();
    });
    client.on('error', close);
    server.on('close', close);
    client.on('close', close);
  };
  for (let fd = 3; fd < 3 + count; fd++) net.createServer(serve).listen({ fd });
  armIdle();
};

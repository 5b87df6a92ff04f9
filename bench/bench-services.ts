/** The Node service programs the benchmark runs, and a temporary root to hold them. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Writes a byte as soon as a connection arrives (cold activation: connect → first byte). */
export const FIRST_BYTE_SERVICE = `
require('net').createServer((s) => { s.end('x'); }).listen(process.env.DIRECT_PORT ? { port: Number(process.env.DIRECT_PORT), host: '127.0.0.1' } : { fd: 3 });
`;

/** Echoes each connection's bytes back; listens on fd 3, or on DIRECT_PORT for the baseline. */
export const ECHO_SERVICE = `
const net = require('net');
const delay = Number(process.env.DELAY_MS || 0);
setTimeout(() => {
  net.createServer((s) => s.pipe(s)).listen(process.env.DIRECT_PORT ? { port: Number(process.env.DIRECT_PORT), host: '127.0.0.1', backlog: 4096 } : { fd: 3 });
  if (process.send) process.send('listening');
}, delay);
`;

/** A temporary directory with the given files (relative path → contents). */
export function tempRoot(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-bench-'));
  for (const [name, contents] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), contents);
  }
  return root;
}

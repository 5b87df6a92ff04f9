/**
 * `npm run preview`: serves the built site like a host that honours public/_headers.
 * Env: BASE_PATH (as at build time), OUT_DIR (default dist), PORT (default 4321), HOST (default 127.0.0.1).
 */
import { resolve } from 'node:path';
import { createStaticServer, listen } from './static-server.ts';
import { normalizeBase } from './links.ts';

const base = normalizeBase(process.env.BASE_PATH);
const root = resolve(process.env.OUT_DIR ?? 'dist');
const server = await createStaticServer({ root, base });
const origin = await listen(server, Number(process.env.PORT ?? 4321), process.env.HOST ?? '127.0.0.1');
console.log(`Serving ${root} at ${origin}${base} (headers from ${root}/_headers). Ctrl+C to stop.`);

/**
 * A small static file server for the built site (dist/): serves it under the base path and sends
 * the headers public/_headers asks for. `npm run preview` and the browser tests use it, so what
 * they see is what a host that honours _headers (Netlify, Cloudflare Pages, the README's nginx) sends.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { headersForPath, parseHeadersFile, type HeaderRule } from './headers.ts';
import { normalizeBase } from './links.ts';

/** Where to serve from and under which base path. */
export interface StaticServerOptions {
  /** The build output folder (dist). Its `_headers` must already carry the base path (the build writes it so). */
  root: string;
  /** The base path the site was built with (`/` or `/training/socket-activation/`). */
  base: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.xml': 'application/xml',
  '.webmanifest': 'application/manifest+json',
};

/** Resolves a URL path under `base` to a file in `root`, trying `index.html` for directories; undefined if none. */
async function resolveFile(root: string, base: string, pathname: string): Promise<string | undefined> {
  if (!pathname.startsWith(base)) return undefined;
  const relative = decodeURIComponent(pathname.slice(base.length));
  const target = normalize(join(root, relative));
  if (target !== root && !target.startsWith(root + sep)) return undefined;
  for (const candidate of [target, join(target, 'index.html')]) {
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return candidate;
  }
  return undefined;
}

/** Creates (but does not start) an http.Server that serves `root` under `base` with its `_headers`. */
export async function createStaticServer(options: StaticServerOptions): Promise<Server> {
  const root = normalize(options.root);
  const base = normalizeBase(options.base);
  const headersText = await readFile(join(root, '_headers'), 'utf8').catch(() => '');
  const rules: HeaderRule[] = parseHeadersFile(headersText);

  return createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    let pathname = url.pathname;
    if (pathname + '/' === base) {
      response.writeHead(301, { Location: base });
      response.end();
      return;
    }
    let file = await resolveFile(root, base, pathname);
    if (file && !pathname.endsWith('/') && file.endsWith(`${sep}index.html`) && !pathname.endsWith('.html')) {
      response.writeHead(301, { Location: `${pathname}/${url.search}` });
      response.end();
      return;
    }
    let status = 200;
    if (!file) {
      status = 404;
      file = join(root, '404.html');
    }
    const body = await readFile(file).catch(() => Buffer.from('Not found'));
    const headers: Record<string, string> = {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
    };
    for (const [name, value] of headersForPath(rules, pathname)) headers[name] = value;
    response.writeHead(status, headers);
    response.end(request.method === 'HEAD' ? undefined : body);
  });
}

/** Starts a server on `port` (0 picks a free one) and resolves with its origin, e.g. `http://127.0.0.1:4321`. */
export async function listen(server: Server, port = 0, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('static server: no TCP address after listen()');
  return `http://${host}:${address.port}`;
}

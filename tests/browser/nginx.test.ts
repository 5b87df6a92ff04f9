/**
 * The deployment config (top-level nginx.conf) on Debian's real nginx: it must be what
 * src/site/nginx-config.ts generates from public/_headers, and serving the sub-path build with it on a
 * loopback port must give the right headers (CSP, COOP/COEP, caching, MIME), a 404 page, and a lab that
 * runs end to end in Chromium. Skips with the reason when /usr/sbin/nginx is missing (.ci/run installs it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headersForPath, parseHeadersFile } from '../../src/site/headers.ts';
import { NGINX_DEFAULT_LISTEN, NGINX_DEFAULT_ROOT, nginxConfig } from '../../src/site/nginx-config.ts';
import { collectPageErrors, launchBrowser, SUBPATH_BASE, SUBPATH_OUT_DIR } from './browser-harness.ts';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const ROOT = resolve(import.meta.dirname, '../..');
const LESSON = 'lessons/socket-and-service-units/';
const hasNginx = existsSync(NGINX);
if (!hasNginx) console.warn(`nginx.test.ts: skipping the nginx run: ${NGINX} not found (apt-get install -y nginx, or set NGINX_PATH).`);

const publicHeaders = readFileSync(join(ROOT, 'public/_headers'), 'utf8');

describe('nginx.conf', () => {
  it('is what src/site/nginx-config.ts generates from public/_headers (regenerate: node src/site/nginx-config.ts > nginx.conf)', () => {
    expect(readFileSync(join(ROOT, 'nginx.conf'), 'utf8')).toBe(nginxConfig(publicHeaders));
  });
});

/** A free loopback port. */
function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = net.createServer().listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => done(port));
    });
  });
}

/** Resolves once something accepts connections on `port`, or rejects after `ms`. */
async function waitForPort(port: number, ms: number, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const open = await new Promise<boolean>((done) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => done(socket.destroy() !== undefined));
      socket.once('error', () => done(false));
    });
    if (open) return;
    const why = exited();
    if (why !== undefined || Date.now() > deadline) throw new Error(`nginx did not listen on 127.0.0.1:${port}: ${why ?? 'timeout'}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

describe.skipIf(!hasNginx)('Debian nginx serving the sub-path build with nginx.conf', () => {
  let dir: string;
  let nginx: ChildProcess;
  let origin: string;
  let browser: Browser;
  let log = '';
  const base = () => `${origin}${SUBPATH_BASE}`;

  beforeAll(async () => {
    const build = join(ROOT, SUBPATH_OUT_DIR);
    if (!existsSync(join(build, 'index.html'))) throw new Error(`no sub-path build in ${build}: global-setup.ts should have built it`);
    dir = mkdtempSync(join(tmpdir(), 'nginx-test-'));
    // The layout nginx.conf documents: <root><base> holds the build (linked entry by entry, plus a .wasm
    // probe: the build has no .wasm file of its own, Pagefind names its WebAssembly *.pagefind).
    const siteDir = join(dir, 'www', SUBPATH_BASE);
    mkdirSync(siteDir, { recursive: true });
    for (const entry of readdirSync(build)) symlinkSync(join(build, entry), join(siteDir, entry));
    writeFileSync(join(siteDir, 'probe.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    const server = readFileSync(join(ROOT, 'nginx.conf'), 'utf8')
      .replace(`listen ${NGINX_DEFAULT_LISTEN};`, `listen 127.0.0.1:${port};`)
      .replace(`root ${NGINX_DEFAULT_ROOT};`, `root ${join(dir, 'www')};`);
    writeFileSync(join(dir, 'server.conf'), server);
    // Workers run as root: the sandbox runs as root and the build may not be readable by nobody.
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `${kind}_temp_path ${join(dir, kind)};`).join(' ');
    writeFileSync(join(dir, 'main.conf'), `user root;\nworker_processes 1;\nevents { worker_connections 256; }\nhttp { access_log off; ${temp} include ${join(dir, 'server.conf')}; }\n`);
    nginx = spawn(NGINX, ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'main.conf'), '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`], { stdio: ['ignore', 'pipe', 'pipe'] });
    nginx.stdout!.on('data', (chunk) => (log += chunk));
    nginx.stderr!.on('data', (chunk) => (log += chunk));
    let exit: string | undefined;
    nginx.once('exit', (code) => (exit = `nginx exited with ${code}: ${log}`));
    await waitForPort(port, 10_000, () => exit);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((done) => nginx.once('exit', done));
      nginx.kill('SIGQUIT');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends public/_headers\' headers for every built page, with HTML revalidated', async () => {
    const rules = parseHeadersFile(publicHeaders);
    const pages = ['', 'faq/', '404.html', LESSON, 'labs/myapp/'];
    for (const page of pages) {
      const response = await fetch(base() + page);
      expect(response.status, page).toBe(200);
      expect(response.headers.get('content-type'), page).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control'), page).toBe('no-cache');
      for (const [name, value] of headersForPath(rules, `/${page}`)) expect(response.headers.get(name), `${name} of /${page}`).toBe(value);
    }
    const lesson = await fetch(base() + LESSON);
    expect(lesson.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(lesson.headers.get('cross-origin-embedder-policy')).toBe('credentialless');
    expect(lesson.headers.get('content-security-policy')).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  });

  it('serves hashed assets as immutable for a year, the lab Worker with its own CSP, .mjs and .wasm with their MIME types', async () => {
    const assets = readdirSync(join(ROOT, SUBPATH_OUT_DIR, '_astro'));
    const script = assets.find((name) => name.endsWith('.js') && !name.startsWith('runtime-worker-'));
    const worker = assets.find((name) => name.startsWith('runtime-worker-'));
    expect(script && worker, assets.join(', ')).toBeTruthy();
    const asset = await fetch(`${base()}_astro/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('cross-origin-embedder-policy')).toBe('credentialless');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    const workerResponse = await fetch(`${base()}_astro/${worker}`);
    expect(workerResponse.headers.get('content-security-policy')).toBe(headersForPath(parseHeadersFile(publicHeaders), `/_astro/${worker}`).get('Content-Security-Policy'));
    const mjs = await fetch(`${base()}webcontainer/emulator.mjs`);
    expect(mjs.status).toBe(200);
    expect(mjs.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${base()}probe.wasm`)).headers.get('content-type')).toBe('application/wasm');
  });

  it('answers an unknown path with 404 and the site\'s 404 page under its CSP, and redirects the bare sub-path and directories to their slash', async () => {
    const missing = await fetch(`${base()}no/such/page/`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain(SUBPATH_BASE); // the 404 page links back into the site
    expect(missing.headers.get('content-security-policy')).toContain("default-src 'self'");
    const missingAsset = await fetch(`${base()}_astro/nope.js`);
    expect(missingAsset.status).toBe(404);
    expect(missingAsset.headers.get('cache-control')).toBe('no-cache');
    for (const [from, to] of [[SUBPATH_BASE.slice(0, -1), SUBPATH_BASE], [`${SUBPATH_BASE}faq`, `${SUBPATH_BASE}faq/`], [`${SUBPATH_BASE}${LESSON.slice(0, -1)}`, `${SUBPATH_BASE}${LESSON}`]]) {
      const response = await fetch(origin + from, { redirect: 'manual' });
      expect(response.status, from).toBe(301);
      expect(response.headers.get('location'), from).toBe(to);
    }
  });

  it('runs the myapp lab through nginx in Chromium: enable the socket, curl activates the service', async () => {
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.addInitScript(() => localStorage.setItem('sa-course:lab:myapp', JSON.stringify({ files: {}, goals: {}, history: [], runtime: 'in-page' })));
    await page.goto(base() + LESSON);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.getByRole('button', { name: 'Start lab' }).click();
    await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Show solution' }).click();
    const terminal = page.getByRole('region', { name: 'Terminal' });
    const type = async (line: string): Promise<string> => {
      await terminal.click();
      await page.keyboard.type(`${line}\n`);
      await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor({ timeout: 15_000 });
      return (await terminal.innerText()).replace(/\u00a0/g, ' ');
    };
    await type('systemctl daemon-reload');
    expect(await type('systemctl enable --now myapp.socket')).toContain('Created symlink /etc/systemd/system/sockets.target.wants/myapp.socket');
    expect(await type('curl http://localhost:8080/')).toContain('Hello from myapp');
    expect(await type('systemctl is-active myapp.service')).toMatch(/\nactive\n/);
    expect(errors.list()).toEqual([]);
    await page.close();
  });
});

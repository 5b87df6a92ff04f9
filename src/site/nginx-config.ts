/**
 * Writes the nginx `server { }` block (top-level nginx.conf) from public/_headers, so the deployment config
 * and the Netlify / Cloudflare headers cannot drift apart:
 *
 *   node src/site/nginx-config.ts > nginx.conf                       # base /training/socket-activation/
 *   node src/site/nginx-config.ts --base /docs/ > my-nginx.conf      # another sub-path
 *
 * tests/browser/nginx.test.ts checks that the committed nginx.conf equals this output, then runs it.
 *
 * Why it is built the way it is:
 * - A host applies EVERY `_headers` rule that matches a path; nginx picks ONE location. So each rule becomes
 *   one location whose headers are those of every rule matching that location's paths (headersForPath).
 * - nginx drops inherited `add_header`s in a location that has its own, so each location lists them all.
 * - `try_files $uri ${uri}index.html` serves a directory's index.html inside the SAME location (the `index`
 *   directive would redirect internally to `.../index.html` and land in another location, with other headers).
 * - Caching: hashed files under _astro/ are immutable for a year; everything else (HTML, Pagefind's index,
 *   the WebContainer bundle, favicon) is `no-cache` (revalidated with ETag / Last-Modified).
 * - MIME: a `types { }` block of its own (Debian's mime.types of nginx 1.22 lacks .mjs).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { headersForPath, parseHeadersFile, type HeaderRule } from './headers.ts';
import { normalizeBase } from './links.ts';

/** The sub-path nginx.conf is generated for (a team wiki's). */
export const NGINX_DEFAULT_BASE = '/training/socket-activation/';
/** The folder nginx.conf's `root` points at; the build goes to `<root><base>` (e.g. /srv/www/training/socket-activation/). */
export const NGINX_DEFAULT_ROOT = '/srv/www';
/** The port nginx.conf listens on. */
export const NGINX_DEFAULT_LISTEN = '80';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

const TYPES: [string, string][] = [
  ['text/html', 'html'],
  ['text/css', 'css'],
  ['text/javascript', 'js mjs'],
  ['application/json', 'json'],
  ['application/wasm', 'wasm'],
  ['image/svg+xml', 'svg'],
  ['image/png', 'png'],
  ['image/x-icon', 'ico'],
  ['font/woff2', 'woff2'],
  ['text/plain', 'txt'],
  ['application/xml', 'xml'],
  ['application/manifest+json', 'webmanifest'],
];

/** Options of the generated server block. */
export interface NginxConfigOptions {
  base?: string;
  root?: string;
  listen?: string;
}

/** One nginx location: its match (`= /x/`, `^~ /x/`) and the headers it sends. */
interface Location {
  match: string;
  headers: Map<string, string>;
  cache: string;
  tryFiles: string;
}

/** nginx string literal: double-quoted, with `"` and `\` escaped; a `$` would start a variable, so it is refused. */
function quote(value: string): string {
  if (value.includes('$')) throw new Error(`nginx-config: header value "${value}" contains "$", which nginx reads as a variable; remove it from public/_headers.`);
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** The locations for `_headers` rules under `base`; throws on a pattern nginx cannot express as a prefix. */
function locations(rules: readonly HeaderRule[], base: string): Location[] {
  const prefix = base.slice(0, -1);
  const result: Location[] = [];
  for (const { pattern } of rules) {
    if (pattern === '/*') continue; // shared by all; merged into every location below
    const star = pattern.indexOf('*');
    if (pattern.includes(':') || (star !== -1 && star !== pattern.length - 1)) {
      throw new Error(`nginx-config: _headers pattern "${pattern}" has a placeholder or an inner "*"; only exact paths and a trailing "*" map onto nginx locations.`);
    }
    const cacheOf = (path: string) => (path.startsWith('/_astro/') ? IMMUTABLE : REVALIDATE);
    if (star !== -1) {
      const stem = pattern.slice(0, -1);
      const sample = `${stem}x`;
      result.push({ match: `^~ ${prefix}${stem}`, headers: headersForPath(rules, sample), cache: cacheOf(stem), tryFiles: '$uri ${uri}index.html $uri/ =404' });
    } else if (pattern.endsWith('/')) {
      const headers = headersForPath(rules, pattern);
      result.push({ match: `= ${prefix}${pattern}`, headers, cache: REVALIDATE, tryFiles: '${uri}index.html =404' });
      result.push({ match: `= ${prefix}${pattern}index.html`, headers, cache: REVALIDATE, tryFiles: '$uri =404' });
    } else {
      result.push({ match: `= ${prefix}${pattern}`, headers: headersForPath(rules, pattern), cache: cacheOf(pattern), tryFiles: '$uri =404' });
    }
  }
  // Everything else under the base: the shared headers only. `$uri/` makes nginx redirect /x to /x/.
  result.push({ match: `^~ ${prefix}/`, headers: headersForPath(rules.filter((rule) => rule.pattern === '/*'), '/'), cache: REVALIDATE, tryFiles: '$uri $uri/ =404' });
  return result;
}

/** The nginx `server { }` block that serves a build of the site under `base` with the headers of `_headers` text. */
export function nginxConfig(headersText: string, options: NginxConfigOptions = {}): string {
  const base = normalizeBase(options.base ?? NGINX_DEFAULT_BASE);
  const root = options.root ?? NGINX_DEFAULT_ROOT;
  const listen = options.listen ?? NGINX_DEFAULT_LISTEN;
  const rules = parseHeadersFile(headersText);
  const lines: string[] = [
    '# Generated by `node src/site/nginx-config.ts > nginx.conf` from public/_headers. Do not edit by hand:',
    '# change public/_headers and generate again (tests/browser/nginx.test.ts checks the two agree).',
    '#',
    `# Serves a build made with BASE_PATH=${base} under ${base}. Put this block in nginx's http { }`,
    `# context (e.g. /etc/nginx/conf.d/socket-activation.conf) and copy the build to ${root}${base}:`,
    `#   BASE_PATH=${base} npm run build && rsync -a --delete dist/ ${root}${base}`,
    '# Set `listen` and `server_name` for your host; TLS goes where your other server blocks have it.',
    'server {',
    `    listen ${listen};`,
    '    server_name _;',
    `    root ${root};`,
    '    charset utf-8;',
    '    charset_types text/css text/javascript application/json image/svg+xml;',
    '    server_tokens off;',
    '    absolute_redirect off;',
    '    gzip on;',
    '    gzip_types text/css text/javascript application/json image/svg+xml application/wasm;',
    '',
    '    types {',
    ...TYPES.map(([type, extensions]) => `        ${type} ${extensions};`),
    '    }',
    '    default_type application/octet-stream;',
    '',
    `    error_page 404 ${base}404.html;`,
    `    location = ${base.slice(0, -1)} { return 301 ${base}; }`,
  ];
  for (const location of locations(rules, base)) {
    lines.push('', `    location ${location.match} {`, `        try_files ${location.tryFiles};`);
    for (const [name, value] of location.headers) lines.push(`        add_header ${name} ${quote(value)} always;`);
    // Immutable is not `always`: an error must not be cached for a year.
    lines.push(`        add_header Cache-Control ${quote(location.cache)}${location.cache === IMMUTABLE ? '' : ' always'};`, '    }');
  }
  lines.push('}', '');
  return lines.join('\n');
}

/** Reads `--base`, `--root`, `--listen` from argv. */
function parseArgs(argv: string[]): NginxConfigOptions {
  const options: NginxConfigOptions = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined || !['--base', '--root', '--listen'].includes(flag)) {
      throw new Error(`nginx-config: unexpected "${flag}". Usage: node src/site/nginx-config.ts [--base /sub/path/] [--root /srv/www] [--listen 80]`);
    }
    options[flag.slice(2) as keyof NginxConfigOptions] = value;
  }
  return options;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const headers = readFileSync(resolve(import.meta.dirname, '../../public/_headers'), 'utf8');
  process.stdout.write(nginxConfig(headers, parseArgs(process.argv.slice(2))));
}

/**
 * curl: an HTTP/1.1 client like curl 7.88 (Debian 12) for what labs need: GET/POST/any -X over TCP or
 * --unix-socket, -s/-S, -i, -I, -v, -f, -d, --data-binary/-raw/-urlencode, -F (curl-data.ts), -H, -o, -m/--max-time. Error lines and exit codes are curl's
 * (7 connect, 6 resolve, 28 timeout, 52 empty reply, 56 reset, 22 -f). It waits for the reply however long the
 * service takes to start — the connection sits in the socket's backlog meanwhile, which is the point of the
 * lesson. No progress meter (curl shows none on a terminal).
 */
import { ERRNO } from '../kernel/errno.ts';
import type { Connection, KernelError } from '../kernel/kernel.ts';
import type { CommandHandler, CommandIO, System } from '../system.ts';
import { resolvePath } from '../path-util.ts';
import { connectAs, resolveHost, tcpTarget } from './client-connect.ts';
import { curlWarning, formDataBody, multipartBody, validFormField, type DataOption, type RequestBody } from './curl-data.ts';

/** Parsed command line. */
interface CurlOptions {
  url?: string;
  method?: string;
  data: DataOption[];
  /** -F/--form fields (`name=value`, `name=@file`, `name=<file`). */
  form: string[];
  headers: string[];
  unixSocket?: string;
  silent: boolean;
  showError: boolean;
  include: boolean;
  head: boolean;
  verbose: boolean;
  fail: boolean;
  output?: string;
  maxTimeMs?: number;
}

const TRY = "curl: try 'curl --help' or 'curl --manual' for more information\n";

/** Parses curl's arguments; a string is the error to print (exit 2). */
function parseArgs(argv: string[]): CurlOptions | string {
  const o: CurlOptions = { data: [], form: [], headers: [], silent: false, showError: false, include: false, head: false, verbose: false, fail: false };
  const withValue: Record<string, (v: string) => void> = {
    '-X': (v) => (o.method = v), '--request': (v) => (o.method = v),
    '-d': (v) => o.data.push({ how: 'ascii', value: v }), '--data': (v) => o.data.push({ how: 'ascii', value: v }),
    '--data-ascii': (v) => o.data.push({ how: 'ascii', value: v }), '--data-raw': (v) => o.data.push({ how: 'raw', value: v }),
    '--data-binary': (v) => o.data.push({ how: 'binary', value: v }), '--data-urlencode': (v) => o.data.push({ how: 'urlencode', value: v }),
    '-F': (v) => o.form.push(v), '--form': (v) => o.form.push(v),
    '-H': (v) => o.headers.push(v), '--header': (v) => o.headers.push(v),
    '--unix-socket': (v) => (o.unixSocket = v),
    '-o': (v) => (o.output = v), '--output': (v) => (o.output = v),
    '-m': (v) => (o.maxTimeMs = Number(v) * 1000), '--max-time': (v) => (o.maxTimeMs = Number(v) * 1000),
    '--connect-timeout': () => {}, '-A': (v) => o.headers.push(`User-Agent: ${v}`), '--user-agent': (v) => o.headers.push(`User-Agent: ${v}`),
  };
  const flags: Record<string, () => void> = {
    '-s': () => (o.silent = true), '--silent': () => (o.silent = true), '-S': () => (o.showError = true), '--show-error': () => (o.showError = true),
    '-i': () => (o.include = true), '--include': () => (o.include = true), '-I': () => (o.head = true), '--head': () => (o.head = true),
    '-v': () => (o.verbose = true), '--verbose': () => (o.verbose = true), '-f': () => (o.fail = true), '--fail': () => (o.fail = true),
    '--http1.1': () => {}, '-L': () => {}, '--location': () => {}, '-k': () => {}, '--insecure': () => {}, '--no-progress-meter': () => {},
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      if (withValue[name]) {
        const v = inline ?? argv[++i];
        if (v === undefined) return `curl: option ${name}: requires parameter\n${TRY}`;
        withValue[name](v);
      } else if (flags[name]) flags[name]();
      else return `curl: option ${a}: is unknown\n${TRY}`;
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const f = `-${a[j]}`;
        if (withValue[f]) {
          const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
          if (v === undefined) return `curl: option ${f}: requires parameter\n${TRY}`;
          withValue[f](v);
          break;
        } else if (flags[f]) flags[f]();
        else return `curl: option ${a}: is unknown\n${TRY}`;
      }
    } else o.url = a;
  }
  const badField = o.form.find((field) => !validFormField(field));
  if (badField !== undefined) return `${curlWarning('Illegally formatted input field!')}curl: option -F: is badly used here\n${TRY}`;
  if (!o.url) return `curl: no URL specified!\n${TRY}`;
  return o;
}

/** The parts of an http URL. */
function parseUrl(url: string): { host: string; port: number; path: string; hostHeader: string } | string {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(\[[^\]]+\]|[^/:?#]*)(?::(\d*))?([^#]*)/.exec(url);
  if (!m) return 'URL rejected: Malformed input to a URL function';
  const scheme = (m[1] ?? 'http').toLowerCase();
  if (scheme !== 'http') return `Protocol "${scheme}" not supported or disabled in libcurl`;
  const host = m[2];
  if (!host) return 'URL rejected: No host part in the URL';
  const port = m[3] ? Number(m[3]) : 80;
  if (port > 65535) return 'URL rejected: Port number was not a decimal number between 0 and 65535';
  return { host, port, path: m[4] || '/', hostHeader: port === 80 ? host : `${host}:${port}` };
}

/** A parsed response. */
interface Response {
  statusLine: string;
  status: number;
  headerBlock: string;
  body: Uint8Array;
}

/** Reads one HTTP response off a connection; rejects with a curl error [code, message]. */
function readResponse(conn: Connection, head: boolean): Promise<Response> {
  return new Promise((resolve, reject) => {
    let buf: Uint8Array = new Uint8Array(0);
    let headerEnd = -1;
    let response: Response | undefined;
    let done = false;
    const finish = (r: Response) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    const fail = (code: number, text: string) => {
      if (done) return;
      done = true;
      reject([code, text]);
    };
    const tryParse = () => {
      if (headerEnd < 0) {
        const text = new TextDecoder('latin1').decode(buf);
        headerEnd = text.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const block = text.slice(0, headerEnd);
        const statusLine = block.split('\r\n')[0];
        const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine)?.[1] ?? NaN);
        if (Number.isNaN(status)) return fail(1, 'Received HTTP/0.9 when not allowed');
        response = { statusLine, status, headerBlock: block + '\r\n\r\n', body: new Uint8Array(0) };
        buf = buf.subarray(headerEnd + 4);
      }
      const r = response!;
      const headers = r.headerBlock.toLowerCase();
      const length = /\r\ncontent-length:\s*(\d+)/.exec(headers);
      if (head || r.status === 204 || r.status === 304) return finish(r);
      if (length) {
        if (buf.length >= Number(length[1])) {
          r.body = buf.subarray(0, Number(length[1]));
          finish(r);
        }
        return;
      }
      if (/\r\ntransfer-encoding:\s*chunked/.test(headers)) {
        const parts: Uint8Array[] = [];
        let at = 0;
        const text = new TextDecoder('latin1').decode(buf);
        for (;;) {
          const nl = text.indexOf('\r\n', at);
          if (nl < 0) return;
          const size = parseInt(text.slice(at, nl), 16);
          if (Number.isNaN(size)) return fail(56, 'Failure when receiving data from the peer');
          if (size === 0) {
            r.body = concat(parts);
            return finish(r);
          }
          if (nl + 2 + size + 2 > buf.length) return;
          parts.push(buf.subarray(nl + 2, nl + 2 + size));
          at = nl + 2 + size + 2;
        }
      }
    };
    conn.onData((d) => {
      buf = concat([buf, d]);
      tryParse();
    });
    conn.onEnd(() => {
      if (done) return;
      if (!response && buf.length === 0) return fail(52, 'Empty reply from server');
      if (response) {
        response.body = buf;
        return finish(response);
      }
      fail(56, 'Failure when receiving data from the peer');
    });
    conn.onClose((error?: KernelError) => {
      // curl words a receive error with strerror(): "Recv failure: Connection reset by peer".
      if (error) fail(56, `Recv failure: ${ERRNO[error.code]?.text ?? error.message}`);
      else if (!response) fail(52, 'Empty reply from server');
    });
  });
}

/** Joins byte arrays. */
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** curl URL [options]. */
export const curl: CommandHandler = async (argv, io, system) => {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    io.stderr(parsed);
    return 2;
  }
  const o = parsed;
  let over = false;
  const error = (code: number, text: string): number => {
    if (over) return code;
    if (!o.silent || o.showError) io.stderr(`curl: (${code}) ${text}\n`);
    return code;
  };
  const verbose = (line: string): void => {
    if (o.verbose && !over) io.stderr(line + '\n');
  };
  const url = parseUrl(o.url!);
  if (typeof url === 'string') return error(url.startsWith('Protocol') ? 1 : 3, url);
  const clock = system.kernel.clock;
  const started = clock.now();
  const elapsed = () => Math.max(0, Math.round(clock.now() - started));

  // Timeout and Ctrl+C end the wait at any point. Still connecting (a SYN-dropped full backlog), curl says
  // "Connection timed out" as its connect filter does; once connected, "Operation timed out".
  let timer: number | undefined;
  let work: ReturnType<typeof transfer> | undefined;
  const stop = new Promise<number>((resolve) => {
    if (o.maxTimeMs !== undefined && o.maxTimeMs > 0) {
      timer = clock.setTimer(o.maxTimeMs, () => resolve(error(28, work?.connection()
        ? `Operation timed out after ${o.maxTimeMs} milliseconds with 0 bytes received`
        : `Connection timed out after ${o.maxTimeMs} milliseconds`)));
    }
    io.signal.addEventListener('abort', () => resolve(130), { once: true });
  });
  work = transfer(o, url, io, system, verbose, error, elapsed);
  const status = await Promise.race([work.status, stop]);
  over = true;
  if (timer !== undefined) clock.cancelTimer(timer);
  // curl close(2)s its socket when it is done: a FIN, not a reset (a reset made Node servers that end()
  // their reply crash with ECONNRESET). Kernels without close() get a half-close.
  const connection = work.connection() as (Connection & { close?: () => void }) | undefined;
  if (connection?.close) connection.close();
  else connection?.end();
  return status;
};

/** Connects, sends the request, prints the reply. */
function transfer(
  o: CurlOptions,
  url: { host: string; port: number; path: string; hostHeader: string },
  io: CommandIO,
  system: System,
  verbose: (line: string) => void,
  error: (code: number, text: string) => number,
  elapsed: () => number,
): { status: Promise<number>; connection(): Connection | undefined } {
  let conn: Connection | undefined;
  const status = (async (): Promise<number> => {
    // curl reads its data files before it connects (a file it cannot read is a warning for -d, an error for -F).
    let payload: RequestBody | undefined;
    if (o.form.length > 0) {
      const form = await multipartBody(o.form, io, system);
      if (typeof form === 'string') return error(26, form);
      payload = form;
    } else if (o.data.length > 0) {
      payload = await formDataBody(o.data, io, system, (text) => !o.silent && io.stderr(curlWarning(text)));
    }
    const failConnect = () => {
      verbose(`* Failed to connect to ${url.host} port ${url.port} after ${elapsed()} ms: Couldn't connect to server`);
      verbose('* Closing connection 0');
      return error(7, `Failed to connect to ${url.host} port ${url.port} after ${elapsed()} ms: Couldn't connect to server`);
    };
    let shown = '';
    if (o.unixSocket) {
      const path = resolvePath(io.env?.PWD ?? '/', o.unixSocket);
      verbose(`*   Trying ${o.unixSocket}:0...`);
      try {
        conn = await connectAs(system, io, path);
      } catch (e) {
        verbose(`* Immediate connect fail for ${o.unixSocket}: ${(e as Error).message}`);
        return failConnect();
      }
      shown = o.unixSocket;
    } else {
      const ips = resolveHost(system, url.host, 'v4-first');
      if (!ips) return error(6, `Could not resolve host: ${url.host}`);
      for (const ip of ips) {
        verbose(`*   Trying ${ip.includes(':') ? `[${ip}]` : ip}:${url.port}...`);
        try {
          conn = await connectAs(system, io, tcpTarget(ip, url.port));
          shown = ip;
          break;
        } catch (e) {
          verbose(`* connect to ${ip} port ${url.port} failed: ${(e as Error).message}`);
        }
      }
      if (!conn) return failConnect();
    }
    verbose(`* Connected to ${url.host} (${shown}) port ${url.port} (#0)`);
    const method = o.method ?? (o.head ? 'HEAD' : payload ? 'POST' : 'GET');
    const body = payload?.body ?? '';
    const lines = [`${method} ${url.path} HTTP/1.1`, `Host: ${url.hostHeader}`];
    const custom = new Set(o.headers.map((h) => h.split(':')[0].trim().toLowerCase()));
    if (!custom.has('user-agent')) lines.push('User-Agent: curl/7.88.1');
    if (!custom.has('accept')) lines.push('Accept: */*');
    lines.push(...o.headers.filter((h) => !/^[^:]+:\s*$/.test(h)));
    if (payload) {
      lines.push(`Content-Length: ${new TextEncoder().encode(body).length}`);
      if (!custom.has('content-type')) lines.push(`Content-Type: ${payload.contentType}`);
    }
    for (const l of lines) verbose(`> ${l}`);
    verbose('> ');
    const response = readResponse(conn, method === 'HEAD');
    conn.write(lines.join('\r\n') + '\r\n\r\n' + body);
    let r: Response;
    try {
      r = await response;
    } catch (failure) {
      const [code, text] = failure as [number, string];
      return error(code, text);
    }
    for (const l of r.headerBlock.split('\r\n').slice(0, -2)) verbose(`< ${l}`);
    verbose('< ');
    if (o.fail && r.status >= 400) return error(22, `The requested URL returned error: ${r.status}`);
    const text = new TextDecoder().decode(r.body);
    const shownHead = o.include || o.head ? r.headerBlock : '';
    if (o.output) {
      try {
        system.kernel.fs.writeFile(resolvePath(io.env?.PWD ?? '/', o.output), text);
      } catch (e) {
        return error(23, `Failure writing output to destination, passed 0 returned ${(e as Error).message}`);
      }
      if (shownHead) io.stdout(shownHead);
    } else io.stdout(shownHead + text);
    verbose(`* Connection #0 to host ${url.host} left intact`);
    return 0;
  })();
  return { status, connection: () => conn };
}

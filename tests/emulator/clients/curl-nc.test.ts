import { describe, expect, it } from 'vitest';
import { machine } from '../shell/helpers.ts';
import { listenOptions } from '../kernel/helpers.ts';
import type { MemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import { KernelError, type Connection } from '../../../src/emulator/kernel/kernel.ts';

const WEB = `const http = require('http');
http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    res.setHeader('Content-Type', 'text/plain');
    res.end(req.method + ' ' + req.url + (body ? ' ' + body : '') + ' ' + (req.headers['x-lab'] || '') + '\\n');
  });
}).listen({ fd: 3 });`;

const ECHO = `require('net').createServer((s) => s.pipe(s)).listen({ fd: 3 });`;

/** Starts `file` with `sock` as fd 3, as the manager does on activation. */
function activate(k: MemoryKernel, file: string, sock: ReturnType<MemoryKernel['net']['listen']>): void {
  k.processes.spawn({ argv: [file], env: { LISTEN_FDS: '1' }, setListenPid: true, fds: [sock], unit: 'x.service', onOutput: () => {}, onNotify: () => {} });
}

describe('curl', () => {
  it('GETs a page from a program behind fd 3 and prints the body', async () => {
    const m = machine({ files: { '/opt/web.js': WEB } });
    activate(m.kernel, '/opt/web.js', m.kernel.net.listen(listenOptions('8080')));
    expect(await m.run('curl http://localhost:8080/hello')).toEqual({ status: 0, stdout: 'GET /hello x\n'.replace(' x', ' '), stderr: '' });
  });

  it('POSTs -d data with -H headers, -i shows the response head', async () => {
    const m = machine({ files: { '/opt/web.js': WEB } });
    activate(m.kernel, '/opt/web.js', m.kernel.net.listen(listenOptions('127.0.0.1:8080')));
    const r = await m.run("curl -si -d a=1 -H 'X-Lab: yes' http://127.0.0.1:8080/form");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\nContent-Type: text\/plain\r\nContent-Length: 19\r\n/);
    expect(r.stdout.endsWith('\r\n\r\nPOST /form a=1 yes\n')).toBe(true);
  });

  it('waits while the connection sits in the backlog, then prints the reply once a program accepts', async () => {
    const m = machine({ files: { '/opt/web.js': WEB } });
    const sock = m.kernel.net.listen(listenOptions('8080'));
    // Start the service 3 s (virtual) after curl connected, as a slow activation would.
    m.kernel.clock.setTimer(3000, () => activate(m.kernel, '/opt/web.js', sock));
    const t0 = m.kernel.clock.now();
    const r = await m.run('curl -s http://localhost:8080/late');
    expect(r.stdout).toBe('GET /late \n');
    expect(m.kernel.clock.now() - t0).toBeGreaterThanOrEqual(3000);
  });

  it("connection refused: curl's message and exit 7; unknown host: exit 6; -s hides, -sS shows", async () => {
    const m = machine();
    expect(await m.run('curl http://localhost:8080/')).toEqual({ status: 7, stdout: '', stderr: "curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server\n" });
    expect(await m.run('curl http://nosuchhost/')).toMatchObject({ status: 6, stderr: 'curl: (6) Could not resolve host: nosuchhost\n' });
    expect(await m.run('curl -s http://localhost:8080/')).toMatchObject({ status: 7, stderr: '' });
    expect((await m.run('curl -sS http://localhost:8080/')).stderr).toContain('curl: (7)');
  });

  it('--max-time gives up with exit 28 when nobody answers', async () => {
    const m = machine();
    m.kernel.net.listen(listenOptions('8080'));
    expect(await m.run('curl --max-time 2 http://localhost:8080/')).toMatchObject({ status: 28, stderr: 'curl: (28) Operation timed out after 2000 milliseconds with 0 bytes received\n' });
  });

  it('empty reply is exit 52 (a service that accepts and closes)', async () => {
    const m = machine({ files: { '/opt/bad.js': `require('net').createServer((s) => s.destroy()).listen({ fd: 3 });` } });
    activate(m.kernel, '/opt/bad.js', m.kernel.net.listen(listenOptions('8080')));
    expect((await m.run('curl http://localhost:8080/')).status).toBe(52);
  });

  it('--unix-socket talks HTTP over a Unix socket; a non-member gets permission denied', async () => {
    const m = machine({ files: { '/opt/web.js': WEB } });
    activate(m.kernel, '/opt/web.js', m.kernel.net.listen(listenOptions('/run/docker.sock', { socketMode: 0o660, socketGroup: 'docker' })));
    expect((await m.run('curl --unix-socket /run/docker.sock http://localhost/version')).stdout).toBe('GET /version \n');
    const denied = await m.run('sudo -u student curl -v --unix-socket /run/docker.sock http://localhost/version');
    expect(denied.status).toBe(7);
    expect(denied.stderr).toContain('* Immediate connect fail for /run/docker.sock: Permission denied\n');
    expect(denied.stderr).toContain("curl: (7) Failed to connect to localhost port 80 after 0 ms: Couldn't connect to server\n");
  });

  it('usage errors like curl', async () => {
    const m = machine();
    expect(await m.run('curl')).toMatchObject({ status: 2, stderr: "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n" });
    expect(await m.run('curl --bogus x')).toMatchObject({ status: 2, stderr: "curl: option --bogus: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n" });
  });
});

describe('nc', () => {
  it('sends stdin and prints what an echo service sends back', async () => {
    const m = machine({ files: { '/opt/echo.js': ECHO } });
    activate(m.kernel, '/opt/echo.js', m.kernel.net.listen(listenOptions('127.0.0.1:7000')));
    expect(await m.run('echo hello | nc -N localhost 7000')).toEqual({ status: 0, stdout: 'hello\n', stderr: '' });
  });

  it('a reset after connecting ends nc with 0, as netcat-openbsd (the listener closed with it still queued: oracle trigger-limit)', async () => {
    const m = machine();
    const sock = m.kernel.net.listen(listenOptions('127.0.0.1:7002'));
    const run = m.run('echo hi | nc -N 127.0.0.1 7002');
    setTimeout(() => sock.close(), 50);
    expect(await run).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('nc -U talks to a Unix socket', async () => {
    const m = machine({ files: { '/opt/echo.js': ECHO } });
    activate(m.kernel, '/opt/echo.js', m.kernel.net.listen(listenOptions('/run/echo.sock')));
    expect((await m.run('nc -N -U /run/echo.sock', { stdin: 'over unix\n' })).stdout).toBe('over unix\n');
  });

  it('refused: silent exit 1, with -v the OpenBSD message; Ctrl+C ends a hanging nc with 130', async () => {
    const m = machine();
    expect(await m.run('nc localhost 9')).toEqual({ status: 1, stdout: '', stderr: '' });
    expect((await m.run('nc -v 127.0.0.1 9')).stderr).toBe('nc: connect to 127.0.0.1 port 9 (tcp) failed: Connection refused\n');
    m.kernel.net.listen(listenOptions('127.0.0.1:7001'));
    expect((await m.run('nc 127.0.0.1 7001', { abortAfterMs: 1000 })).status).toBe(130);
    expect((await m.run('nc')).stderr).toMatch(/^usage: nc /);
  });
});

describe('curl on a connection the server resets', () => {
  it('says "Recv failure: Connection reset by peer" (strerror), exit 56, whatever text the kernel gave the error', async () => {
    const m = machine();
    // A connection that the peer resets as soon as the request is written (the Node kernel reports "read ECONNRESET").
    m.kernel.net.connect = async () => {
      let closed: ((error?: KernelError) => void) | undefined;
      const endpoint = { family: 'ipv4' as const, address: '127.0.0.1', port: 8080 };
      return {
        id: 1, local: endpoint, remote: endpoint,
        write: () => queueMicrotask(() => closed?.(new KernelError('ECONNRESET', 'read ECONNRESET'))),
        end: () => {}, destroy: () => {},
        onData: () => () => {}, onEnd: () => () => {},
        onClose: (callback: (error?: KernelError) => void) => { closed = callback; return () => {}; },
      } as unknown as Connection;
    };
    expect(await m.run('curl -sS http://127.0.0.1:8080/')).toMatchObject({ status: 56, stderr: 'curl: (56) Recv failure: Connection reset by peer\n' });
  });
});

/** curl's request bodies, as curl 7.88 sends them (checked on Debian 12 against a server that echoes the request). */
import { describe, expect, it } from 'vitest';
import { curl } from '../../../src/emulator/commands/curl.ts';
import { curlWarning } from '../../../src/emulator/commands/curl-data.ts';
import { defaultCommands } from '../../../src/emulator/commands/index.ts';
import type { Program } from '../manager/fake-kernel.ts';
import { machine } from '../manager/harness.ts';

/** A server that keeps each request it reads whole (headers and Content-Length bytes) and answers 200. */
function recorder(requests: string[]): Program {
  return (ctx) => {
    for (const fd of ctx.fds) {
      if (!('accept' in fd)) continue;
      const serve = (): void => {
        for (let c = fd.accept(); c; c = fd.accept()) {
          const connection = c;
          let text = '';
          connection.onData((data) => {
            text += new TextDecoder().decode(data);
            const end = text.indexOf('\r\n\r\n');
            const length = Number(/Content-Length: (\d+)/.exec(text)?.[1] ?? 0);
            if (end < 0 || new TextEncoder().encode(text.slice(end + 4)).length < length) return;
            requests.push(text);
            connection.write('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n');
            connection.end();
          });
        }
      };
      fd.onPending(serve);
      serve();
    }
  };
}

function m1(requests: string[]) {
  return machine({
    '/etc/systemd/system/r.socket': '[Socket]\nListenStream=127.0.0.1:8080\n',
    '/etc/systemd/system/r.service': '[Service]\nExecStart=/usr/bin/r\n',
    '/tmp/f.txt': 'a b\r\nc&d\n\nend\n',
  }, { '/usr/bin/r': recorder(requests) }, { ...defaultCommands, curl });
}

/** The body of a request and its Content-Type. */
const parts = (request: string) => ({
  type: /Content-Type: (.*)\r\n/.exec(request)?.[1],
  body: request.slice(request.indexOf('\r\n\r\n') + 4),
});

describe('curl request bodies', () => {
  it('-d @file drops CR and LF, --data-binary @file keeps them, --data-raw is literal, several join with &', async () => {
    const requests: string[] = [];
    const m = m1(requests);
    await m.run('systemctl', 'start', 'r.socket');
    for (const args of [['-d', '@/tmp/f.txt'], ['--data-binary', '@/tmp/f.txt'], ['--data-raw', '@/tmp/f.txt'], ['-d', 'x=1', '-d', '@/tmp/f.txt']]) {
      const r = await m.run('curl', '-s', ...args, 'http://127.0.0.1:8080/');
      expect(r).toEqual({ status: 0, stdout: 'ok\n', stderr: '' });
    }
    expect(requests.map(parts)).toEqual([
      { type: 'application/x-www-form-urlencoded', body: 'a bc&dend' },
      { type: 'application/x-www-form-urlencoded', body: 'a b\r\nc&d\n\nend\n' },
      { type: 'application/x-www-form-urlencoded', body: '@/tmp/f.txt' },
      { type: 'application/x-www-form-urlencoded', body: 'x=1&a bc&dend' },
    ]);
    expect(requests[1]).toContain('\r\nContent-Length: 14\r\n');
  });

  it('a file it cannot read makes an empty POST with a warning (none with -s); --data-urlencode encodes', async () => {
    const requests: string[] = [];
    const m = m1(requests);
    await m.run('systemctl', 'start', 'r.socket');
    const missing = await m.run('curl', '--data', '@/tmp/nope', 'http://127.0.0.1:8080/');
    expect(missing).toEqual({ status: 0, stdout: 'ok\n', stderr: 'Warning: Couldn\'t read data from file "/tmp/nope", this makes an empty POST.\n' });
    expect((await m.run('curl', '-s', '-d', '@/tmp/nope', 'http://127.0.0.1:8080/')).stderr).toBe('');
    await m.run('curl', '-s', '--data-urlencode', 'a=b&c d', '--data-urlencode', 'f@/tmp/f.txt', 'http://127.0.0.1:8080/');
    expect(requests.map((r) => parts(r).body)).toEqual(['', '', 'a=b%26c+d&f=a+b%0D%0Ac%26d%0A%0Aend%0A']);
  });

  it('-F: multipart/form-data with a random boundary, a file part with its name and type; a missing file is error 26', async () => {
    const requests: string[] = [];
    const m = m1(requests);
    await m.run('systemctl', 'start', 'r.socket');
    expect((await m.run('curl', '-s', '-F', 'name=v', '-F', 'f=@/tmp/f.txt', '-F', 'g=</tmp/f.txt', '-F', 'h=@/tmp/f.txt;type=x/y;filename=z.bin', 'http://127.0.0.1:8080/')).status).toBe(0);
    const { type, body } = parts(requests[0]);
    const boundary = /^multipart\/form-data; boundary=(-{24}[0-9a-f]{16})$/.exec(type ?? '')?.[1];
    expect(boundary).toBeDefined();
    expect(body).toBe([
      `--${boundary}`, 'Content-Disposition: form-data; name="name"', '', 'v',
      `--${boundary}`, 'Content-Disposition: form-data; name="f"; filename="f.txt"', 'Content-Type: text/plain', '', 'a b\r\nc&d\n\nend\n',
      `--${boundary}`, 'Content-Disposition: form-data; name="g"', '', 'a b\r\nc&d\n\nend\n',
      `--${boundary}`, 'Content-Disposition: form-data; name="h"; filename="z.bin"', 'Content-Type: x/y', '', 'a b\r\nc&d\n\nend\n',
      `--${boundary}--`, '',
    ].join('\r\n'));
    expect(await m.run('curl', '-F', 'f=@/tmp/nope', 'http://127.0.0.1:8080/')).toEqual({ status: 26, stdout: '', stderr: 'curl: (26) Failed to open/read local data from file/application\n' });
    const bad = await m.run('curl', '-F', 'noequals', 'http://127.0.0.1:8080/');
    expect(bad).toEqual({ status: 2, stdout: '', stderr: "Warning: Illegally formatted input field!\ncurl: option -F: is badly used here\ncurl: try 'curl --help' or 'curl --manual' for more information\n" });
  });

  it('warnings wrap at 79 columns after the last blank, as curl\'s warnf() does', () => {
    expect(curlWarning('Couldn\'t read data from file "/a/rather/long/path/to/a/file", this makes an empty POST.')).toBe(
      'Warning: Couldn\'t read data from file "/a/rather/long/path/to/a/file", this \nWarning: makes an empty POST.\n');
  });
});

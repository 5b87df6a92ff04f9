import { describe, expect, it } from 'vitest';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import { collect, listenOptions } from '../kernel/helpers.ts';

const SLOW_ECHO = `const net = require('net');
setTimeout(() => {
  net.createServer((s) => { s.setEncoding('utf8'); s.on('data', (d) => s.end('ok ' + d)); }).listen({ fd: 3 });
}, 1000);`;

describe('no connection lost while the service starts', () => {
  it('200 clients connecting at once to a socket whose service listens only after 1 s are all served', async () => {
    const k = createMemoryKernel({ files: { '/opt/slow.js': SLOW_ECHO } });
    const sock = k.net.listen(listenOptions('8080'));
    const clients = await Promise.all(Array.from({ length: 200 }, () => k.net.connect('127.0.0.1:8080')));
    const replies = clients.map((c, i) => {
      const got = collect(c);
      c.write(String(i));
      return got;
    });
    k.processes.spawn({ argv: ['/opt/slow.js'], env: { LISTEN_FDS: '1' }, setListenPid: true, fds: [sock], unit: 'slow.service', onOutput: () => {}, onNotify: () => {} });
    expect(sock.pending()).toBe(200);
    await k.runUntilIdle(5_000);
    await Promise.all(replies.map((r) => r.ended));
    expect(replies.map((r) => r.text())).toEqual(Array.from({ length: 200 }, (_, i) => `ok ${i}`));
  });
});

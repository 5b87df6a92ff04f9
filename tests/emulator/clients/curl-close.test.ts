/** curl ends its connection like close(2): the server sees a FIN, never a reset. */
import { describe, expect, it } from 'vitest';
import { machine } from '../shell/helpers.ts';
import { listenOptions } from '../kernel/helpers.ts';

// Answers on the first data and end()s, with no 'error' handler: a reset from the client would crash it.
const REPLY_AND_END = `require('net').createServer((c) => c.once('data', () => {
  c.end('HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\nConnection: close\\r\\n\\r\\nok\\n');
})).listen({ fd: 3 });`;

describe('curl closing its connection', () => {
  it('a Node server that end()s its reply survives curl and answers the next request', async () => {
    const m = machine({ files: { '/opt/reply.js': REPLY_AND_END } });
    const sock = m.kernel.net.listen(listenOptions('127.0.0.1:8080'));
    const exits: unknown[] = [];
    const process = m.kernel.processes.spawn({ argv: ['/opt/reply.js'], env: { LISTEN_FDS: '1' }, setListenPid: true, fds: [sock], unit: 'x.service', onOutput: () => {}, onNotify: () => {} });
    process.onExit((status) => exits.push(status));
    expect((await m.run('curl -s http://127.0.0.1:8080/')).stdout).toBe('ok\n');
    expect((await m.run('curl -s http://127.0.0.1:8080/')).stdout).toBe('ok\n');
    expect(exits).toEqual([]);
  });
});

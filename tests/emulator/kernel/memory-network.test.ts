import { describe, expect, it } from 'vitest';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import type { ConnectionEnd } from '../../../src/emulator/kernel/memory/memory-connection.ts';
import { collect, listenOptions, tick } from './helpers.ts';

describe('in-memory network: backlog', () => {
  it('holds connections in the backlog until they are accepted, in arrival order, with their data', async () => {
    const k = createMemoryKernel();
    const sock = k.net.listen(listenOptions('127.0.0.1:8080'));
    const a = await k.net.connect('127.0.0.1:8080');
    const b = await k.net.connect('127.0.0.1:8080');
    a.write('first');
    b.write('second');
    await tick();
    expect(sock.pending()).toBe(2);
    const first = sock.accept()!;
    const got: string[] = [];
    first.onData((d) => got.push(new TextDecoder().decode(d)));
    await tick();
    expect(got).toEqual(['first']);
    expect(first.remote.port).toBe(a.local.port);
    expect(sock.pending()).toBe(1);
  });

  it('calls onPending when a connection arrives', async () => {
    const k = createMemoryKernel();
    const sock = k.net.listen(listenOptions('127.0.0.1:8081'));
    let calls = 0;
    sock.onPending(() => calls++);
    await k.net.connect('localhost:8081');
    await tick();
    expect(calls).toBe(1);
  });

  it('a full TCP backlog drops the SYN: the client waits, gets in when an accept frees room, else times out', async () => {
    const k = createMemoryKernel();
    const sock = k.net.listen(listenOptions('127.0.0.1:8082', { backlog: 1 }));
    // backlog 1 holds 2 (Linux's `>` test), the third waits.
    await k.net.connect('127.0.0.1:8082');
    await k.net.connect('127.0.0.1:8082');
    let third: unknown;
    k.net.connect('127.0.0.1:8082').then((c) => (third = c));
    await tick();
    expect(third).toBeUndefined();
    expect(sock.pending()).toBe(2);
    sock.accept();
    await tick();
    expect(third).toBeDefined();
    expect(sock.pending()).toBe(2);
    let error: { code?: string } | undefined;
    k.net.connect('127.0.0.1:8082').catch((e) => (error = e));
    await k.advance(126_000);
    expect(error).toBeUndefined();
    await k.advance(2_000);
    expect(error?.code).toBe('ETIMEDOUT');
  });

  it('a full Unix backlog fails a connect at once with EAGAIN', async () => {
    const k = createMemoryKernel();
    k.net.listen(listenOptions('/run/full.sock', { backlog: 0 }));
    await k.net.connect('/run/full.sock');
    await expect(k.net.connect('/run/full.sock')).rejects.toMatchObject({ code: 'EAGAIN', message: 'Resource temporarily unavailable' });
  });

  it('closing a listener resets the connections still in its backlog', async () => {
    const k = createMemoryKernel();
    const sock = k.net.listen(listenOptions('127.0.0.1:8083'));
    const c = await k.net.connect('127.0.0.1:8083');
    const closed = new Promise((resolve) => c.onClose((e) => resolve(e?.code)));
    sock.close();
    expect(await closed).toBe('ECONNRESET');
  });
});

describe('in-memory network: binding', () => {
  it('EADDRINUSE for a second bind of the same port, wildcard or dual-stack', () => {
    const k = createMemoryKernel();
    k.net.listen(listenOptions('127.0.0.1:8080'));
    expect(() => k.net.listen(listenOptions('127.0.0.1:8080'))).toThrow(expect.objectContaining({ code: 'EADDRINUSE', message: 'Address already in use' }));
    expect(() => k.net.listen(listenOptions('0.0.0.0:8080'))).toThrow(expect.objectContaining({ code: 'EADDRINUSE' }));
    expect(() => k.net.listen(listenOptions('8080'))).toThrow(expect.objectContaining({ code: 'EADDRINUSE' }));
    // IPv6-only wildcard does not collide with IPv4.
    expect(() => k.net.listen(listenOptions('[::]:8080', { bindIPv6Only: 'ipv6-only' }))).not.toThrow();
  });

  it('a dual-stack [::]:port accepts IPv4 connections and shows the peer as v4-mapped', async () => {
    const k = createMemoryKernel();
    const sock = k.net.listen(listenOptions('8080'));
    await k.net.connect('127.0.0.1:8080');
    await k.net.connect('[::1]:8080');
    const v4 = sock.accept()!;
    const v6 = sock.accept()!;
    expect(v4.remote).toMatchObject({ family: 'inet6', address: '::ffff:127.0.0.1' });
    expect(v6.remote).toMatchObject({ family: 'inet6', address: '::1' });
  });

  it('an IPv6-only socket refuses IPv4 clients', async () => {
    const k = createMemoryKernel();
    k.net.listen(listenOptions('[::]:8080', { bindIPv6Only: 'ipv6-only' }));
    await expect(k.net.connect('127.0.0.1:8080')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(k.net.connect('[::1]:8080')).resolves.toBeDefined();
  });

  it('localhost tries ::1 then 127.0.0.1; the host name is 127.0.1.1; unknown names fail to resolve', async () => {
    const k = createMemoryKernel({ hostname: 'box' });
    const sock = k.net.listen(listenOptions('0.0.0.0:9000'));
    const c = await k.net.connect('localhost:9000');
    expect(c.remote.address).toBe('127.0.0.1');
    await k.net.connect('box:9000');
    sock.accept();
    expect(sock.accept()!.remote.address).toBe('127.0.1.1');
    await expect(k.net.connect('nosuchhost:9000')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('connect to nothing: ECONNREFUSED for TCP, ENOENT for a missing path, ECONNREFUSED for a stale node', async () => {
    const k = createMemoryKernel();
    await expect(k.net.connect('127.0.0.1:1234')).rejects.toMatchObject({ code: 'ECONNREFUSED', message: 'Connection refused' });
    await expect(k.net.connect('/run/none.sock')).rejects.toMatchObject({ code: 'ENOENT', message: 'No such file or directory' });
    const s = k.net.listen(listenOptions('/run/stale.sock'));
    s.close();
    expect(k.fs.lstat('/run/stale.sock')?.type).toBe('socket');
    await expect(k.net.connect('/run/stale.sock')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('binding an address the machine does not have is EADDRNOTAVAIL unless FreeBind', () => {
    const k = createMemoryKernel();
    expect(() => k.net.listen(listenOptions('192.0.2.1:80'))).toThrow(expect.objectContaining({ code: 'EADDRNOTAVAIL' }));
    expect(() => k.net.listen(listenOptions('192.0.2.1:80', { freeBind: true }))).not.toThrow();
  });
});

describe('in-memory network: Unix sockets', () => {
  it('creates the socket node with mode and owner, and parent directories with DirectoryMode', () => {
    const k = createMemoryKernel();
    k.net.listen(listenOptions('/run/docker/x/docker.sock', { socketMode: 0o660, socketGroup: 'docker', directoryMode: 0o750 }));
    expect(k.fs.lstat('/run/docker/x/docker.sock')).toMatchObject({ type: 'socket', mode: 0o660, user: 'root', group: 'docker' });
    expect(k.fs.stat('/run/docker/x')).toMatchObject({ type: 'directory', mode: 0o750 });
  });

  it('EACCES for a user outside the socket group; members and root get in', async () => {
    const k = createMemoryKernel();
    k.net.listen(listenOptions('/run/docker.sock', { socketMode: 0o660, socketGroup: 'docker' }));
    await expect(k.net.connect('/run/docker.sock', { uid: 1000 })).rejects.toMatchObject({ code: 'EACCES', message: 'Permission denied' });
    await expect(k.net.connect('/run/docker.sock', { uid: 0 })).resolves.toBeDefined();
    k.users.addToGroup('student', 'docker');
    await expect(k.net.connect('/run/docker.sock', { uid: 1000 })).resolves.toBeDefined();
  });

  it('passes the peer credentials to the server side', async () => {
    const k = createMemoryKernel();
    const s = k.net.listen(listenOptions('/run/p.sock'));
    await k.net.connect('/run/p.sock', { pid: 4242, uid: 1000 });
    expect(s.accept()!.remote).toMatchObject({ family: 'unix', pid: 4242, uid: 1000 });
  });

  it('a live socket path is EADDRINUSE; RemoveOnStop removes the node', () => {
    const k = createMemoryKernel();
    const s = k.net.listen(listenOptions('/run/cups/cups.sock'));
    expect(() => k.net.listen(listenOptions('/run/cups/cups.sock'))).toThrow(expect.objectContaining({ code: 'EADDRINUSE' }));
    s.close({ removePath: true });
    expect(k.fs.lstat('/run/cups/cups.sock')).toBeUndefined();
  });

  it('the manager rebinds a Unix path left behind without RemoveOnStop (stale node unlinked, as systemd does)', async () => {
    const k = createMemoryKernel();
    k.net.listen(listenOptions('/run/docker.sock')).close();
    expect(k.fs.lstat('/run/docker.sock')?.type).toBe('socket');
    const again = k.net.listen(listenOptions('/run/docker.sock'));
    await k.net.connect('/run/docker.sock');
    expect(again.pending()).toBe(1);
  });

  it('abstract sockets live outside the file system', async () => {
    const k = createMemoryKernel();
    const s = k.net.listen(listenOptions('@lab-abstract'));
    await k.net.connect('@lab-abstract');
    expect(s.pending()).toBe(1);
    expect(k.fs.readdir('/')).not.toContain('lab-abstract');
  });
});

describe('in-memory network: connections and ss rows', () => {
  it('delivers data both ways, end after data, then close', async () => {
    const k = createMemoryKernel();
    const s = k.net.listen(listenOptions('127.0.0.1:7000'));
    const client = await k.net.connect('127.0.0.1:7000');
    const server = s.accept()!;
    server.onData((d) => server.write(new TextDecoder().decode(d).toUpperCase()));
    server.onEnd(() => server.end());
    const got = collect(client);
    client.write('hello');
    client.end();
    await got.closed;
    expect(got.text()).toBe('HELLO');
  });

  it('closing with received data nobody read resets the peer, as Linux does (curl: Recv failure; oracle lesson-socket-proxyd-1)', async () => {
    const k = createMemoryKernel();
    const s = k.net.listen(listenOptions('127.0.0.1:7001'));
    const client = await k.net.connect('127.0.0.1:7001');
    const server = s.accept()!;
    const reset = new Promise((resolve) => client.onClose((error) => resolve(error?.code)));
    client.write('GET / HTTP/1.1\r\n\r\n');
    await tick();
    (server as ConnectionEnd).close();
    expect(await reset).toBe('ECONNRESET');
    // With everything read, close() is a plain FIN.
    const polite = await k.net.connect('127.0.0.1:7001');
    const other = s.accept()!;
    other.onData(() => {});
    const fin = new Promise((resolve) => polite.onClose((error) => resolve(error?.code ?? 'none')));
    polite.write('hi');
    await tick();
    polite.end();
    (other as ConnectionEnd).close();
    expect(await fin).toBe('none');
  });

  it('what arrived before a reset can still be read, then the read fails with ECONNRESET (oracle accept-yes-max-connections)', async () => {
    const k = createMemoryKernel();
    const s = k.net.listen(listenOptions('127.0.0.1:7003'));
    const client = await k.net.connect('127.0.0.1:7003');
    const server = s.accept()!;
    client.write('one\n');
    await tick();
    server.write('bye\n');
    // The server never read "one": its close is a reset, after "bye".
    (server as ConnectionEnd).close();
    const got = collect(client);
    const error = new Promise((resolve) => client.onClose((e) => resolve(e?.code)));
    expect(await error).toBe('ECONNRESET');
    expect(got.text()).toBe('bye\n');
  });

  it('lists listening sockets with backlog and holders as ss shows them', async () => {
    const k = createMemoryKernel();
    const s = k.net.listen(listenOptions('8080'));
    k.net.listen(listenOptions('/run/docker.sock'));
    await k.net.connect('127.0.0.1:8080');
    const rows = k.net.sockets();
    expect(rows.find((r) => r.local === '*:8080')).toMatchObject({ netid: 'tcp', state: 'LISTEN', recvQ: 1, sendQ: 4096, peer: '*:*', processes: [{ name: 'systemd', pid: 1 }] });
    expect(rows.find((r) => r.local.startsWith('/run/docker.sock'))).toMatchObject({ netid: 'u_str', state: 'LISTEN' });
    expect(rows.filter((r) => r.state === 'ESTAB')).toHaveLength(2);
    expect(s.pending()).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { SocketInfo } from '../../../src/emulator/kernel/kernel.ts';
import type { System } from '../../../src/emulator/system.ts';
import { ss } from '../../../src/emulator/commands/ss.ts';

/** Runs ss over a fixed socket table (no processes, an empty file system). */
async function run(sockets: SocketInfo[], ...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const system = {
    kernel: { net: { sockets: () => sockets }, processes: { list: () => [] }, fs: { stat: () => undefined, readFile: () => '' } },
  } as unknown as System;
  const status = await ss(['ss', ...args], { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, signal: new AbortController().signal }, system);
  return { status, stdout, stderr };
}

const tcp = (local: string, processes: SocketInfo['processes'], sendQ = 4096): SocketInfo =>
  ({ netid: 'tcp', state: 'LISTEN', recvQ: 0, sendQ, local, peer: local.startsWith('127.') || local.startsWith('0.') ? '0.0.0.0:*' : '[::]:*', processes });
const unix = (path: string, inode: number, processes: SocketInfo['processes']): SocketInfo =>
  ({ netid: 'u_str', state: 'LISTEN', recvQ: 0, sendQ: 4096, local: `${path} ${inode}`, peer: '* 0', processes });

describe('ss (iproute2 6.1 on Debian 12, stdout not a terminal)', () => {
  it('-tlpn: right-aligned addresses, the Process header glued to Port, " users:(…)" fields, lines padded', async () => {
    const r = await run([
      tcp('127.0.0.1:8081', [{ name: 'node', pid: 109, fd: 18 }], 511),
      tcp('127.0.0.1:8080', [{ name: 'systemd', pid: 1, fd: 26 }, { name: 'systemd-socket-', pid: 123, fd: 3 }]),
    ], '-tlpn');
    // Real lines from lesson-socket-proxyd-2's golden file (trailing blanks included).
    expect(r.stdout.split('\n')).toEqual([
      'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess'.padEnd(122),
      'LISTEN 0      511        127.0.0.1:8081      0.0.0.0:*    users:(("node",pid=109,fd=18))'.padEnd(122),
      'LISTEN 0      4096       127.0.0.1:8080      0.0.0.0:*    users:(("systemd-socket-",pid=123,fd=3),("systemd",pid=1,fd=26))',
      '',
    ]);
  });

  it('-xl: Netid column, the path right-aligned before the inode, "* 0" peers, an empty Process column', async () => {
    const r = await run([unix('/run/dbus/system_bus_socket', 3222992, [])], '-xl');
    expect(r.stdout).toBe(
      'Netid State  Recv-Q Send-Q               Local Address:Port    Peer Address:PortProcess\n' +
      'u_str LISTEN 0      4096   /run/dbus/system_bus_socket 3222992            * 0          \n');
  });

  it('no rows: every column as wide as its header', async () => {
    expect((await run([], '-tln')).stdout).toBe('State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n');
  });

  it('filters: sport/dport with operators, src/dst hosts and Unix path patterns, and/or/not', async () => {
    const sockets = [tcp('127.0.0.1:9100', []), tcp('127.0.0.1:8080', []), tcp('[::]:22', []), unix('/run/dbus/system_bus_socket', 7, []), unix('/run/docker.sock', 8, [])];
    const locals = async (...args: string[]) => (await run(sockets, ...args)).stdout.split('\n').slice(1).filter(Boolean).map((l) => l.trim().split(/\s+/).slice(-2).join(' '));
    expect(await locals('-tln', 'sport = :9100')).toEqual(['127.0.0.1:9100 0.0.0.0:*']);
    expect(await locals('-tln', 'sport', '>', ':8000', 'and', 'not', 'sport', 'eq', ':9100')).toEqual(['127.0.0.1:8080 0.0.0.0:*']);
    expect(await locals('-tln', '( sport = :22 or src 127.0.0.1:9100 )')).toEqual(['127.0.0.1:9100 0.0.0.0:*', '*:22 *:*']);
    expect(await locals('-tln', 'sport = :ssh')).toEqual(['*:22 *:*']);
    const paths = (await run(sockets, '-xl', 'src', '/run/d*s*')).stdout.split('\n').filter((l) => l.startsWith('u_str')).map((l) => l.split(/\s+/)[4]);
    expect(paths).toEqual(['/run/dbus/system_bus_socket', '/run/docker.sock']);
  });

  it('a Unix datagram socket with datagrams queued shows as ESTAB: listed by -xa, not by -xl (as on systemd 252\'s machine)', async () => {
    const dgram = (recvQ: number): SocketInfo => ({ netid: 'u_dgr', state: 'UNCONN', recvQ, sendQ: 0, local: '/run/notes/log 11679165', peer: '* 0', processes: [] });
    expect((await run([dgram(0)], '-xl')).stdout.split('\n')[1]).toMatch(/^u_dgr UNCONN 0      0 +\/run\/notes\/log 11679165 +\* 0 *$/);
    expect((await run([dgram(36)], '-xl')).stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect((await run([dgram(36)], '-xa')).stdout.split('\n')[1]).toMatch(/^u_dgr ESTAB 36     0 +\/run\/notes\/log 11679165 +\* 0 *$/);
  });

  it('bad filters print what ss prints and exit as it does', async () => {
    expect(await run([], '-tln', 'sport = foo')).toEqual({ status: 1, stdout: '', stderr: 'Error: "foo" does not look like a port.\nCannot parse dst/src address.\n' });
    expect(await run([], '-tln', 'frob')).toEqual({ status: 1, stdout: '', stderr: 'Error: an inet prefix is expected rather than "frob".\nCannot parse dst/src address.\n' });
    // Only C's isspace() separates words (found by the shell fuzzer: a byte-order mark is a word to ss, as here).
    expect(await run([], '-tln', '\uFEFF')).toEqual({ status: 1, stdout: '', stderr: 'Error: an inet prefix is expected rather than "\uFEFF".\nCannot parse dst/src address.\n' });
    const syntax = await run([], '-tln', '( sport = :22');
    expect(syntax.status).toBe(255);
    expect(syntax.stderr).toMatch(/^ss: bison bellows \(while parsing filter\): "syntax error!" Sorry\.\nUsage: ss/);
  });
});

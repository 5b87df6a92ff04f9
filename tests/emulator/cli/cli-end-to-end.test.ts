import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange, freePort, makeRoot } from '../node/node-test-helpers.ts';
import { runCli, startDaemon, stopDaemon } from './cli-helpers.ts';

const SERVER_JS = `
const net = require('net');
console.log('LISTEN_PID=' + process.env.LISTEN_PID + ' LISTEN_FDS=' + process.env.LISTEN_FDS + ' LISTEN_FDNAMES=' + process.env.LISTEN_FDNAMES + ' pid=' + process.pid);
net.createServer((socket) => socket.end('hello from x ' + process.pid + '\\n')).listen({ fd: 3 });
`;

describe('emulator command line, end to end on a real TCP port', () => {
  let root = '';
  let port = 0;
  let daemon: { child: ChildProcess; output: () => string } | undefined;
  let enableOutput = { code: -1, stdout: '', stderr: '' };
  let noDaemon = { code: -1, stdout: '', stderr: '' };

  beforeAll(async () => {
    port = await freePort();
    root = makeRoot({
      '/etc/systemd/system/x.socket': `[Unit]\nDescription=X socket\n\n[Socket]\nListenStream=127.0.0.1:${port}\n\n[Install]\nWantedBy=sockets.target\n`,
      '/etc/systemd/system/x.service': '[Unit]\nDescription=X service\n\n[Service]\nExecStart=node /opt/x/server.js\n',
      '/opt/x/server.js': SERVER_JS,
    });
    noDaemon = await runCli(['systemctl', '--root', root, 'status', 'x.socket']);
    enableOutput = await runCli(['systemctl', '--root', root, 'enable', 'x.socket']);
    daemon = await startDaemon(['--root', root], /Listening on x\.socket - X socket\./);
  });

  afterAll(async () => {
    if (daemon) await stopDaemon(daemon.child);
  });

  it('a command with no daemon running says so and exits 1', () => {
    expect(noDaemon.code).toBe(1);
    expect(noDaemon.stderr).toBe(`Failed to connect to the emulator at ${root}: no daemon is running. Start it with: npm run -s emu -- daemon --root ${root}\n`);
  });

  it('daemon --node FILE that cannot run says why and does not start', async () => {
    const bad = await runCli(['daemon', '--root', root, '--node', '/nonexistent/node']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('Failed to start the emulator: --node /nonexistent/node: /nonexistent/node: No such file or directory (the Node.js for the machine\'s /usr/bin/node). Give a Node.js executable that runs on this machine.\n');
  });

  it('systemctl --root DIR enable works without a daemon and links the socket into sockets.target.wants', () => {
    expect(enableOutput.code).toBe(0);
    expect(enableOutput.stdout + enableOutput.stderr).toContain('Created symlink /etc/systemd/system/sockets.target.wants/x.socket → /etc/systemd/system/x.socket.');
    expect(fs.readlinkSync(path.join(root, 'etc/systemd/system/sockets.target.wants/x.socket'))).toBe('/etc/systemd/system/x.socket');
  });

  it('boots the enabled socket: x.socket active (listening), x.service inactive (dead), the port owned by the emulator', async () => {
    const socketStatus = await runCli(['systemctl', '--root', root, 'status', 'x.socket']);
    expect(socketStatus.stdout).toMatch(/Active: active \(listening\)/);
    expect(socketStatus.stdout).toContain(`Listen: 127.0.0.1:${port} (Stream)`);
    const serviceStatus = await runCli(['systemctl', '--root', root, 'status', 'x.service']);
    expect(serviceStatus.stdout).toMatch(/Active: inactive \(dead\)/);
    expect(serviceStatus.code).toBe(3);
    const ss = await runCli(['ss', '--root', root, '-ltn']);
    expect(ss.stdout).toContain(`127.0.0.1:${port}`);
  });

  it('the first connection starts the service, which gets LISTEN_* as PID 1 sets them and answers on fd 3', async () => {
    const reply = await exchange({ port, host: '127.0.0.1' }, '', false);
    const pid = Number(/hello from x (\d+)/.exec(reply)?.[1]);
    expect(pid).toBeGreaterThan(0);
    const status = await runCli(['systemctl', '--root', root, 'status', 'x.service']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Active: active \(running\)/);
    expect(status.stdout).toContain('TriggeredBy: ● x.socket');
    expect(status.stdout).toContain(`Main PID: ${pid}`);
    let journal = '';
    // The service's first line reaches the journal shortly after it answered: read the journal until it is there.
    async function refresh(): Promise<void> {
      journal = (await runCli(['journalctl', '--root', root, '-u', 'x.service'])).stdout;
    }
    await refresh();
    for (let i = 0; i < 50 && !journal.includes('LISTEN_PID='); i++) await refresh();
    expect(journal).toContain(`node[${pid}]: LISTEN_PID=${pid} LISTEN_FDS=1 LISTEN_FDNAMES=x.socket pid=${pid}`);
    expect(daemon!.output()).toContain('Started x.service - X service.');
  });

  it('a second daemon on the same root refuses to start', async () => {
    const second = await runCli(['daemon', '--root', root]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`Failed to start the emulator at ${root}: another daemon is already running there (pid ${daemon!.child.pid}`);
  });

  it('a malformed control message gets an error answer and the daemon keeps serving', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(path.join(root, 'run/emulator/control.sock'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.write('{"argv": 42}\n');
    });
    expect(answer.split('\n').filter(Boolean).map((line) => JSON.parse(line))).toEqual([
      { stderr: 'emulator: malformed control message: expected {"argv": ["command", "arg", …]} with a non-empty list of strings (or {"snapshot": true}, {"events": true}, {"stop": true})\n' },
      { exit: 2 },
    ]);
    const after = await runCli(['systemctl', '--root', root, 'is-active', 'x.socket']);
    expect(after).toMatchObject({ code: 0, stdout: 'active\n' });
  });

  it('SIGTERM stops the units, closes the port and removes the control socket', async () => {
    const code = await stopDaemon(daemon!.child);
    expect(code).toBe(0);
    expect(daemon!.output()).toContain('Closed x.socket - X socket.');
    expect(fs.existsSync(path.join(root, 'run/emulator/control.sock'))).toBe(false);
    await expect(exchange({ port, host: '127.0.0.1' }, '', false)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const after = await runCli(['systemctl', '--root', root, 'status', 'x.socket']);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('no daemon is running');
  });
});

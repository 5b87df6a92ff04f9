/**
 * Fault tests of `emu daemon` on the Node kernel (real sockets, real child processes): malformed control messages
 * never crash it, and a service killed mid-connection on a real port fails with result 'signal' while its socket
 * goes back to listening.
 */
import type { ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, makeRoot } from '../node/node-test-helpers.ts';
import { runCli, startDaemon, stopDaemon } from '../cli/cli-helpers.ts';

/** Says hello with its pid on each connection and keeps it open. */
const HOLDER_JS = `
const net = require('net');
net.createServer((socket) => socket.write('hello ' + process.pid + '\\n')).listen({ fd: 3 });
`;

const MALFORMED = 'emulator: malformed control message: ';

/** What a raw control client got back, and how its connection ended. */
interface RawAnswer {
  messages: Array<Record<string, unknown>>;
  closedByDaemon: boolean;
}

describe('emu daemon under faults (Node kernel, real sockets)', () => {
  let root = '';
  let port = 0;
  let daemon: { child: ChildProcess; output: () => string } | undefined;
  const control = (): string => path.join(root, 'run/emulator/control.sock');

  beforeAll(async () => {
    port = await freePort();
    root = makeRoot({
      '/etc/systemd/system/x.socket': `[Unit]\nDescription=X socket\n\n[Socket]\nListenStream=127.0.0.1:${port}\n\n[Install]\nWantedBy=sockets.target\n`,
      '/etc/systemd/system/x.service': '[Unit]\nDescription=X service\n\n[Service]\nExecStart=node /opt/x/holder.js\n',
      '/etc/systemd/system/sockets.target.wants/x.socket': '',
      '/opt/x/holder.js': HOLDER_JS,
    });
    daemon = await startDaemon(['--root', root], /Listening on x\.socket - X socket\./);
  });

  afterAll(async () => {
    if (daemon) await stopDaemon(daemon.child);
  });

  /** Sends `data` on a fresh control connection (then half-closes unless `keepOpen`); resolves once the daemon closed it. */
  function sendRaw(data: string | Buffer, keepOpen = true): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(control());
      let text = '';
      let ended = false;
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => (ended = true));
      socket.on('error', (error: NodeJS.ErrnoException) => {
        // The daemon may close while we still write a huge line: that is an answer too.
        if (error.code === 'EPIPE' || error.code === 'ECONNRESET') ended = true;
        else reject(error);
      });
      socket.on('close', () => resolve({ messages: text.split('\n').filter(Boolean).map((line) => JSON.parse(line)), closedByDaemon: ended }));
      socket.write(data);
      if (!keepOpen) socket.end();
    });
  }

  /** The daemon is alive and serves a well-formed command. */
  async function expectServing(): Promise<void> {
    expect(daemon!.child.exitCode).toBeNull();
    expect(await runCli(['systemctl', '--root', root, 'is-active', 'x.socket'])).toMatchObject({ code: 0, stdout: 'active\n' });
  }

  it.each([
    ['garbage bytes', Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0xc3, 0x28, 0x1b, 0x5b]), Buffer.from('\n')]), 'not JSON'],
    ['invalid JSON', '{"argv": ["systemctl", \n', 'not JSON'],
    ['JSON null', 'null\n', 'expected {"argv"'],
    ['a JSON string', '"systemctl status"\n', 'expected {"argv"'],
    ['a JSON array', '["systemctl", "status"]\n', 'expected {"argv"'],
    ['argv of numbers', '{"argv": [1, 2]}\n', 'expected {"argv"'],
    ['an empty argv', '{"argv": []}\n', 'expected {"argv"'],
    ['argv as an object', '{"argv": {"0": "systemctl"}}\n', 'expected {"argv"'],
    ['columns of the wrong type', '{"argv": ["systemctl", "status"], "columns": "wide"}\n', '"columns" must be a positive number'],
    ['snapshot: "yes" instead of true', '{"snapshot": "yes"}\n', 'expected {"argv"'],
  ])('%s: the daemon answers an error, closes that client, keeps serving', async (_name, data, reason) => {
    const answer = await sendRaw(data);
    expect(answer.closedByDaemon).toBe(true);
    expect(answer.messages).toHaveLength(2);
    expect(String(answer.messages[0].stderr)).toMatch(new RegExp(`^${MALFORMED}.*${reason.replace(/[[\]{}()"]/g, '\\$&')}`));
    expect(answer.messages[1]).toEqual({ exit: 2 });
    await expectServing();
  });

  it('a 10 MB line: an error answer (not a crash), and the daemon keeps serving', async () => {
    const answer = await sendRaw('x'.repeat(10 * 1024 * 1024) + '\n');
    expect(answer.closedByDaemon).toBe(true);
    expect(answer.messages.length === 0 || String(answer.messages[0].stderr).startsWith(MALFORMED)).toBe(true);
    await expectServing();
  });

  it('a 10 MB line that never ends, then the client leaves: the daemon keeps serving', async () => {
    await sendRaw('{"argv": ["echo", "' + 'y'.repeat(10 * 1024 * 1024), false);
    await expectServing();
  });

  it('a line past the 16 MiB limit with no newline in sight: the daemon refuses it at once and closes that client', async () => {
    const answer = await sendRaw('{"argv": ["echo", "' + 'z'.repeat(17 * 1024 * 1024));
    expect(answer.closedByDaemon).toBe(true);
    expect(answer.messages).toEqual([{ stderr: `${MALFORMED}line longer than ${16 * 1024 * 1024} characters\n` }, { exit: 2 }]);
    await expectServing();
  });

  it('env with values of the wrong type is filtered, the command still runs', async () => {
    const answer = await sendRaw('{"argv": ["systemctl", "is-active", "x.socket"], "env": {"A": 1, "B": null, "C": "ok"}}\n');
    expect(answer.messages).toEqual([{ stdout: 'active\n' }, { exit: 0 }]);
  });

  it('a client that disconnects mid-command (journalctl -f, half a line, stdin left open) does not disturb the daemon', async () => {
    await new Promise<void>((resolve) => {
      const socket = net.connect(control(), () => {
        socket.write('{"argv": ["journalctl", "-f"]}\n');
        socket.once('data', () => {
          socket.destroy();
          resolve();
        });
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => {
      const socket = net.connect(control(), () => {
        socket.write('{"argv": ["systemctl", "sta');
        socket.destroy();
        resolve();
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => {
      const socket = net.connect(control(), () => {
        socket.write(`{"argv": ["nc", "127.0.0.1", "${port}"]}\n{"stdin": "hi\\n"}\n`);
        socket.once('data', () => {
          socket.destroy();
          resolve();
        });
      });
      socket.on('error', () => undefined);
    });
    await expectServing();
  });

  it('a service killed (SIGKILL) mid-connection: the client sees the close, the unit fails with signal, the socket listens again and the next connection restarts it', async () => {
    const first = await openClient();
    const pid = Number(/^hello (\d+)\n$/.exec(await first.firstLine)?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    expect(await first.closed).toBe('closed');

    const journal = async (): Promise<string> => (await runCli(['journalctl', '--root', root, '-u', 'x.service'])).stdout;
    let text = await journal();
    // The exit reaches the journal shortly after the kill: read it until it is there (bounded).
    for (let i = 0; i < 50 && !text.includes("x.service: Failed with result 'signal'."); i++) text = await journal();
    expect(text).toContain('x.service: Main process exited, code=killed, status=9/KILL');
    expect(text).toContain("x.service: Failed with result 'signal'.");
    const status = await runCli(['systemctl', '--root', root, 'status', 'x.service']);
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/Active: failed \(Result: signal\)/);
    const socketStatus = await runCli(['systemctl', '--root', root, 'status', 'x.socket']);
    expect(socketStatus.stdout).toMatch(/Active: active \(listening\)/);

    const second = await openClient();
    const newPid = Number(/^hello (\d+)\n$/.exec(await second.firstLine)?.[1]);
    expect(newPid).toBeGreaterThan(0);
    expect(newPid).not.toBe(pid);
    second.socket.destroy();
    expect(daemon!.child.exitCode).toBeNull();
  });

  /** Connects to the activated port; resolves its first line and how it closed. */
  function openClient(): Promise<{ socket: net.Socket; firstLine: Promise<string>; closed: Promise<string> }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      socket.setEncoding('utf8');
      let text = '';
      const firstLine = new Promise<string>((res) => socket.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes('\n')) res(text);
      }));
      const closed = new Promise<string>((res) => {
        socket.on('end', () => res('closed'));
        socket.on('error', (error: NodeJS.ErrnoException) => res(error.code ?? 'error'));
      });
      socket.once('connect', () => resolve({ socket, firstLine, closed }));
      socket.once('error', reject);
    });
  }
});

/**
 * `emu snapshot`, `emu events` and `emu stop` against a real daemon on a temporary root: the state requests
 * the WebContainer lab runtime uses (src/lab/runtime/webcontainer/).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemEvent, SystemSnapshot } from '../../../src/emulator/system-events.ts';
import { exchange, freePort, makeRoot } from '../node/node-test-helpers.ts';
import { MAIN, runCli, startDaemon, stopDaemon } from './cli-helpers.ts';

const SERVER_JS = `
const net = require('net');
console.log('ready with LISTEN_FDS=' + process.env.LISTEN_FDS);
net.createServer((socket) => socket.end('hi\\n')).listen({ fd: 3 });
`;

/** Starts `emu events`; resolves once it says it follows the daemon (so no later event can be missed). */
function startEvents(root: string): Promise<{ child: ChildProcess; events: () => SystemEvent[]; stdout: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, 'events', '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.includes('Following the events')) {
        resolve({ child, stdout: () => stdout, events: () => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as SystemEvent) });
      }
    });
    child.on('exit', (code) => reject(new Error(`emu events exited with ${code}: ${stderr}`)));
  });
}

/** Resolves once `predicate` holds for the events seen so far (checked as output arrives). */
function waitForEvent(follower: { child: ChildProcess; events: () => SystemEvent[] }, predicate: (event: SystemEvent) => boolean): Promise<SystemEvent[]> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (follower.events().some(predicate)) {
        follower.child.stdout!.off('data', check);
        resolve(follower.events());
      }
    };
    follower.child.stdout!.on('data', check);
    check();
  });
}

describe('emulator command line: snapshot, events, stop', () => {
  let root = '';
  let port = 0;
  let daemon: { child: ChildProcess; output: () => string } | undefined;

  beforeAll(async () => {
    port = await freePort();
    root = makeRoot({
      '/etc/systemd/system/x.socket': `[Unit]\nDescription=X socket\n\n[Socket]\nListenStream=127.0.0.1:${port}\n\n[Install]\nWantedBy=sockets.target\n`,
      '/etc/systemd/system/x.service': '[Unit]\nDescription=X service\n\n[Service]\nExecStart=node /opt/x/server.js\n',
      '/etc/systemd/system/sockets.target.wants/.keep': '',
      '/opt/x/server.js': SERVER_JS,
    });
    await runCli(['systemctl', '--root', root, 'enable', 'x.socket']);
    daemon = await startDaemon(['--root', root, '--shim'], /Listening on x\.socket - X socket\./);
  });

  afterAll(async () => {
    if (daemon) await stopDaemon(daemon.child);
  });

  it('snapshot prints the running daemon\'s SystemSnapshot as one line of JSON', async () => {
    const result = await runCli(['snapshot', '--root', root]);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    const snapshot = JSON.parse(result.stdout) as SystemSnapshot;
    expect(snapshot.units.find((unit) => unit.name === 'x.socket')).toMatchObject({
      activeState: 'active',
      subState: 'listening',
      unitFileState: 'enabled',
      triggers: ['x.service'],
    });
    expect(snapshot.units.find((unit) => unit.name === 'x.service' && unit.activeState !== 'inactive')).toBeUndefined();
    expect(snapshot.journal.map((entry) => entry.message)).toContain('Listening on x.socket - X socket.');
  });

  it('events streams one JSON SystemEvent per line: the activation by a connection, as it happens', async () => {
    const follower = await startEvents(root);
    try {
      expect(await exchange({ port, host: '127.0.0.1' }, '', false)).toBe('hi\n');
      const events = await waitForEvent(follower, (event) => event.type === 'journal' && event.entry.message.startsWith('ready with LISTEN_FDS='));
      expect(events).toContainEqual(expect.objectContaining({ type: 'unit', unit: expect.objectContaining({ name: 'x.service', activeState: 'active', subState: 'running' }) }));
      expect(events).toContainEqual(expect.objectContaining({ type: 'journal', entry: expect.objectContaining({ unit: 'x.service', message: 'Started x.service - X service.' }) }));
      expect(events.find((event) => event.type === 'journal' && event.entry.message.startsWith('ready with'))).toMatchObject({ entry: { message: 'ready with LISTEN_FDS=1' } });
    } finally {
      follower.child.kill('SIGINT');
    }
    const code = await new Promise((resolve) => follower.child.once('exit', resolve));
    expect(code).toBe(130);
    // The daemon dropped the follower and still answers.
    expect(await runCli(['systemctl', '--root', root, 'is-active', 'x.service'])).toMatchObject({ code: 0, stdout: 'active\n' });
  });

  it('snapshot, events and stop with no daemon say so and exit 1', async () => {
    const empty = makeRoot();
    for (const command of ['snapshot', 'events', 'stop']) {
      const result = await runCli([command, '--root', empty]);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toContain(`Failed to connect to the emulator at ${empty}: no daemon is running.`);
    }
  });

  it('stop makes the daemon stop its units and exit 0, as SIGTERM does', async () => {
    const exited = new Promise<number | null>((resolve) => daemon!.child.once('exit', resolve));
    expect(await runCli(['stop', '--root', root])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await exited).toBe(0);
    expect(daemon!.output()).toContain('Stopped x.service - X service.');
    expect(daemon!.output()).toContain('Closed x.socket - X socket.');
    await expect(exchange({ port, host: '127.0.0.1' }, '', false)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

/**
 * The WebContainer runtime end to end in plain Node: the emulator bundle is built into a temporary folder,
 * served over HTTP as the site serves it, and the runtime's own code (createContainerRuntime) mounts it with
 * the lab files and the command wrappers, starts `emulator.mjs daemon --root machine --shim`, runs command
 * lines through the wrappers on PATH, follows `emulator.mjs events` and reads `emulator.mjs snapshot`.
 * The container is a Node stand-in (webcontainer-container.ts); only WebContainer.boot() is left untested.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEmulatorBundle } from '../../src/emulator/cli/build-bundle.ts';
import type { SystemEvent } from '../../src/emulator/system-events.ts';
import type { LabRuntime } from '../../src/lab/runtime/lab-runtime.ts';
import { EMULATOR_BUNDLE_FILES, EMULATOR_COMMANDS, WRAPPER_DIR } from '../../src/lab/runtime/webcontainer/container-layout.ts';
import { createContainerRuntime } from '../../src/lab/runtime/webcontainer/webcontainer-runtime.ts';
import { exchange, freePort } from '../emulator/node/node-test-helpers.ts';
import { createNodeContainer } from './webcontainer-container.ts';
import type { NodeContainer } from './webcontainer-container.ts';

const SERVER_JS = `
const net = require('net');
console.log('x listening with LISTEN_FDS=' + process.env.LISTEN_FDS + ' LISTEN_FDNAMES=' + process.env.LISTEN_FDNAMES);
net.createServer((socket) => socket.end('HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\n\\r\\nhello from x\\n')).listen({ fd: 3 });
`;

/** Runs a command line to its end; resolves with its status and output. */
async function run(runtime: LabRuntime, line: string): Promise<{ code: number; output: string }> {
  let output = '';
  const command = runtime.run(line, (text) => (output += text));
  return { code: await command.exit, output };
}

/** Serves `dir` read-only over HTTP, as the built site serves dist/webcontainer/. */
async function serveDirectory(dir: string): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((request, response) => {
    const file = path.join(dir, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname).replace(/^\/webcontainer\//, ''));
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webcontainer/emulator.mjs` };
}

describe('WebContainer runtime on the emulator bundle, in plain Node', () => {
  let bundleDir = '';
  let written: string[] = [];
  let site: { server: http.Server; url: string } | undefined;
  let container: NodeContainer;
  let runtime: LabRuntime;
  let port = 0;
  const events: SystemEvent[] = [];

  beforeAll(async () => {
    bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-bundle-'));
    written = await buildEmulatorBundle(bundleDir);
    site = await serveDirectory(bundleDir);
    port = await freePort();
    container = createNodeContainer(fs.mkdtempSync(path.join(os.tmpdir(), 'emu-workdir-')));
    runtime = createContainerRuntime(container, { emulatorBundleUrl: site.url, hostname: 'x-lab' });
    await runtime.boot({
      '/etc/systemd/system/x.socket': `[Unit]\nDescription=X socket\n\n[Socket]\nListenStream=127.0.0.1:${port}\n\n[Install]\nWantedBy=sockets.target\n`,
      '/etc/systemd/system/x.service': '[Unit]\nDescription=X service\n\n[Service]\nExecStart=node /opt/x/server.js\n',
      '/opt/x/server.js': SERVER_JS,
    });
    runtime.subscribe((event) => events.push(event));
  }, 60_000);

  afterAll(async () => {
    runtime?.dispose();
    await new Promise((resolve) => site?.server.close(resolve));
  });

  it('the bundle build writes exactly the files the runtime fetches and mounts', () => {
    expect([...written].sort()).toEqual([...EMULATOR_BUNDLE_FILES].sort());
    for (const file of EMULATOR_BUNDLE_FILES) expect(fs.existsSync(path.join(container.workdir, 'emulator', file))).toBe(true);
  });

  it('mounts the machine under machine/ and one executable wrapper per command on PATH', () => {
    expect(fs.readFileSync(path.join(container.workdir, 'machine/opt/x/server.js'), 'utf8')).toBe(SERVER_JS);
    for (const command of EMULATOR_COMMANDS) {
      expect(fs.statSync(path.join(container.workdir, WRAPPER_DIR, command)).mode & 0o111).not.toBe(0);
    }
    expect(container.spawned).toContain('node emulator/emulator.mjs daemon --root machine --shim');
  });

  it('systemctl through its wrapper: status of a socket not yet enabled, then enable --now', async () => {
    const before = await run(runtime, 'systemctl status x.socket');
    expect(before.code).toBe(3);
    expect(before.output).toMatch(/Active: inactive \(dead\)/);
    const enable = await run(runtime, 'systemctl enable --now x.socket');
    expect(enable.code).toBe(0);
    expect(enable.output).toContain('Created symlink /etc/systemd/system/sockets.target.wants/x.socket → /etc/systemd/system/x.socket.');
    const after = await run(runtime, 'systemctl status x.socket');
    expect(after.code).toBe(0);
    expect(after.output).toMatch(/Active: active \(listening\)/);
    expect(after.output).toContain(`Listen: 127.0.0.1:${port} (Stream)`);
  });

  it('curl starts the service on demand; the events follower reports it and the snapshot shows it', async () => {
    const curl = await run(runtime, `curl http://127.0.0.1:${port}/`);
    expect(curl).toEqual({ code: 0, output: 'hello from x\n' });
    const service = (await runtime.snapshot()).units.find((unit) => unit.name === 'x.service');
    expect(service).toMatchObject({ activeState: 'active', subState: 'running', triggeredBy: ['x.socket'] });
    expect(events).toContainEqual(expect.objectContaining({ type: 'unit', unit: expect.objectContaining({ name: 'x.service', activeState: 'active' }) }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'journal', entry: expect.objectContaining({ message: 'Started x.service - X service.' }) }));
    const status = await run(runtime, 'systemctl status x.service');
    expect(status.output).toContain('TriggeredBy: ● x.socket');
  });

  it('cat and ls see the machine\'s paths, as the learner types them', async () => {
    expect(await run(runtime, 'cat /etc/systemd/system/x.service')).toEqual({
      code: 0,
      output: '[Unit]\nDescription=X service\n\n[Service]\nExecStart=node /opt/x/server.js\n',
    });
    const ls = await run(runtime, 'ls /etc/systemd/system');
    expect(ls.code).toBe(0);
    expect(ls.output.split(/\s+/)).toEqual(expect.arrayContaining(['x.service', 'x.socket', 'sockets.target.wants']));
    const missing = await run(runtime, 'cat /etc/nothing');
    expect(missing.code).toBe(1);
    // The Node kernel's error text repeats the path today ("cat: /etc/nothing: /etc/nothing: No such …"); reported.
    expect(missing.output.startsWith('cat: /etc/nothing: ')).toBe(true);
    expect(missing.output.endsWith(': No such file or directory\n')).toBe(true);
  });

  it('an edit saved through writeFile is read back and picked up by daemon-reload', async () => {
    const edited = '[Unit]\nDescription=X service, edited\n\n[Service]\nExecStart=node /opt/x/server.js\n';
    await runtime.writeFile('/etc/systemd/system/x.service', edited);
    expect(await runtime.readFile('/etc/systemd/system/x.service')).toBe(edited);
    expect(await runtime.readFile('/etc/none')).toBeUndefined();
    expect((await run(runtime, 'systemctl daemon-reload')).code).toBe(0);
    expect((await run(runtime, 'systemctl show -p Description x.service')).output).toBe('Description=X service, edited\n');
  });

  it('completions offer the commands and the loaded units', async () => {
    const { commands, units } = await runtime.completions();
    expect(commands).toEqual(expect.arrayContaining(['systemctl', 'journalctl', 'curl', 'cat', 'ls']));
    expect(units).toEqual(expect.arrayContaining(['x.socket', 'x.service']));
  });

  it('interrupting journalctl -f ends it with status 130', async () => {
    let output = '';
    const follow = runtime.run('journalctl -f -u x.service', (text) => (output += text));
    for (let i = 0; i < 100 && !output.includes('Started x.service - X service.'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(output).toContain('Started x.service - X service.');
    follow.interrupt();
    expect(await follow.exit).toBe(130);
  });

  it('boot again (Reset) stops the old daemon and its service, and starts from the lab files', async () => {
    await runtime.boot({
      '/etc/systemd/system/x.socket': `[Socket]\nListenStream=127.0.0.1:${port}\n`,
      '/etc/systemd/system/x.service': '[Service]\nExecStart=node /opt/x/server.js\n',
      '/opt/x/server.js': SERVER_JS,
    });
    expect(await runtime.readFile('/etc/systemd/system/sockets.target.wants/x.socket')).toBeUndefined();
    expect((await run(runtime, 'systemctl is-active x.socket x.service')).output).toBe('inactive\ninactive\n');
    await expect(exchange({ port, host: '127.0.0.1' }, '', false)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('dispose ends every process of the container', async () => {
    expect((await run(runtime, 'systemctl start x.socket')).code).toBe(0);
    const daemonExit = [...container.children].map((child) => new Promise((resolve) => child.once('close', resolve)));
    runtime.dispose();
    await Promise.all(daemonExit);
    expect(container.children.size).toBe(0);
    await expect(exchange({ port, host: '127.0.0.1' }, '', false)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

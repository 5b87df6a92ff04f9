import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { createDefaultSystem } from '../src/emulator/commands/index.ts';
import { createNodeKernel } from '../src/emulator/kernel/node/node-kernel.ts';
import { FIRST_BYTE_SERVICE, tempRoot } from './bench-services.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
const marks: Record<string, number[]> = {};
const mark = (name: string, t: number) => (marks[name] ??= []).push(t);

async function one(): Promise<void> {
  const port = await freePort();
  const root = tempRoot({
    'etc/systemd/system/svc.socket': `[Socket]\nListenStream=127.0.0.1:${port}\n\n[Install]\nWantedBy=sockets.target\n`,
    'etc/systemd/system/svc.service': '[Service]\nExecStart=node /opt/svc/server.js\n',
    'opt/svc/server.js': "const t1 = performance.timeOrigin + performance.now(); require('net').createServer((s) => { s.end('x'); console.log(JSON.stringify({ o: performance.timeOrigin, t1, t2, t3: performance.timeOrigin + performance.now() })); }).listen({ fd: 3 }); const t2 = performance.timeOrigin + performance.now();\n",
  });
  fs.mkdirSync(path.join(root, 'etc/systemd/system/sockets.target.wants'));
  fs.symlinkSync('/etc/systemd/system/svc.socket', path.join(root, 'etc/systemd/system/sockets.target.wants/svc.socket'));
  const kernel = await createNodeKernel({ root });
  const system = createDefaultSystem(kernel);
  await system.boot();
  await kernel.ready();
  const origSpawn = kernel.processes.spawn.bind(kernel.processes);
  let t0 = 0;
  let e0 = 0;
  (kernel.processes as { spawn: typeof origSpawn }).spawn = (o) => {
    mark('spawn-called', performance.now() - t0);
    const p = origSpawn({ ...o, onOutput: (line, stream) => { try { const j = JSON.parse(line); mark('child-origin', j.o - e0); mark('child-main', j.t1 - e0); mark('child-listened', j.t2 - e0); mark('child-conn', j.t3 - e0); } catch { /* */ } o.onOutput(line, stream); } });
    mark('spawn-returned', performance.now() - t0);
    return p;
  };
  await new Promise<void>((resolve) => {
    t0 = performance.now();
    e0 = performance.timeOrigin + t0;
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => mark('connected', performance.now() - t0));
    s.once('data', () => { mark('first-byte', performance.now() - t0); s.destroy(); resolve(); });
  });
  await kernel.dispose();
}
async function reference(program: string): Promise<void> {
  const port = await freePort();
  const child = spawn('/usr/bin/systemd-socket-activate', ['-l', `127.0.0.1:${port}`, process.execPath, program], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve) => child.stderr!.on('data', (c: Buffer) => String(c).includes('Listening on') && resolve()));
  const t0 = performance.now();
  await new Promise<void>((resolve) => { const s = net.connect({ port, host: '127.0.0.1' }); s.once('data', () => { mark('ref-first-byte', performance.now() - t0); s.destroy(); resolve(); }); });
  const exited = new Promise((r) => child.once('exit', r)); child.kill('SIGKILL'); await exited;
}
const program = path.join(tempRoot({ 'server.js': FIRST_BYTE_SERVICE }), 'server.js');
const N = Number(process.env.N ?? 11);
for (let i = 0; i < N; i++) { await one(); await reference(program); }
const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
for (const [k, v] of Object.entries(marks)) console.log(k.padEnd(16), med(v).toFixed(2), 'ms  (min', Math.min(...v).toFixed(2), ')');
process.exit(0);

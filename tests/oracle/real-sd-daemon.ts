/**
 * `require('sd-daemon')` for lab programs on the real machine. Lab programs use the emulator's module (listenFds,
 * listenFdsWithNames, notify); on real systemd they get the same pure core (src/emulator/service/sd-daemon.ts,
 * compiled to CommonJS with esbuild) over the real process. Node cannot send a datagram on an AF_UNIX socket, so
 * notify() has python3 send it with SCM_CREDENTIALS naming the Node process (root in the container may, and
 * systemd then sees the main PID as sender, as with sd_notify(3) from the program itself).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { transformSync } from 'esbuild';
import type { MachineFile } from './machine-files.ts';
import { PROJECT_ROOT } from './machine-files.ts';

/** Where Debian's Node looks for global modules. */
const MODULE_DIR = '/usr/share/nodejs/sd-daemon';

const NOTIFY_PY = `import os, socket, struct, sys
address = os.environ.get("NOTIFY_SOCKET", "")
if address.startswith("@"):
    address = "\\0" + address[1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendmsg([sys.argv[2].encode()], [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, struct.pack("iII", int(sys.argv[1]), os.getuid(), os.getgid()))], 0, address)
`;

const WRAPPER = `
const fs = require('fs');
const { spawnSync } = require('child_process');
module.exports = createSdDaemon({
  env: process.env,
  pid: process.pid,
  isFdOpen(fd) {
    try { fs.fstatSync(fd); return true; } catch { return false; }
  },
  notify(message) {
    spawnSync('python3', ['-c', ${JSON.stringify(NOTIFY_PY)}, String(process.pid), message], { stdio: 'ignore', env: process.env });
  },
});
`;

/** The module's files for the real machine. */
export function realSdDaemonFiles(): MachineFile[] {
  const source = fs.readFileSync(path.join(PROJECT_ROOT, 'src/emulator/service/sd-daemon.ts'), 'utf8');
  const core = transformSync(source, { loader: 'ts', format: 'cjs', target: 'node18' }).code;
  return [
    { path: `${MODULE_DIR}/package.json`, kind: 'file', content: '{ "name": "sd-daemon", "main": "index.js" }\n', mode: 0o644 },
    { path: `${MODULE_DIR}/index.js`, kind: 'file', content: `'use strict';\n${core}\n${WRAPPER}`, mode: 0o644 },
  ];
}

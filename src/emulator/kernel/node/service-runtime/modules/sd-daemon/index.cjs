/**
 * `require('sd-daemon')` for Node services started by the emulator's Node kernel: the pure core of
 * src/emulator/service/sd-daemon.ts over this real process. Fds the preload shim serves on a relay address
 * (WebContainers, where fd 3 cannot be passed) count as open. Node has no datagram sockets, so sd_notify() speaks
 * the kernel's stream protocol (see src/emulator/kernel/node/notify-socket.ts) at EMULATOR_NOTIFY_STREAM, or at
 * NOTIFY_SOCKET where that is the stream endpoint itself: one connection per message, `PID\nMESSAGE`.
 */
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const core = require('../../../../../service/sd-daemon.ts');

const relayedFds = globalThis[Symbol.for('emulator.relayedFds')] || new Set();

/** Sends one notification to the kernel's stream endpoint (abstract `@name`, a path, or `tcp:HOST:PORT`). */
function send(message) {
  const address = process.env.EMULATOR_NOTIFY_STREAM || process.env.NOTIFY_SOCKET || '';
  const tcp = /^tcp:(.+):(\d+)$/.exec(address);
  const target = tcp ? { host: tcp[1], port: Number(tcp[2]) } : { path: address.startsWith('@') ? `\0${address.slice(1)}` : address };
  const socket = net.connect(target);
  socket.on('error', () => undefined);
  socket.end(`${process.pid}\n${message}`);
}

module.exports = core.createSdDaemon({
  env: process.env,
  pid: process.pid,
  isFdOpen(fd) {
    if (relayedFds.has(fd)) return true;
    try {
      fs.fstatSync(fd);
      return true;
    } catch {
      return false;
    }
  },
  notify: send,
});

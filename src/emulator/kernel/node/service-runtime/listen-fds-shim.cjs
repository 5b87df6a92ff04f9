/**
 * Preloaded into every Node service the emulator's Node kernel starts (`node --require listen-fds-shim.cjs`).
 * It runs before the service's own code and reads the kernel's private EMULATOR_* variables, then removes them,
 * so the service sees the same environment as under systemd:
 * - EMULATOR_LISTEN_PID=1: set LISTEN_PID to this process's pid (what PID 1 does between fork and exec);
 * - EMULATOR_MODULES=DIR: let `require('sd-daemon')` resolve from DIR (as NODE_PATH would, without setting it);
 * - EMULATOR_FD_<n>=tcp:HOST:PORT | unix:PATH: where fd <n> cannot be passed (WebContainers), make
 *   `server.listen({ fd: n })` listen on that address instead; the kernel relays the socket's connections there.
 */
'use strict';
const net = require('node:net');
const Module = require('node:module');

const env = process.env;

if (env.EMULATOR_LISTEN_PID === '1') env.LISTEN_PID = String(process.pid);
delete env.EMULATOR_LISTEN_PID;

if (env.EMULATOR_MODULES) {
  const previous = env.NODE_PATH;
  env.NODE_PATH = previous ? `${env.EMULATOR_MODULES}:${previous}` : env.EMULATOR_MODULES;
  Module._initPaths();
  if (previous === undefined) delete env.NODE_PATH;
  else env.NODE_PATH = previous;
  delete env.EMULATOR_MODULES;
}

/** fd number → listen options for the relay address. */
const fdAddresses = new Map();
for (const name of Object.keys(env)) {
  const match = /^EMULATOR_FD_(\d+)$/.exec(name);
  if (!match) continue;
  const value = env[name];
  delete env[name];
  const tcp = /^tcp:(.+):(\d+)$/.exec(value);
  if (tcp) fdAddresses.set(Number(match[1]), { host: tcp[1], port: Number(tcp[2]) });
  else if (value.startsWith('unix:')) fdAddresses.set(Number(match[1]), { path: value.slice(5) });
}

// sd-daemon counts these fds as open although they are addresses.
globalThis[Symbol.for('emulator.relayedFds')] = new Set(fdAddresses.keys());

if (fdAddresses.size > 0) {
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function listenOnRelay(...args) {
    const first = args[0];
    const fd = first && typeof first === 'object' ? first.fd : undefined;
    if (typeof fd === 'number' && fdAddresses.has(fd)) {
      const options = { ...fdAddresses.get(fd), backlog: first.backlog ?? 4096 };
      return listen.call(this, options, ...args.slice(1).filter((arg) => typeof arg === 'function'));
    }
    return listen.apply(this, args);
  };
}

/**
 * Preloaded into every Node service the emulator's Node kernel starts (`node --require listen-fds-shim.cjs`).
 * It runs before the service's own code and reads the kernel's private EMULATOR_* variables, then removes them,
 * so the service sees the same environment as under systemd:
 * - EMULATOR_HOST_ENV=NAME,…: variables the host needed to start this Node (LD_LIBRARY_PATH for a Debian root's node,
 *   program-node.ts), which the service does not see;
 * - EMULATOR_LISTEN_PID=1: set LISTEN_PID to this process's pid (what PID 1 does between fork and exec);
 * - EMULATOR_UID=N, EMULATOR_GID=N: the identity User=/Group= give where the kernel cannot switch users;
 * - EMULATOR_MODULES=DIR: let `require('sd-daemon')` resolve from DIR (as NODE_PATH would, without setting it);
 * - EMULATOR_FDS=<n>,… and EMULATOR_FD_<n>=tcp:HOST:PORT | unix:PATH: where fd <n> cannot be passed (WebContainers), make
 *   `server.listen({ fd: n })` listen on that address instead; the kernel relays the socket's connections there;
 * - EMULATOR_ROOT=DIR: the machine's `/`: a Unix socket path the service connects to (`net.connect('/run/db.sock')`)
 *   is a machine path, so it is looked up inside DIR; where the kernel serves that path over loopback TCP (no
 *   AF_UNIX, as in WebContainers) the connection goes to the relay port it published in DIR/run/emulator/unix-relays;
 *   and the `fs` functions that take a path resolve an absolute path inside DIR too (as if the service ran chrooted
 *   into the machine), so `fs.readFileSync('/etc/cups/cupsd.conf')` reads the machine's file, as in the in-page
 *   machine. /dev, /proc, /sys and the emulator's own code (which Node's module loader reads through fs) stay the
 *   host's; realpath is left alone (the loader uses it). A read of a path the machine has no directory for may
 *   fall back to the host's file (a host module a service requires); a write never does: what a service creates,
 *   changes or removes is always the machine's, so the host's /var or /run is never touched and a second run
 *   does not depend on what a first one left there. `server.listen('/run/x.sock')` binds inside DIR too, and
 *   process.argv[1] is the script's machine path (`/usr/sbin/cupsd`), as the service would see it under systemd.
 *   The fs wrappers are made at the first moment the service can reach fs (see wrapFs below), not at every start.
 *
 * Everything here runs before each Node service's own code, at each socket activation: keep what runs at start
 * small (issue 11: activation latency against systemd-socket-activate); bench/activation-profile.ts shows its cost.
 */
'use strict';
const net = require('node:net');
const fs = require('node:fs');
const path = require('node:path');
// This file's own module object is made by Module: no require('node:module') (a few tenths of a ms per start).
const Module = module.constructor;

const env = process.env;

if (env.EMULATOR_HOST_ENV) for (const name of env.EMULATOR_HOST_ENV.split(',')) delete env[name];
delete env.EMULATOR_HOST_ENV;

if (env.EMULATOR_LISTEN_PID === '1') env.LISTEN_PID = String(process.pid);
delete env.EMULATOR_LISTEN_PID;

// EMULATOR_UID/EMULATOR_GID: User=/Group= where the kernel may not switch users (not root, a WebContainer):
// the service sees the identity systemd would have given it.
if (env.EMULATOR_UID !== undefined) {
  const uid = Number(env.EMULATOR_UID);
  const gid = Number(env.EMULATOR_GID ?? env.EMULATOR_UID);
  process.getuid = process.geteuid = () => uid;
  process.getgid = process.getegid = () => gid;
}
delete env.EMULATOR_UID;
delete env.EMULATOR_GID;

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
// EMULATOR_FDS lists the fds that have an EMULATOR_FD_<n> (no walk through the whole environment at each start).
for (const fd of env.EMULATOR_FDS ? env.EMULATOR_FDS.split(',') : []) {
  const value = env[`EMULATOR_FD_${fd}`] ?? '';
  delete env[`EMULATOR_FD_${fd}`];
  const tcp = /^tcp:(.+):(\d+)$/.exec(value);
  if (tcp) fdAddresses.set(Number(fd), { host: tcp[1], port: Number(tcp[2]) });
  else if (value.startsWith('unix:')) fdAddresses.set(Number(fd), { path: value.slice(5) });
}
delete env.EMULATOR_FDS;

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

const root = env.EMULATOR_ROOT;
delete env.EMULATOR_ROOT;
/** False when the main script's text never says `import`: then it loads no ES module itself (see fs.promises below). */
let mainMayImport = true;
/** True unless `file`'s text never says `import` (read before fs is wrapped: `file` is a host path). */
const mayImport = (file) => {
  try {
    return typeof file !== 'string' || fs.readFileSync(file).includes('import');
  } catch {
    return true;
  }
};
/** The emulator's own code (src/emulator, or emulator/ of the bundle): Node's module loader reads it through fs. */
// The nearest folder named emulator up from here, found in the string (a walk with path.dirname costs a tenth of a ms).
const emulatorDir = (() => {
  const at = `${__dirname}/`.lastIndexOf('/emulator/');
  return at < 0 ? __dirname : __dirname.slice(0, at + '/emulator'.length);
})();
const HOST_PATHS = /^\/(dev|proc|sys)(\/|$)/;
const within = (dir, value) => value === dir || value.startsWith(`${dir}/`);
/** The kernel's notification stream (a host path: notify-socket.ts), which the sd-daemon module connects to. */
const notifyStream = env.EMULATOR_NOTIFY_STREAM;
/** An absolute path the service means inside the machine (not already a host path of the root or the emulator). */
const isMachinePath = (value) => typeof value === 'string' && value.startsWith('/') && !within(root, value) && !within(emulatorDir, value) && !HOST_PATHS.test(value) && value !== notifyStream;
if (root) {
  /** Connect options for a machine path: the relay's loopback port, or the socket's path inside the root. */
  const machineTarget = (socketPath) => {
    try {
      // The relay serves the path while its placeholder is there (a program may have unlinked it and bound its own).
      if (!fs.lstatSync(path.join(root, socketPath)).isFile()) throw new Error('not the placeholder');
      const port = Number(fs.readFileSync(path.join(root, 'run/emulator/unix-relays', encodeURIComponent(socketPath)), 'utf8').trim());
      if (port > 0) return { host: '127.0.0.1', port };
    } catch {
      // No relay for this path: a real Unix socket inside the root (or nothing, and connect fails as it would).
    }
    return { path: path.join(root, socketPath) };
  };
  // server.listen('/run/x.sock') or listen({ path }): the machine's path, a real Unix socket inside the root.
  const listenOn = net.Server.prototype.listen;
  net.Server.prototype.listen = function listenInMachine(...args) {
    const first = args[0];
    if (typeof first === 'string' && isMachinePath(first)) args[0] = path.join(root, first);
    else if (first && typeof first === 'object' && isMachinePath(first.path)) args[0] = { ...first, path: path.join(root, first.path) };
    return listenOn.apply(this, args);
  };
  // The main module is already resolved (from the host path), so the program may see its machine path.
  mainMayImport = mayImport(process.argv[1]);
  if (typeof process.argv[1] === 'string' && within(root, process.argv[1])) process.argv[1] = process.argv[1].slice(root.length);
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function connectInMachine(...args) {
    const first = args[0];
    // net.connect() passes its already normalized [options, callback] array as the first argument.
    const options = Array.isArray(first) ? first[0] : first;
    if (typeof options === 'string' && isMachinePath(options)) args[0] = machineTarget(options);
    else if (options && typeof options === 'object' && isMachinePath(options.path)) {
      const { path: socketPath, ...rest } = options;
      const target = { ...rest, ...machineTarget(socketPath) };
      if (Array.isArray(first)) first[0] = target;
      else args[0] = target;
    }
    return connect.apply(this, args);
  };
}

if (root) {
  /**
   * Wraps the `fs` functions that take a path, once, before anything outside Node itself can reach `fs`: a service
   * that never uses it (a server on fd 3 that requires only `net`) does not pay for it at each start (issue 11), not
   * even for building the wrappers (all of it lives in this function, compiled at its first call).
   */
  const wrapMachineFs = () => {
    const exists = fs.existsSync;
    // A path is the machine's when the machine has it or a directory on its way (below `/`); a path the machine has
    // no parent for but the host has stays the host's, as ExecStart= may run programs and scripts from the host.
    const inRoot = (value) => {
      if (!isMachinePath(value)) return value;
      const mapped = path.join(root, value);
      for (let dir = mapped; within(root, dir) && dir !== root; dir = path.dirname(dir)) if (exists(dir)) return mapped;
      return exists(value) ? value : mapped;
    };
    /** A path the service writes, creates or removes: always the machine's. */
    const machineOnly = (value) => (isMachinePath(value) ? path.join(root, value) : value);
    /** open()'s flags: writing or creating ('w', 'a', 'r+', O_WRONLY|O_RDWR|O_CREAT) is the machine's only. */
    const writes = (flags) =>
      typeof flags === 'string' ? /[wa+]/.test(flags) : typeof flags === 'number' && (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT)) !== 0;
    const READS = ['access', 'createReadStream', 'exists', 'lstat', 'opendir', 'readdir', 'readFile', 'readlink', 'stat', 'watch', 'watchFile', 'unwatchFile'];
    const WRITES = ['appendFile', 'chmod', 'chown', 'createWriteStream', 'lchown', 'mkdir', 'mkdtemp', 'rm', 'rmdir', 'truncate', 'unlink', 'utimes', 'writeFile'];
    /** Each name, its argument mappers: a source may be the host's (a read), a destination is the machine's. */
    const PLANS = [
      ...READS.map((name) => [name, [inRoot]]),
      ...WRITES.map((name) => [name, [machineOnly]]),
      ...['copyFile', 'cp', 'link', 'rename'].map((name) => [name, [inRoot, machineOnly]]),
      ['symlink', [(target) => target, machineOnly]],
    ];
    const wrap = (target, name, mappers) => {
      const original = target[name];
      if (typeof original !== 'function') return;
      target[name] = function inMachine(...args) {
        mappers.forEach((map, i) => (args[i] = map(args[i])));
        return original.apply(this, args);
      };
    };
    const wrapOpen = (target, name) => {
      const original = target[name];
      target[name] = function openInMachine(file, flags, ...rest) {
        return original.call(this, writes(flags) ? machineOnly(file) : inRoot(file), flags, ...rest);
      };
    };
    // A socket unit's Unix socket that the emulator serves over loopback (no Unix sockets here) is a placeholder
    // file with a relay entry: stat() says what the machine has there, a socket, as the emulator's own stat does.
    const S_IFMT = 0o170000;
    const S_IFSOCK = 0o140000;
    const relayed = (machinePath) => isMachinePath(machinePath) && exists(path.join(root, 'run/emulator/unix-relays', encodeURIComponent(path.normalize(machinePath))));
    const promisesProperty = Object.getOwnPropertyDescriptor(fs, 'promises');
    for (const [name, mappers] of PLANS) {
      wrap(fs, name, mappers);
      wrap(fs, `${name}Sync`, mappers);
    }
    for (const name of ['statSync', 'lstatSync']) {
      const original = fs[name];
      fs[name] = function statInMachine(file, ...rest) {
        const stats = original.call(this, file, ...rest);
        if (stats && typeof stats.isFile === 'function' && stats.isFile() && relayed(file)) {
          stats.mode = (stats.mode & ~S_IFMT) | S_IFSOCK;
          stats.isFile = () => false;
          stats.isSocket = () => true;
        }
        return stats;
      };
    }
    wrapOpen(fs, 'open');
    wrapOpen(fs, 'openSync');
    let promises;
    /** fs.promises, wrapped, once something reaches it: loading it costs more than all the rest of this file. */
    const wrapPromises = () => {
      if (!promises) {
        promises = promisesProperty.get ? promisesProperty.get.call(fs) : promisesProperty.value;
        for (const [name, mappers] of PLANS) wrap(promises, name, mappers);
        wrapOpen(promises, 'open');
      }
      return promises;
    };
    Object.defineProperty(fs, 'promises', { configurable: true, enumerable: true, get: wrapPromises });
    return wrapPromises;
  };
  /** fs.promises's wrapper once fs is wrapped. */
  let wrapPromisesNow;
  const wrapFs = () => {
    wrapPromisesNow ??= wrapMachineFs();
  };
  /** True once fs.promises is wrapped too (nothing is left to watch for). */
  let promisesWrapped = false;
  const wrapPromises = () => {
    wrapFs();
    wrapPromisesNow();
    promisesWrapped = true;
  };
  // What reaches fs: CommonJS through require() (of 'fs', of 'fs/promises', or of any module that is not one of
  // Node's own: it may use fs) and process.getBuiltinModule(), each seen here. An ES module reaches it through
  // `import … from 'node:fs'`, which binds the functions at its first import, unseen: so a script whose text says
  // `import` (the main script, or a module as it is compiled) wraps fs and fs.promises at once.
  const reachesPromises = (id) => id === 'fs/promises' || id === 'node:fs/promises';
  const isBuiltin = typeof Module.isBuiltin === 'function' ? Module.isBuiltin : (id) => Module.builtinModules.includes(id.replace(/^node:/, ''));
  const reachesFs = (id) => id === 'fs' || id === 'node:fs' || !isBuiltin(id);
  const load = Module._load;
  Module._load = function loadInMachine(request, parent, isMain, ...rest) {
    if (!promisesWrapped && typeof request === 'string') {
      if (reachesPromises(request) || request.endsWith('.mjs')) wrapPromises();
      else if (!isMain && reachesFs(request)) wrapFs();
    }
    return load.call(this, request, parent, isMain, ...rest);
  };
  const getBuiltinModule = process.getBuiltinModule;
  if (typeof getBuiltinModule === 'function') {
    process.getBuiltinModule = function getBuiltinModuleInMachine(id, ...rest) {
      if (!promisesWrapped && reachesPromises(id)) wrapPromises();
      else if (id === 'fs' || id === 'node:fs') wrapFs();
      return getBuiltinModule.call(this, id, ...rest);
    };
  }
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileInMachine(content, ...rest) {
    if (!promisesWrapped && typeof content === 'string' && content.includes('import')) wrapPromises();
    return compile.call(this, content, ...rest);
  };
  if (mainMayImport) wrapPromises();
}

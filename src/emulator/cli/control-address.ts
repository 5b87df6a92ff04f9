/**
 * Where a daemon for a root DIR can be reached, and its lock file. The control socket is the Unix socket
 * DIR/run/emulator/control.sock; where AF_UNIX is missing or the path is too long for it, the daemon listens
 * on loopback TCP and writes the port to DIR/run/emulator/control.port instead.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** The files of a daemon under its root. */
export interface ControlPaths {
  dir: string;
  socket: string;
  portFile: string;
  lockFile: string;
}

/** sun_path holds 108 bytes including the NUL. */
const MAX_UNIX_PATH = 107;

/** The control files of the daemon for `root`. */
export function controlPaths(root: string): ControlPaths {
  const dir = path.join(path.resolve(root), 'run', 'emulator');
  return { dir, socket: path.join(dir, 'control.sock'), portFile: path.join(dir, 'control.port'), lockFile: path.join(dir, 'daemon.pid') };
}

/** True when the control socket can be a Unix socket here. */
export function canUseUnixControl(paths: ControlPaths, unixSockets: boolean): boolean {
  return unixSockets && Buffer.byteLength(paths.socket) <= MAX_UNIX_PATH;
}

/** How to connect to the daemon for `root`, or undefined when no control endpoint exists. */
export function controlTarget(paths: ControlPaths): net.NetConnectOpts | undefined {
  if (fs.existsSync(paths.socket)) return { path: paths.socket };
  try {
    const port = Number(fs.readFileSync(paths.portFile, 'utf8').trim());
    if (port > 0) return { host: '127.0.0.1', port };
  } catch {
    // no port file
  }
  return undefined;
}

/** Resolves true when something answers on the control endpoint. */
export function controlAnswers(paths: ControlPaths): Promise<boolean> {
  const target = controlTarget(paths);
  if (!target) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = net.connect(target);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Names of the per-connection service instances of Accept=yes sockets, as systemd 252's
 * instance_from_socket() builds them, and the peer text appended to their description.
 */
import type { Endpoint } from '../kernel/kernel.ts';

/** Strips the IPv4-mapped prefix (`::ffff:1.2.3.4` → `1.2.3.4`), as systemd translates such peers. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/** The instance string: `NR-LOCAL:PORT-REMOTE:PORT` (bare IPv6 addresses) or `NR-PID-UID` for AF_UNIX. */
export function acceptInstance(nr: number, local: Endpoint, remote: Endpoint): string {
  if (local.family === 'unix') {
    if (remote.pid === undefined || remote.uid === undefined) return `${nr}-unknown`;
    return `${nr}-${remote.pid}-${remote.uid}`;
  }
  return `${nr}-${plainAddress(local.address)}:${local.port}-${plainAddress(remote.address)}:${remote.port}`;
}

/** The full instance unit name: `prefix@INSTANCE.service`. */
export function acceptInstanceName(prefix: string, nr: number, local: Endpoint, remote: Endpoint): string {
  return `${prefix}@${acceptInstance(nr, local, remote)}.service`;
}

/** The peer as getpeername_pretty() shows it: `127.0.0.1:50312`, `[::1]:50312`, `PID 42/UID 0`. */
export function peerText(remote: Endpoint): string {
  if (remote.family === 'unix') {
    return remote.pid !== undefined ? `PID ${remote.pid}/UID ${remote.uid ?? 0}` : 'n/a';
  }
  const address = plainAddress(remote.address);
  return address.includes(':') ? `[${address}]:${remote.port}` : `${address}:${remote.port}`;
}

/** The REMOTE_ADDR / REMOTE_PORT pair systemd sets for IP peers (none for AF_UNIX). */
export function remoteEnvironment(remote: Endpoint): Record<string, string> {
  if (remote.family === 'unix') return {};
  return { REMOTE_ADDR: plainAddress(remote.address), REMOTE_PORT: String(remote.port ?? 0) };
}

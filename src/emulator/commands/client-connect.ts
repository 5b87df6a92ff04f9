/** Name resolution and connecting for the clients (curl, nc), as the user the command runs as. */
import type { Connection } from '../kernel/kernel.ts';
import type { CommandIO, System } from '../system.ts';
import { uidOf } from './builtins.ts';

/** Addresses for a host name, in the order the client tries them; undefined when it does not resolve. */
export function resolveHost(system: System, host: string, order: 'v4-first' | 'v6-first'): string[] | undefined {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === 'localhost.localdomain') return order === 'v4-first' ? ['127.0.0.1', '::1'] : ['::1', '127.0.0.1'];
  if (h === 'ip6-localhost' || h === 'ip6-loopback') return ['::1'];
  if (h === system.kernel.hostname.toLowerCase()) return ['127.0.1.1'];
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(':')) return [h];
  return undefined;
}

/** `ip:port` or `[v6]:port` as Network.connect takes it. */
export function tcpTarget(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Connects as the command's user; rejects with the KernelError. */
export function connectAs(system: System, io: CommandIO, target: string): Promise<Connection> {
  return system.kernel.net.connect(target, { uid: uidOf(system, io) });
}

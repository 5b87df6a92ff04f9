/**
 * TCP sockets that services opened themselves (a program that binds its own port, as legacy.service behind
 * systemd-socket-proxyd does): the machine's `ss -tl` lists them next to the sockets PID 1 holds, so the Node
 * kernel asks the host's own ss (iproute2: the kernel's inet_diag, which alone knows a listener's backlog) and keeps
 * the rows of processes in the services' process groups. Where ss cannot run (a WebContainer), there are none.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { SocketInfo } from '../kernel.ts';

/** The process group of a pid (/proc/PID/stat), or undefined when it is gone. */
function processGroupOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

/**
 * The backlog (ss's Send-Q) of the listening TCP socket with inode `inode`, from the host's ss (only inet_diag
 * knows it: a service that listen()s again on a socket it was passed, as Node.js does with 511, changes it);
 * undefined where ss cannot tell.
 */
export function hostListenBacklog(inode: number): number | undefined {
  for (const fields of hostSs('-Htlne')) if (fields[0] === 'LISTEN' && fields.includes(`ino:${inode}`)) return Number(fields[2]);
  return undefined;
}

/** The host's `ss ARGS` (no header), each line split into its fields; none where ss cannot run. */
function hostSs(args: string): string[][] {
  try {
    const text = execFileSync('ss', [args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 });
    return text.split('\n').map((line) => line.trim().split(/\s+/)).filter((fields) => fields[0] !== '');
  } catch {
    return [];
  }
}

/** The processes of an ss -p line's `users:((…),…)` fields. */
function ssProcesses(fields: string[]): Array<{ name: string; pid: number; fd: number }> {
  return [...fields.join(' ').matchAll(/\("([^"]*)",pid=(\d+),fd=(\d+)\)/g)].map((match) => ({ name: match[1], pid: Number(match[2]), fd: Number(match[3]) }));
}

/**
 * Listening TCP sockets of processes in `groups` (process group → when it was spawned) that the emulator does not
 * hold itself (`ours`: the local addresses of its own listeners), as ss rows; a row's createdAt is its group's spawn
 * time (its socket was made after that).
 */
export function serviceListeningSockets(groups: ReadonlyMap<number, number>, ours: ReadonlySet<string>): SocketInfo[] {
  if (groups.size === 0) return [];
  const rows: SocketInfo[] = [];
  for (const [state, recvQ, sendQ, local, peer, ...rest] of hostSs('-Htlnp')) {
    if (state !== 'LISTEN' || !local || ours.has(local)) continue;
    const processes = ssProcesses(rest).filter((owner) => owner.pid !== process.pid && groups.has(processGroupOf(owner.pid) ?? -1));
    if (processes.length === 0) continue;
    const createdAt = groups.get(processGroupOf(processes[0].pid) ?? -1);
    rows.push({
      netid: 'tcp', state: 'LISTEN', recvQ: Number(recvQ), sendQ: Number(sendQ), local, peer, processes,
      // The host's ss prints a dual-stack wildcard as `*` and an IPv6-only one (sshd's second socket) as `[::]`.
      ...(local.startsWith('[::]:') ? { v6Only: true } : {}), ...(createdAt !== undefined ? { createdAt } : {}),
    });
  }
  return rows;
}

/**
 * Listening Unix stream sockets that processes in `groups` bound themselves inside the machine's root (a daemon
 * that unlinks a socket unit's path and binds its own there, as dbus-daemon with unix:path= and dockerd do), as ss
 * rows with their machine path: the machine then lists both sockets at the path, as the real one does.
 */
export function serviceUnixSockets(groups: ReadonlyMap<number, number>, root: string): SocketInfo[] {
  if (groups.size === 0) return [];
  const rows: SocketInfo[] = [];
  for (const [netid, state, recvQ, sendQ, local, inode, ...rest] of hostSs('-Hxlp')) {
    if (netid !== 'u_str' || state !== 'LISTEN' || !local?.startsWith(`${root}/`)) continue;
    const processes = ssProcesses(rest);
    // A socket the emulator (or its fd holder) holds too is a socket unit's, which the machine lists already.
    if (processes.length === 0 || processes.some((owner) => owner.pid === process.pid || !groups.has(processGroupOf(owner.pid) ?? -1))) continue;
    rows.push({ netid: 'u_str', state: 'LISTEN', recvQ: Number(recvQ), sendQ: Number(sendQ), local: `${local.slice(root.length)} ${inode}`, peer: '* 0', processes });
  }
  return rows;
}

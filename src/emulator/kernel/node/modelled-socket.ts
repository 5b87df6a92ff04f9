/**
 * ListenDatagram=, ListenSequentialPacket= and ListenFIFO= where the Node kernel cannot make the real fd: a
 * WebContainer (and `--shim` mode, which stands for it) has no AF_UNIX and no libc to call mkfifo or socket
 * with. The socket is then modelled in the machine's view only, as the in-page machine models it: the node
 * exists (a placeholder file that stat shows as a socket or FIFO, with SocketMode=/SocketUser=/SocketGroup=),
 * `systemctl` and `ss` show it listening, RemoveOnStop= removes it. The machine's own senders (`logger -u`, the
 * network's sendDatagram) can queue datagrams on it, which starts its service as a real datagram would, as the
 * in-page machine does; the service cannot read them (it gets /dev/null as that fd), so they stay queued.
 */
import * as fs from 'node:fs';
import type { ListenAddress } from '../../unit-file/unit-types.ts';
import { KernelError } from '../kernel.ts';
import type { Connection, ListeningSocket, SocketInfo, Unsubscribe } from '../kernel.ts';

/** A modelled non-stream socket of the Node kernel. */
export class ModelledSocket implements ListeningSocket {
  readonly id: number;
  readonly address: ListenAddress;
  private readonly onClose: (removePath: boolean) => void;
  private closed = false;
  /** Datagrams the machine sent to it (ss shows them as Recv-Q). */
  private readonly queue: Buffer[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(options: { id: number; address: ListenAddress; onClose: (removePath: boolean) => void }) {
    this.id = options.id;
    this.address = options.address;
    this.onClose = options.onClose;
  }

  /** How many datagrams wait on it. */
  pending(): number {
    return this.queue.length;
  }

  onPending(callback: () => void): Unsubscribe {
    this.waiters.add(callback);
    if (this.queue.length > 0) queueMicrotask(() => this.waiters.has(callback) && callback());
    return () => this.waiters.delete(callback);
  }

  /** Queues one datagram from the machine and tells the socket unit, as readability of the real fd would. */
  deliver(data: Buffer): void {
    if (this.closed) throw new KernelError('ECONNREFUSED', 'Connection refused');
    this.queue.push(data);
    for (const waiter of [...this.waiters]) waiter();
  }

  accept(): Connection | undefined {
    return undefined;
  }

  close(options?: { removePath?: boolean }): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(options?.removePath ?? false);
  }

  /** The ss row (u_dgr / u_seq / udp; a FIFO is no socket and has none). */
  info(local: string, peer: string): SocketInfo | undefined {
    if (this.address.kind === 'fifo' || this.address.kind === 'netlink') return undefined;
    const unix = this.address.family === 'unix' || this.address.family === 'abstract';
    const netid = this.address.kind === 'seqpacket' ? 'u_seq' : unix ? 'u_dgr' : 'udp';
    const state = this.address.kind === 'seqpacket' ? 'LISTEN' : 'UNCONN';
    return { netid, state, recvQ: this.queue.reduce((sum, datagram) => sum + datagram.length, 0), sendQ: 0, local, peer, processes: [{ name: 'systemd', pid: 1, fd: 3 + this.id }] };
  }
}

/** Makes the placeholder node of a modelled socket or FIFO (an existing FIFO or socket node is replaced, as systemd reuses it). */
export function makePlaceholderNode(hostPath: string, mode: number): void {
  fs.writeFileSync(hostPath, '');
  fs.chmodSync(hostPath, mode);
}

/**
 * ListenDatagram= (UDP and Unix), ListenSequentialPacket=, ListenFIFO= and ListenNetlink= on the Node kernel: a real fd made
 * with libc (libc.ts), which the emulator never reads. It only watches it, as PID 1 does: while the socket unit
 * listens (it has subscribed with onPending()), a worker thread polls the fd; the first datagram, packet,
 * connection or byte wakes the unit, which starts the service with this very fd as fd 3, and the service reads
 * what is queued. Nothing is read or lost on the way: the data waits in the kernel.
 */
import * as fs from 'node:fs';
import type { ListenAddress } from '../../unit-file/unit-types.ts';
import { KernelError } from '../kernel.ts';
import type { Connection, ListeningSocket, SocketInfo, Unsubscribe } from '../kernel.ts';
import type { Libc } from './libc.ts';

/** How long one poll on a worker thread waits before it looks again (so closing and unsubscribing settle). */
const POLL_SLICE_MS = 250;

/** A non-stream listening fd of the Node kernel. */
export class NodeFdSocket implements ListeningSocket {
  readonly id: number;
  readonly address: ListenAddress;
  /** The fd services get (the emulator's own copy). */
  readonly fd: number;
  private readonly libc: Libc;
  private readonly listeners = new Set<() => void>();
  private readonly onClose: (removePath: boolean) => void;
  private polling = false;
  private closed = false;

  constructor(options: { id: number; address: ListenAddress; fd: number; libc: Libc; onClose: (removePath: boolean) => void }) {
    this.id = options.id;
    this.address = options.address;
    this.fd = options.fd;
    this.libc = options.libc;
    this.onClose = options.onClose;
  }

  /** 1 while something is queued (a datagram, a packet, a connection, bytes in the FIFO), else 0. */
  pending(): number {
    return !this.closed && this.libc.readable(this.fd) ? 1 : 0;
  }

  onPending(callback: () => void): Unsubscribe {
    this.listeners.add(callback);
    this.poll();
    return () => this.listeners.delete(callback);
  }

  /** Datagram and FIFO sockets are not accepted on (Accept=yes is refused for them at load time). */
  accept(): Connection | undefined {
    return undefined;
  }

  /** Sets O_NONBLOCK as NonBlocking= asks, on the fd a service is about to get. */
  prepareForService(nonBlocking: boolean): number {
    if (this.closed) throw new KernelError('EBADF', `${this.address.text}: the socket is closed; start its .socket unit again.`);
    this.libc.setNonBlocking(this.fd, nonBlocking);
    return this.fd;
  }

  close(options?: { removePath?: boolean }): void {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.libc.close(this.fd);
    this.onClose(options?.removePath ?? false);
  }

  /** The ss row: u_dgr / u_seq / udp (FIFOs are not sockets: no row). */
  info(local: string, peer: string): SocketInfo | undefined {
    if (this.address.kind === 'fifo' || this.address.kind === 'netlink') return undefined;
    const unix = this.address.family === 'unix' || this.address.family === 'abstract';
    const netid = this.address.kind === 'seqpacket' ? 'u_seq' : unix ? 'u_dgr' : 'udp';
    const state = this.address.kind === 'seqpacket' ? 'LISTEN' : 'UNCONN';
    return { netid, state, recvQ: this.pending(), sendQ: 0, local, peer, processes: [{ name: 'systemd', pid: 1, fd: this.fd }] };
  }

  /** Polls on a worker thread while someone listens; tells them once the fd is readable. */
  private poll(): void {
    if (this.polling || this.closed || this.listeners.size === 0) return;
    this.polling = true;
    this.libc.waitReadable(this.fd, POLL_SLICE_MS, (readable) => {
      this.polling = false;
      if (this.closed) return;
      if (readable) for (const listener of [...this.listeners]) listener();
      // Level-triggered: a listener still subscribed after being told (none is, once the unit starts its
      // service) would be told again at the next slice.
      if (readable && this.listeners.size > 0) setTimeout(() => this.poll(), POLL_SLICE_MS).unref();
      else this.poll();
    });
  }
}

/** Creates the FIFO node (mkfifo, or an existing FIFO kept) and opens it for reading and writing, as systemd does. */
export function openFifo(libc: Libc, hostPath: string, mode: number): number {
  let created = libc.mkfifo(hostPath, mode);
  if (created === -17) {
    // EEXIST: systemd reuses a FIFO that is there, and refuses anything else.
    const existing = fs.lstatSync(hostPath, { throwIfNoEntry: false });
    if (!existing?.isFIFO()) return -17;
    created = 0;
  }
  if (created < 0) return created;
  return libc.openReadWrite(hostPath);
}

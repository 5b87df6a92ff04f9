/**
 * ListenDatagram=, ListenSequentialPacket= and ListenFIFO= where the Node kernel cannot make the real fd: a
 * WebContainer (and `--shim` mode, which stands for it) has no AF_UNIX and no libc to call mkfifo or socket
 * with. The socket is then modelled in the machine's view only, as the in-page machine models it: the node
 * exists (a placeholder file that stat shows as a socket or FIFO, with SocketMode=/SocketUser=/SocketGroup=),
 * `systemctl` and `ss` show it listening, RemoveOnStop= removes it. Nothing can send to it, so it never starts
 * its service; a service started by hand gets /dev/null as that fd.
 */
import * as fs from 'node:fs';
import type { ListenAddress } from '../../unit-file/unit-types.ts';
import type { Connection, ListeningSocket, SocketInfo, Unsubscribe } from '../kernel.ts';

/** A modelled non-stream socket of the Node kernel. */
export class ModelledSocket implements ListeningSocket {
  readonly id: number;
  readonly address: ListenAddress;
  private readonly onClose: (removePath: boolean) => void;
  private closed = false;

  constructor(options: { id: number; address: ListenAddress; onClose: (removePath: boolean) => void }) {
    this.id = options.id;
    this.address = options.address;
    this.onClose = options.onClose;
  }

  /** Nothing is ever queued: nothing can reach a modelled socket. */
  pending(): number {
    return 0;
  }

  onPending(_callback: () => void): Unsubscribe {
    return () => undefined;
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
    if (this.address.kind === 'fifo') return undefined;
    const unix = this.address.family === 'unix' || this.address.family === 'abstract';
    const netid = this.address.kind === 'seqpacket' ? 'u_seq' : unix ? 'u_dgr' : 'udp';
    const state = this.address.kind === 'seqpacket' ? 'LISTEN' : 'UNCONN';
    return { netid, state, recvQ: 0, sendQ: 0, local, peer, processes: [{ name: 'systemd', pid: 1, fd: 3 + this.id }] };
  }
}

/** Makes the placeholder node of a modelled socket or FIFO (an existing FIFO or socket node is replaced, as systemd reuses it). */
export function makePlaceholderNode(hostPath: string, mode: number): void {
  fs.writeFileSync(hostPath, '');
  fs.chmodSync(hostPath, mode);
}

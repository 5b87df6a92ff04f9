/**
 * The Listen*= types a socket unit opens, one row each (socket.c's SocketPort types and socket_port_type_to_string(),
 * with the AF_NETLINK family of SOCKET_SOCKET as a row of its own): the name `systemctl status` and `list-sockets
 * --show-types` print, and whether Accept=yes can accept on it (socket_address_can_accept()).
 */
import type { ListenKind } from './unit-types.ts';

/** One Listen*= type. */
export interface ListenType {
  /** The type's name as systemd prints it: `Listen: route 1361 (Netlink)`. */
  name: string;
  /** SOCK_STREAM and SOCK_SEQPACKET sockets accept connections; datagrams, FIFOs and netlink do not. */
  accepting: boolean;
}

/** Every Listen*= type the emulator opens. */
export const LISTEN_TYPES: Readonly<Record<ListenKind, ListenType>> = {
  stream: { name: 'Stream', accepting: true },
  datagram: { name: 'Datagram', accepting: false },
  seqpacket: { name: 'SequentialPacket', accepting: true },
  fifo: { name: 'FIFO', accepting: false },
  netlink: { name: 'Netlink', accepting: false },
};

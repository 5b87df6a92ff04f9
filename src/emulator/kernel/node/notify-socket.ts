/**
 * NOTIFY_SOCKET for Type=notify services. systemd uses a Unix datagram socket, which Node cannot create, so the
 * Node kernel listens on a STREAM socket instead and each connection carries one notification:
 * `PID\nMESSAGE` (the sender's pid, a newline, then the sd_notify text such as `READY=1`), ended by closing the
 * connection. NOTIFY_SOCKET is `@emulator-notify-…` (an abstract Unix socket) where Unix sockets exist and
 * `tcp:127.0.0.1:PORT` where they do not; the `sd-daemon` module given to Node services speaks this protocol.
 * (A C program using libsystemd's sd_notify cannot talk to it: it needs a datagram socket.)
 */
import * as net from 'node:net';

/** The kernel's notification endpoint. */
export interface NotifySocket {
  /** The value for NOTIFY_SOCKET. */
  readonly address: string;
  /** Routes the notifications of a pid to `callback` until the returned function is called. */
  route(pid: number, callback: (message: string) => void): () => void;
  close(): void;
}

let nextNotifyId = 1;

/** Starts listening for notifications (abstract Unix socket, or loopback TCP when `unixSockets` is false). */
export async function openNotifySocket(unixSockets: boolean): Promise<NotifySocket> {
  const routes = new Map<number, (message: string) => void>();
  const server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('end', () => {
      socket.end();
      const text = Buffer.concat(chunks).toString('utf8');
      const newline = text.indexOf('\n');
      if (newline < 0) return;
      const route = routes.get(Number(text.slice(0, newline)));
      if (route) route(text.slice(newline + 1));
    });
  });
  const name = `emulator-notify-${process.pid}-${nextNotifyId++}`;
  const address = await new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    if (unixSockets) server.listen(`\0${name}`, () => resolve(`@${name}`));
    else server.listen({ host: '127.0.0.1', port: 0 }, () => resolve(`tcp:127.0.0.1:${(server.address() as net.AddressInfo).port}`));
  });
  server.unref();
  return {
    address,
    route(pid, callback) {
      routes.set(pid, callback);
      return () => {
        if (routes.get(pid) === callback) routes.delete(pid);
      };
    },
    close: () => server.close(),
  };
}

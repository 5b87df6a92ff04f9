/**
 * Free loopback TCP ports, handed out synchronously (the kernel's spawn() is synchronous). Where sockets can be
 * bound synchronously a port is found on demand; elsewhere a small pool is kept filled in the background.
 */
import * as net from 'node:net';
import { KernelError } from '../kernel.ts';
import { reserveLoopbackPort } from './socket-binding.ts';

const POOL_SIZE = 16;

/** A source of free 127.0.0.1 ports. */
export interface PortSource {
  take(): number;
}

/** Finds one free 127.0.0.1 port asynchronously (free when asked: the OS may hand it out again). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Creates a port source; resolves once it can answer. */
export async function createPortSource(): Promise<PortSource> {
  if (reserveLoopbackPort() !== undefined) {
    return { take: () => reserveLoopbackPort()! };
  }
  const pool: number[] = [];
  const refill = async (): Promise<void> => {
    while (pool.length < POOL_SIZE) pool.push(await findFreePort());
  };
  await refill();
  return {
    take() {
      const port = pool.shift();
      void refill();
      if (port === undefined) throw new KernelError('EAGAIN', 'No free loopback port is ready yet; try again.');
      return port;
    },
  };
}

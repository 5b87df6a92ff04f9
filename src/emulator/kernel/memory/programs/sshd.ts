/**
 * /usr/sbin/sshd, reduced to what the lessons show: with `-i` (inetd mode, StandardInput=socket) the
 * connection is stdin/stdout: it sends the identification banner, reads the client's, and — as no key
 * exchange is modelled — logs and closes. Without -i it serves the same on the socket passed as fd 3
 * (LISTEN_FDS), or on port 22 when started without socket activation.
 */
import type { ProgramFactory } from '../../../service/sandbox.ts';

/** Debian 12's OpenSSH identification string. */
export const SSH_BANNER = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3';

/** The program. */
export const sshd: ProgramFactory = ({ process, require, console }) => {
  const peer = (addr?: string, port?: number | string) => `${addr ?? 'UNKNOWN'} port ${port ?? 'UNKNOWN'}`;
  /** One session over a duplex pair (stdin/stdout or a socket). */
  const session = (input: any, output: any, who: string, close: () => void) => {
    output.write(SSH_BANNER + '\r\n');
    let buffer = '';
    input.setEncoding('utf8');
    input.on('data', (text: string) => {
      buffer += text;
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      if (line.startsWith('SSH-2.0-')) console.error(`Connection closed by ${who} [preauth]`);
      else console.error(`kex_exchange_identification: client sent invalid protocol identifier "${line}"`);
      close();
    });
    input.on('end', () => {
      console.error(`kex_exchange_identification: Connection closed by remote host`);
      close();
    });
  };
  if (process.argv.includes('-i')) {
    session(process.stdin, process.stdout, peer(process.env.REMOTE_ADDR, process.env.REMOTE_PORT), () => process.exit(255));
    return;
  }
  const net = require('net') as any;
  const server = net.createServer((socket: any) => session(socket, socket, peer(socket.remoteAddress, socket.remotePort), () => socket.end()));
  if (process.env.LISTEN_PID === String(process.pid) && Number(process.env.LISTEN_FDS) > 0) server.listen({ fd: 3 });
  else server.listen(22, () => console.error('Server listening on :: port 22.'));
  process.on('SIGTERM', () => {
    console.error('Received signal 15; terminating.');
    process.exit(255);
  });
};

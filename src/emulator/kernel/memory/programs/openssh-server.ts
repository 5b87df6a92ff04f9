/**
 * /usr/sbin/sshd of a lab machine's Debian 12 (openssh-server 1:9.2p1-2+deb12u10), as Debian's own ssh.service
 * runs it from boot: `sshd -t` checks the configuration and exits 0; `sshd -D` listens on 0.0.0.0:22 and [::]:22
 * (backlog 128, the IPv6 socket IPv6-only: `ss -tlnp` shows both rows, fds 3 and 4), logs what the real one logs,
 * tells systemd READY=1 (Type=notify) and answers each client with its version banner (and one that does not speak
 * SSH with "Invalid SSH identification string."), no more. A lab that ships its own /usr/sbin/sshd (the sshd lab)
 * runs that one instead.
 */
import type { ProgramFactory } from '../../../service/sandbox.ts';

/** What sshd sends first. */
const BANNER = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n';

/** sshd's listen backlog (SSH_LISTEN_BACKLOG). */
const BACKLOG = 128;

/** The program. */
export const openSshServer: ProgramFactory = ({ process, require, console }) => {
  // process.argv is Node's: the arguments follow the program's own path.
  const args: string[] = process.argv.slice(process.argv.findIndex((arg: string) => arg.endsWith('/sshd')) + 1);
  if (args.includes('-t')) return process.exit(0);
  if (!args.includes('-D')) {
    // Not modelled: the real sshd forks into the background without -D (Debian's unit always passes -D).
    console.error('sshd: this emulator runs sshd in the foreground only (-D), as Debian\'s ssh.service does');
    return process.exit(1);
  }
  const net = require('net') as any;
  const sd = require('sd-daemon') as any;
  const serve = (client: any): void => {
    client.on('error', () => {});
    client.write(BANNER);
    let buffered = '';
    client.on('data', (chunk: unknown) => {
      buffered += String(chunk);
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      const line = buffered.slice(0, end).replace(/\r$/, '');
      const peer = `${client.remoteAddress} port ${client.remotePort}`;
      if (!line.startsWith('SSH-')) {
        // kex_exchange_identification() tells the peer before it gives up (oracle scenario base-sshd).
        client.write('Invalid SSH identification string.\r\n');
        console.log(`error: kex_exchange_identification: client sent invalid protocol identifier "${line}"`);
        console.log(`banner exchange: Connection from ${peer}: invalid format`);
      }
      client.end();
    });
  };
  let pending = 2;
  for (const [host, shown, ipv6Only] of [['0.0.0.0', '0.0.0.0', false], ['::', '::', true]] as const) {
    net.createServer(serve)
      .on('error', (error: Error) => {
        console.log(`error: Bind to port 22 on ${shown} failed: ${error.message}.`);
        if (--pending === 0) sd.notify('READY=1');
      })
      .listen({ host, port: 22, backlog: BACKLOG, ipv6Only }, () => {
        console.log(`Server listening on ${shown} port 22.`);
        if (--pending === 0) sd.notify('READY=1');
      });
  }
};

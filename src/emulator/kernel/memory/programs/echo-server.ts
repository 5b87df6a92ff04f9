/**
 * /usr/local/bin/echo-server: sends back what it receives. Uses the passed socket (LISTEN_FDS) when there
 * is one, an inherited connection on stdin/stdout when started inetd style, or port 7 (echo) otherwise.
 */
import type { ProgramFactory } from '../../../service/sandbox.ts';

/** The program. */
export const echoServer: ProgramFactory = ({ process, require }) => {
  const net = require('net') as any;
  if (process.env.LISTEN_PID === String(process.pid) && Number(process.env.LISTEN_FDS) > 0) {
    net.createServer((s: any) => s.pipe(s)).listen({ fd: 3 });
  } else if (process.env.REMOTE_ADDR !== undefined || process.argv.includes('--inetd')) {
    process.stdin.pipe(process.stdout);
  } else net.createServer((s: any) => s.pipe(s)).listen(7);
};

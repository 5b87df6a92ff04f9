/**
 * /usr/sbin/cupsd, reduced: `-l` is on-demand mode — it takes the sockets systemd passes (cups.socket), tells
 * systemd it is ready (Type=notify), answers HTTP, and exits after 60 s without clients (IdleExitTimeout), so
 * the next connection activates it again.
 */
import type { ProgramFactory } from '../../../service/sandbox.ts';

/** cupsd's default IdleExitTimeout in seconds. */
export const CUPSD_IDLE_EXIT_SECONDS = 60;

/** The program. */
export const cupsd: ProgramFactory = ({ process, require, console, setTimeout, clearTimeout }) => {
  const http = require('http') as any;
  const sd = require('sd-daemon') as any;
  const onDemand = process.argv.includes('-l');
  const fds = onDemand ? sd.listenFdsWithNames() : [];
  if (onDemand && fds.length === 0) {
    console.error('Missing listen sockets for on-demand mode; use "-f" or "-F" instead of "-l".');
    process.exit(1);
  }
  let idle: any;
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      console.error('Printer sharing is off and there are no jobs pending, will restart on demand.');
      process.exit(0);
    }, CUPSD_IDLE_EXIT_SECONDS * 1000);
  };
  const handler = (req: any, res: any) => {
    armIdle();
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Server', 'CUPS/2.4 IPP/2.1');
    res.end(`<!DOCTYPE HTML>\n<html><head><title>Home - CUPS 2.4.2</title></head><body><h1>CUPS 2.4.2</h1><p>${req.method} ${req.url}</p></body></html>\n`);
  };
  if (onDemand) for (const { fd } of fds) http.createServer(handler).listen({ fd });
  else http.createServer(handler).listen('/run/cups/cups.sock');
  if (onDemand) armIdle();
  sd.notify('READY=1');
};

/**
 * nc: netcat as Debian's netcat-openbsd (1.219): `nc HOST PORT`, `nc -U PATH`, -v, -z, -N, -q SECS, -w SECS.
 * Sends stdin to the peer and prints what comes back until the peer closes, Ctrl+C, or (-q) some seconds
 * after stdin ended. Like OpenBSD nc, a failed connect prints nothing without -v and exits 1.
 */
import type { Connection } from '../kernel/kernel.ts';
import type { CommandHandler } from '../system.ts';
import { resolvePath } from '../path-util.ts';
import { connectAs, resolveHost, tcpTarget } from './client-connect.ts';

const USAGE =
  'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n' +
  '\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n' +
  '\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n' +
  '\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n' +
  '\t  [destination] [port]\n';

/** /etc/services names nc -v shows. */
const SERVICES: Record<number, string> = { 22: 'ssh', 25: 'smtp', 53: 'domain', 80: 'http', 443: 'https', 515: 'printer', 631: 'ipp', 2375: '*', 3306: 'mysql', 5432: 'postgresql', 6379: 'redis', 8080: 'http-alt' };

/** nc [options] HOST PORT | nc -U PATH. */
export const nc: CommandHandler = async (argv, io, system) => {
  let unix = false;
  let verbose = false;
  let scan = false;
  let shutdownOnEof = false;
  let quitAfter: number | undefined;
  let waitSecs: number | undefined;
  const rest: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') {
      rest.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (f === 'U') unix = true;
      else if (f === 'v') verbose = true;
      else if (f === 'z') scan = true;
      else if (f === 'N') shutdownOnEof = true;
      else if (f === 'n' || f === '4' || f === '6' || f === 'C' || f === 'd') continue;
      else if (f === 'q' || f === 'w') {
        const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (v === undefined || !/^-?\d+$/.test(v)) {
          io.stderr(v === undefined ? `nc: option requires an argument -- '${f}'\n${USAGE}` : `nc: ${f === 'q' ? 'quit' : 'timeout'} time ${v} is invalid\n`);
          return 1;
        }
        if (f === 'q') quitAfter = Number(v);
        else waitSecs = Number(v);
        break;
      } else if (f === 'l') {
        io.stderr('nc: listen mode (-l) is not available in this lab; the units under test do the listening\n');
        return 1;
      } else {
        io.stderr(`nc: invalid option -- '${f}'\n${USAGE}`);
        return 1;
      }
    }
  }
  if ((unix && rest.length !== 1) || (!unix && rest.length !== 2)) {
    io.stderr(USAGE);
    return 1;
  }
  let conn: Connection | undefined;
  if (unix) {
    try {
      conn = await connectAs(system, io, resolvePath(io.env?.PWD ?? '/', rest[0]));
    } catch (e) {
      // netcat-openbsd: warn("%s", host) names the path and the error; with -v it says "unix connect failed".
      io.stderr(verbose ? `nc: unix connect failed: ${(e as Error).message}\n` : `nc: ${rest[0]}: ${(e as Error).message}\n`);
      return 1;
    }
  } else {
    const [host, portText] = rest;
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
      io.stderr(`nc: port number invalid: ${portText}\n`);
      return 1;
    }
    const ips = resolveHost(system, host, 'v6-first');
    if (!ips) {
      io.stderr(`nc: getaddrinfo for host "${host}" port ${port}: Name or service not known\n`);
      return 1;
    }
    for (const ip of ips) {
      try {
        conn = await connectAs(system, io, tcpTarget(ip, port));
        if (verbose) io.stderr(`Connection to ${host}${host === ip ? '' : ` (${ip})`} ${port} port [tcp/${SERVICES[port] ?? '*'}] succeeded!\n`);
        break;
      } catch (e) {
        if (verbose) io.stderr(`nc: connect to ${host}${host === ip ? '' : ` (${ip})`} port ${port} (tcp) failed: ${(e as Error).message}\n`);
      }
    }
    if (!conn) return 1;
  }
  if (scan) {
    conn.end();
    return 0;
  }
  const c = conn;
  const clock = system.kernel.clock;
  return new Promise<number>((resolve) => {
    let finished = false;
    const timers: number[] = [];
    const done = (status: number) => {
      if (finished) return;
      finished = true;
      for (const t of timers) clock.cancelTimer(t);
      offData?.();
      offEnd?.();
      c.destroy();
      resolve(status);
    };
    const decoder = new TextDecoder();
    c.onData((d) => io.stdout(decoder.decode(d, { stream: true })));
    // The peer closed: print what is left and quit, as nc does when the network side reaches EOF.
    c.onEnd(() => done(0));
    // A reset (the listener closed with this connection still queued) ends the read side like EOF: netcat-openbsd
    // exits 0 once it was connected (trigger-limit, service-exits-without-accepting on systemd 252).
    c.onClose(() => done(0));
    io.signal.addEventListener('abort', () => done(130), { once: true });
    const idle = () => {
      if (waitSecs !== undefined) {
        timers.push(clock.setTimer(waitSecs * 1000, () => done(0)));
      }
    };
    idle();
    const offData = io.stdin?.onData((text) => c.write(text));
    const offEnd = io.stdin?.onEnd(() => {
      if (shutdownOnEof) c.end();
      if (quitAfter !== undefined && quitAfter >= 0) timers.push(clock.setTimer(quitAfter * 1000, () => done(0)));
    });
  });
};

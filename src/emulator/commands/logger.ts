/**
 * logger (util-linux 2.38) for local sockets: `logger [-u SOCKET] [-t TAG] [MESSAGE…]` sends each message as one
 * RFC 3164 syslog datagram (`<13>Dec  1 08:03:00 root: text`) to SOCKET (default /dev/log); on a stream socket it
 * connects and writes instead, as logger falls back to SOCK_STREAM. Errors as logger prints them
 * (`logger: socket /run/x: No such file or directory`), checked against systemd 252's machine
 * (tests/oracle/golden/logger-errors.json).
 */
import { KernelError } from '../kernel/kernel.ts';
import type { CommandHandler } from '../system.ts';
import { resolvePath } from '../path-util.ts';
import { readStdin, uidOf } from './builtins.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 3164's timestamp: `Dec  1 08:03:00` (UTC, the lab machines' zone). */
function syslogTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** The memory kernel's datagram send, when the machine has one. */
type DatagramSender = { sendDatagram?: (path: string, data: string, options: { uid?: number }) => void };

/** logger [-u SOCKET | --socket=SOCKET] [-t TAG] [-p PRIORITY] [MESSAGE…]. */
export const logger: CommandHandler = async (argv, io, system) => {
  let socket = '/dev/log';
  let tag = io.env?.USER ?? 'root';
  const words: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-u' || a === '--socket') socket = argv[++i] ?? '';
    else if (a.startsWith('--socket=')) socket = a.slice('--socket='.length);
    else if (a === '-t' || a === '--tag') tag = argv[++i] ?? tag;
    else if (a === '-p' || a === '--priority') i++;
    else if (a === '--') words.push(...argv.slice(i + 1)), (i = argv.length);
    else if (a.startsWith('-') && a.length > 1) {
      io.stderr(`logger: invalid option -- '${a.replace(/^-+/, '')}'\nTry 'logger --help' for more information.\n`);
      return 1;
    } else words.push(a);
  }
  const path = resolvePath(io.env?.PWD ?? '/', socket);
  const messages = words.length > 0 ? [words.join(' ')] : (await readStdin(io)).split('\n').filter((line) => line !== '');
  const uid = uidOf(system, io);
  const fail = (error: unknown): number => {
    io.stderr(`logger: socket ${socket}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  };
  for (const text of messages) {
    const datagram = `<13>${syslogTime(system.kernel.clock.now())} ${tag}: ${text}`;
    const net = system.kernel.net as typeof system.kernel.net & DatagramSender;
    try {
      if (!net.sendDatagram) throw new KernelError('EPROTOTYPE', 'Protocol wrong type for socket');
      net.sendDatagram(path, datagram, { uid });
    } catch (error) {
      if (!(error instanceof KernelError) || error.code !== 'EPROTOTYPE') return fail(error);
      try {
        const connection = await net.connect(path, { uid });
        connection.write(`${datagram}\n`);
        connection.end();
      } catch (streamError) {
        return fail(streamError);
      }
    }
  }
  return 0;
};

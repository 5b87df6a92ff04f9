/**
 * The `ss` command (iproute2): -l -t -u -x -n -p -a and their combinations, over the kernel's socket
 * table. Activation sockets show the manager as their owner (`users:(("systemd",pid=1,fd=N))`).
 */
import type { SocketInfo } from '../kernel/kernel.ts';
import type { CommandIO, System } from '../system.ts';
import { formatTable } from './systemctl-table.ts';

const SERVICES: Record<string, string> = { '22': 'ssh', '25': 'smtp', '53': 'domain', '80': 'http', '443': 'https', '515': 'printer', '631': 'ipp', '8080': 'http-alt' };

interface SsArgs {
  listening: boolean;
  all: boolean;
  numeric: boolean;
  processes: boolean;
  families: Set<SocketInfo['netid'] | 'tcp-like'>;
}

function parseArgs(argv: string[]): SsArgs | { error: string } {
  const a: SsArgs = { listening: false, all: false, numeric: false, processes: false, families: new Set() };
  const long: Record<string, string> = { '--listening': 'l', '--all': 'a', '--numeric': 'n', '--processes': 'p', '--tcp': 't', '--udp': 'u', '--unix': 'x' };
  for (const arg of argv) {
    const letters = long[arg] ?? (arg.startsWith('-') && !arg.startsWith('--') ? arg.slice(1) : undefined);
    if (letters === undefined) {
      return { error: arg.startsWith('--') ? `ss: unrecognized option '${arg}'` : `ss: bad filter "${arg}" (filters are not modelled)` };
    }
    for (const c of letters) {
      switch (c) {
        case 'l': a.listening = true; break;
        case 'a': a.all = true; break;
        case 'n': a.numeric = true; break;
        case 'p': a.processes = true; break;
        case 't': a.families.add('tcp'); break;
        case 'u': a.families.add('udp'); break;
        case 'x': a.families.add('u_str'); a.families.add('u_dgr'); a.families.add('u_seq'); break;
        case 'e': case 'm': case 'o': case 'i': case 'H': break;
        default: return { error: `ss: invalid option -- '${c}'` };
      }
    }
  }
  return a;
}

/** `addr:port` with the port translated to its service name unless -n. */
function endpoint(text: string, numeric: boolean): [string, string] {
  const colon = text.lastIndexOf(':');
  if (colon < 0 || text.startsWith('/') || text.startsWith('@')) return [text, '*'];
  let host = text.slice(0, colon);
  const port = text.slice(colon + 1);
  if (host === '[::]') host = '*';
  else if (host === '0.0.0.0') host = '0.0.0.0';
  return [host, numeric || port === '*' ? port : SERVICES[port] ?? port];
}

/** The `ss` command handler. */
export async function ss(argv: string[], io: CommandIO, system: System): Promise<number> {
  const parsed = parseArgs(argv.slice(1));
  if ('error' in parsed) {
    io.stderr(parsed.error + '\n');
    return 1;
  }
  const families = parsed.families.size > 0 ? parsed.families : new Set(['tcp', 'udp', 'u_str', 'u_dgr', 'u_seq', 'fifo']);
  const rows = system.kernel.net.sockets().filter((s) => {
    if (!families.has(s.netid)) return false;
    const listening = s.state === 'LISTEN' || s.state === 'UNCONN';
    if (parsed.all) return true;
    return parsed.listening ? listening : !listening;
  });
  const showNetid = families.size > 1;
  const header = [...(showNetid ? ['Netid'] : []), 'State', 'Recv-Q', 'Send-Q', 'Local Address:Port', 'Peer Address:Port', ...(parsed.processes ? ['Process'] : [])];
  const table: string[][] = [header];
  for (const s of rows) {
    // Unix sockets print "PATH INODE" and "* PEER-INODE" (the inode is the socket's, not the file's).
    const unix = s.netid.startsWith('u_');
    const address = (text: string): string => {
      if (unix) return text;
      const [host, port] = endpoint(text, parsed.numeric);
      return `${host}:${port}`;
    };
    // ss scans /proc in PID order and puts each holder in front: the highest PID comes first.
    const holders = [...s.processes].sort((a, b) => b.pid - a.pid);
    const users = holders.length > 0 ? `users:(${holders.map((p) => `("${p.name}",pid=${p.pid},fd=${p.fd})`).join(',')})` : '';
    table.push([...(showNetid ? [s.netid] : []), s.state, String(s.recvQ), String(s.sendQ), address(s.local), address(s.peer), ...(parsed.processes ? [users] : [])]);
  }
  io.stdout(formatTable(table).join('\n') + '\n');
  return 0;
}

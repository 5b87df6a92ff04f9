/**
 * The `ss` command (iproute2 6.1, Debian 12): -l -t -u -x -n -p -a and their combinations, and a filter expression
 * (`sport = :8080`, `dport`, `src`, `dst`, `and`/`or`/`not`), over the kernel's socket table. Activation sockets show
 * the manager as their owner (`users:(("systemd",pid=1,fd=N))`).
 */
import type { SocketInfo } from '../kernel/kernel.ts';
import type { CommandIO, System } from '../system.ts';
import { parseSsFilter, type SsFilter, type SsRow } from './ss-filter.ts';
import { commOf } from './systemctl-status.ts';

const SERVICES: Record<string, string> = { '22': 'ssh', '25': 'smtp', '53': 'domain', '80': 'http', '443': 'https', '515': 'printer', '631': 'ipp', '8080': 'http-alt' };

interface SsArgs {
  listening: boolean;
  all: boolean;
  numeric: boolean;
  processes: boolean;
  families: Set<SocketInfo['netid'] | 'tcp-like'>;
  filter: string[];
}

function parseArgs(argv: string[]): SsArgs | { error: string } | { version: true } {
  const a: SsArgs = { listening: false, all: false, numeric: false, processes: false, families: new Set(), filter: [] };
  const long: Record<string, string> = { '--listening': 'l', '--all': 'a', '--numeric': 'n', '--processes': 'p', '--tcp': 't', '--udp': 'u', '--unix': 'x' };
  for (const arg of argv) {
    if ((arg === '-V' || arg === '--version') && a.filter.length === 0) return { version: true };
    // Options stop at the first word that is not one: the rest is the filter expression (ss joins its words).
    if (a.filter.length > 0 || (!arg.startsWith('-') && long[arg] === undefined)) {
      a.filter.push(arg);
      continue;
    }
    const letters = long[arg] ?? (!arg.startsWith('--') ? arg.slice(1) : undefined);
    if (letters === undefined) return { error: `ss: unrecognized option '${arg}'` };
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

/** An inet endpoint as ss prints it: `[host, port]`, the port as its service name unless -n. */
function inetEndpoint(text: string, numeric: boolean, v6Only = false): [string, string] {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return [text, '*'];
  let host = text.slice(0, colon);
  const port = text.slice(colon + 1);
  // A wildcard socket that takes both families is `*`; an IPv6-only one stays `[::]` (real sshd's second row).
  if (host === '[::]' && !v6Only) host = '*';
  return [host, numeric || port === '*' ? port : SERVICES[port] ?? port];
}

/** A Unix endpoint (`PATH INODE`, or a path alone where the kernel knows no inode): `[path, inode]`. */
function unixEndpoint(text: string): [string, string] {
  const space = text.lastIndexOf(' ');
  return space < 0 ? [text, '*'] : [text.slice(0, space), text.slice(space + 1)];
}

/** One of ss's output columns (misc/ss.c `columns[]`): alignment and the delimiter printed before its field. */
interface Column {
  header: string;
  align: 'left' | 'right';
  ldelim: string;
}

const NETID: Column = { header: 'Netid', align: 'left', ldelim: '' };
const COLUMNS: Column[] = [
  { header: 'State', align: 'left', ldelim: ' ' },
  { header: 'Recv-Q', align: 'left', ldelim: ' ' },
  { header: 'Send-Q', align: 'left', ldelim: ' ' },
  { header: 'Local Address:', align: 'right', ldelim: ' ' },
  { header: 'Port', align: 'left', ldelim: '' },
  { header: 'Peer Address:', align: 'right', ldelim: ' ' },
  { header: 'Port', align: 'left', ldelim: '' },
  // The process column has no delimiter: its fields start with a space (" users:(…)"), its header does not.
  { header: 'Process', align: 'left', ldelim: '' },
];

/**
 * Lays out ss's buffered fields as render() does when stdout is not a terminal (compact output): each column as wide
 * as its widest field plus its delimiter (the first column has none), right-aligned columns padded in front, the
 * others behind — the last column too, so lines end in blanks as real ss's do.
 */
function render(columns: Column[], rows: string[][]): string[] {
  const widths = columns.map((column, c) => Math.max(...rows.map((row) => [...row[c]].length)) + (c === 0 ? 0 : column.ldelim.length));
  return rows.map((row) => row.map((cell, c) => {
    const delim = c === 0 ? '' : columns[c].ldelim;
    const pad = ' '.repeat(Math.max(0, widths[c] - delim.length - [...cell].length));
    return delim + (columns[c].align === 'right' ? pad + cell : cell + pad);
  }).join(''));
}

/**
 * The state ss prints: a Unix datagram socket with datagrams waiting in its queue shows as ESTAB (and so not under
 * -l, only -a), as iproute2 6.1 on Debian 12 prints it (checked on systemd 252's machine: `logger -u /run/x/log`
 * to a ListenDatagram= socket turns its row from `u_dgr UNCONN 0` into `u_dgr ESTAB 36`).
 */
function shownState(socket: SocketInfo): SocketInfo {
  return socket.netid === 'u_dgr' && socket.state === 'UNCONN' && socket.recvQ > 0 ? { ...socket, state: 'ESTAB' } : socket;
}

/** The `ss` command handler. */
export async function ss(argv: string[], io: CommandIO, system: System): Promise<number> {
  const parsed = parseArgs(argv.slice(1));
  if ('error' in parsed) {
    io.stderr(parsed.error + '\n');
    return 1;
  }
  if ('version' in parsed) {
    io.stdout('ss utility, iproute2-6.1.0\n');
    return 0;
  }
  let filter: SsFilter | undefined;
  if (parsed.filter.length > 0) {
    const result = parseSsFilter(parsed.filter.join(' '));
    if ('error' in result) {
      io.stderr(result.error);
      return result.exitCode;
    }
    filter = result.filter;
  }
  const families = parsed.families.size > 0 ? parsed.families : new Set(['tcp', 'udp', 'u_str', 'u_dgr', 'u_seq', 'fifo']);
  const selected: Array<{ socket: SocketInfo; row: SsRow }> = [];
  for (const socket of system.kernel.net.sockets()) {
    if (!families.has(socket.netid)) continue;
    const s = shownState(socket);
    const listening = s.state === 'LISTEN' || s.state === 'UNCONN';
    if (!parsed.all && (parsed.listening ? !listening : listening)) continue;
    const unix = s.netid.startsWith('u_');
    const [localHost, localPort] = unix ? unixEndpoint(s.local) : inetEndpoint(s.local, true, s.v6Only);
    const [peerHost, peerPort] = unix ? unixEndpoint(s.peer) : inetEndpoint(s.peer, true, s.v6Only);
    const row: SsRow = { unix, local: { host: localHost, port: localPort }, peer: { host: peerHost, port: peerPort } };
    if (filter && !filter(row)) continue;
    selected.push({ socket: s, row });
  }
  // ss hides the Netid column when one socket table is asked for (-t alone), as misc/ss.c does.
  const showNetid = families.size > 1;
  const columns = showNetid ? [NETID, ...COLUMNS] : COLUMNS;
  const rows: string[][] = [columns.map((column) => column.header)];
  // ss -p names each holder by its comm (/proc/PID/comm): a `#!/usr/bin/env node` script is "node".
  const argvOf = new Map(parsed.processes ? system.kernel.processes.list().map((p) => [p.pid, p.argv] as const) : []);
  const commName = (pid: number, name: string): string => {
    const argv = pid === 1 ? undefined : argvOf.get(pid);
    return argv ? commOf(system.kernel.fs, argv) : name;
  };
  for (const { socket: s, row } of selected) {
    const localPort = row.unix || parsed.numeric ? row.local.port : inetEndpoint(s.local, false, s.v6Only)[1];
    const peerPort = row.unix || parsed.numeric ? row.peer.port : inetEndpoint(s.peer, false, s.v6Only)[1];
    // ss scans /proc in PID order and puts each holder in front: the highest PID comes first.
    const holders = [...s.processes].sort((a, b) => b.pid - a.pid);
    const users = parsed.processes && holders.length > 0 ? ` users:(${holders.map((p) => `("${commName(p.pid, p.name)}",pid=${p.pid},fd=${p.fd})`).join(',')})` : '';
    const separator = row.unix ? ' ' : ':';
    rows.push([
      ...(showNetid ? [s.netid] : []), s.state, String(s.recvQ), String(s.sendQ),
      row.local.host + separator, localPort, row.peer.host + separator, peerPort, users,
    ]);
  }
  io.stdout(render(columns, rows).join('\n') + '\n');
  return 0;
}

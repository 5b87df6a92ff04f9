/** Listen*= address grammar, as systemd's socket_address_parse() (src/shared/socket-netlink.c). */
import type { ListenAddress, ListenKind } from './unit-types.ts';
import { parseUnsigned } from './value-parsers.ts';

/** errno names the address parser can fail with, and the text systemd prints for them. */
export type AddressErrno = 'EINVAL' | 'ERANGE' | 'ENAMETOOLONG' | 'ENODEV';

/** Network interfaces the emulated machine has (an unknown `%dev` is ENODEV, as on a real machine). */
export const KNOWN_INTERFACES = ['lo', 'eth0'];

/** parse_ip_port(): 1…65535; 0 → EINVAL, too big → ERANGE. */
function parsePort(text: string): number | AddressErrno {
  const v = parseUnsigned(text);
  if (v === 'EINVAL') return 'EINVAL';
  if (v === 'ERANGE' || v > 0xffff) return 'ERANGE';
  return v === 0 ? 'EINVAL' : v;
}

/** inet_pton(AF_INET): exactly four decimal octets. */
export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255);
}

/** inet_pton(AF_INET6), including an embedded IPv4 tail. */
export function isIPv6(text: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return false;
  let groups = text.split(':');
  let tailGroups = 0;
  const last = groups[groups.length - 1];
  if (last.includes('.')) {
    if (!isIPv4(last)) return false;
    groups = groups.slice(0, -1).concat(['0', '0']);
    tailGroups = 2;
  }
  const doubleColon = text.indexOf('::');
  if (doubleColon !== text.lastIndexOf('::')) return false;
  if (doubleColon >= 0) {
    const [left, right] = text.split('::');
    const count = (s: string) => (s === '' ? 0 : s.split(':').length);
    const n = count(left) + count(right) + (tailGroups ? 1 : 0);
    if (n > 7) return false;
    return [...left.split(':'), ...right.split(':')].every((g) => g === '' || /^[0-9a-fA-F]{1,4}$/.test(g) || isIPv4(g));
  }
  return groups.length === 8 && groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g));
}

/** Parses one Listen*= socket value (after specifier expansion and /var/run patching). */
export function parseSocketAddress(text: string, kind: ListenKind): ListenAddress | AddressErrno {
  if (text.startsWith('/') || text.startsWith('@')) {
    // sockaddr_un_set_path(): the path must fit in sun_path (108 bytes, abstract names 107 after '@').
    const max = text.startsWith('@') ? 108 : 107;
    if (text.length > max) return 'EINVAL';
    if (text === '@') return 'EINVAL';
    return text.startsWith('@')
      ? { kind, family: 'abstract', path: text.slice(1), text }
      : { kind, family: 'unix', path: text, text };
  }
  if (text.startsWith('vsock:')) {
    const rest = text.slice(6);
    const colon = rest.indexOf(':');
    if (colon < 0) return 'EINVAL';
    const port = parseUnsigned(rest.slice(colon + 1));
    if (typeof port !== 'number') return port;
    const cidText = rest.slice(0, colon);
    const cid = cidText === '' ? 0xffffffff : parseUnsigned(cidText);
    if (typeof cid !== 'number') return cid;
    return { kind, family: 'vsock', host: String(cid), port, text: `vsock:${cidText === '' ? 4294967295 : cid}:${port}` };
  }
  const bare = parsePort(text);
  if (bare === 'ERANGE') return 'ERANGE';
  if (typeof bare === 'number') return { kind, family: 'dual', host: '::', port: bare, text: `[::]:${bare}` };
  if (text.startsWith('[')) {
    const m = /^\[([^\]]*)\](?::([^%]*))?(?:%(.*))?$/.exec(text);
    if (!m || !isIPv6(m[1])) return 'EINVAL';
    if (m[2] === undefined) return 'EINVAL'; // no port, no go
    const port = parsePort(m[2]);
    if (typeof port !== 'number') return port;
    if (m[3] !== undefined && !KNOWN_INTERFACES.includes(m[3])) return 'ENODEV';
    const host = m[1];
    return { kind, family: 'inet6', host, port, scopeInterface: m[3], text: `[${host}]:${port}${m[3] ? `%${m[3]}` : ''}` };
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0) return 'EINVAL';
  const host = text.slice(0, colon);
  if (!isIPv4(host)) return 'EINVAL';
  const port = parsePort(text.slice(colon + 1));
  if (typeof port !== 'number') return port;
  return { kind, family: 'inet', host, port, text: `${host}:${port}` };
}

/** ListenFIFO= (and other path-only forms): an absolute path. */
export function fifoAddress(path: string): ListenAddress {
  return { kind: 'fifo', family: 'fifo', path, text: path };
}

/** patch_var_run(): `/var/run/…` becomes `/run/…` (systemd also logs a notice that verify does not show). */
export function patchVarRun(path: string): string {
  return path.startsWith('/var/run/') ? '/run/' + path.slice('/var/run/'.length) : path;
}

/**
 * netlink_family_table (src/basic/socket-util.c in systemd 252): the names ListenNetlink= takes, by protocol
 * number. Checked on systemd 252: `usersock`, `sock_diag`, `crypto` and `smc` are refused, numbers are taken.
 */
const NETLINK_FAMILIES: Readonly<Record<number, string>> = {
  0: 'route', 3: 'firewall', 4: 'inet-diag', 5: 'nflog', 6: 'xfrm', 7: 'selinux', 8: 'iscsi', 9: 'audit',
  10: 'fib-lookup', 11: 'connector', 12: 'netfilter', 13: 'ip6-fw', 14: 'dnrtmsg', 15: 'kobject-uevent',
  16: 'generic', 18: 'scsitransport', 19: 'ecryptfs', 20: 'rdma',
};

/**
 * socket_address_parse_netlink(): `FAMILY [GROUP]`, FAMILY a name of the table above or a number, GROUP the
 * multicast groups mask (default 0). Shown as `route 1361` (socket_address_print(): the name, else the number).
 */
export function parseNetlinkAddress(text: string): ListenAddress | AddressErrno {
  const m = /^(\S+)(?:[ \t\n\r]+(.*))?$/.exec(text.trim());
  if (!m) return 'EINVAL';
  const byName = Object.entries(NETLINK_FAMILIES).find(([, name]) => name === m[1]);
  const protocol = byName ? Number(byName[0]) : parseUnsigned(m[1], 0);
  if (typeof protocol !== 'number') return 'EINVAL';
  // netlink_family_from_string() takes a number only up to INT_MAX.
  if (protocol > 0x7fffffff) return 'EINVAL';
  const groups = m[2] === undefined || m[2] === '' ? 0 : parseUnsigned(m[2], 0);
  if (typeof groups !== 'number') return groups;
  const name = NETLINK_FAMILIES[protocol] ?? String(protocol);
  return { kind: 'netlink', family: 'netlink', netlink: { protocol, groups }, text: `${name} ${groups}` };
}

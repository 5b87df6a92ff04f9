/**
 * ss's filter expressions (iproute2 misc/ssfilter.y), the part learners type: `sport = :8080`, `dport != :22`,
 * `src 127.0.0.1`, `src /run/dbus/*` (Unix paths are fnmatch patterns), joined by `and`/`or`/`not` and parentheses.
 */
import { globMatch } from './systemctl-list.ts';

/** One socket as the filter sees it: host and port (Unix: path and inode) of both ends. */
export interface SsRow {
  unix: boolean;
  local: { host: string; port: string };
  peer: { host: string; port: string };
}

/** A parsed filter. */
export type SsFilter = (row: SsRow) => boolean;

type Op = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le';

const OPS: Record<string, Op> = {
  '=': 'eq', '==': 'eq', eq: 'eq', '!=': 'ne', ne: 'ne', neq: 'ne',
  '>': 'gt', gt: 'gt', '<': 'lt', lt: 'lt', '>=': 'ge', ge: 'ge', geq: 'ge', '<=': 'le', le: 'le', leq: 'le',
};

/** Port numbers of the service names /etc/services gives the ports the labs use. */
const PORTS: Record<string, number> = { ssh: 22, smtp: 25, domain: 53, http: 80, https: 443, printer: 515, ipp: 631, 'http-alt': 8080 };

class FilterError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** What ss prints for a filter its grammar rejects (the rest of its usage text is left out here). */
const SYNTAX_ERROR = 'ss: bison bellows (while parsing filter): "syntax error!" Sorry.\nUsage: ss [ OPTIONS ]\n       ss [ OPTIONS ] [ FILTER ]\n';

/** A port from a host condition (`:8080`, `*:8080`, `8080`, `:ssh`). */
function portOf(word: string): number {
  const text = word.includes(':') ? word.slice(word.lastIndexOf(':') + 1) : word;
  if (/^\d+$/.test(text)) return Number(text);
  if (PORTS[text] !== undefined) return PORTS[text];
  throw new FilterError(`Error: "${text}" does not look like a port.\nCannot parse dst/src address.\n`);
}

/** A `src`/`dst` condition: a Unix path pattern, or `HOST[:PORT]` with `*` or nothing for any host. */
function hostCondition(word: string, end: 'local' | 'peer'): SsFilter {
  if (word.startsWith('/') || word.startsWith('@')) return (row) => row.unix && globMatch(word, row[end].host);
  const colon = word.lastIndexOf(':');
  const bracketed = word.startsWith('[');
  const hasPort = colon >= 0 && (!bracketed || word.lastIndexOf(']') < colon) && (bracketed || word.indexOf(':') === colon);
  const host = (hasPort ? word.slice(0, colon) : word).replace(/^\[(.*)\]$/, '$1');
  const port = hasPort ? portOf(word.slice(colon)) : undefined;
  if (host !== '' && host !== '*' && !/^[\d.]+$/.test(host) && !/^[\da-fA-F:]+$/.test(host)) {
    throw new FilterError(`Error: an inet prefix is expected rather than "${host}".\nCannot parse dst/src address.\n`);
  }
  return (row) => {
    if (row.unix) return false;
    const ep = row[end];
    if (host !== '' && host !== '*' && ep.host.replace(/^\[(.*)\]$/, '$1') !== host) return false;
    return port === undefined || Number(ep.port) === port;
  };
}

function portCondition(op: Op, port: number, end: 'local' | 'peer'): SsFilter {
  return (row) => {
    if (row.unix) return false;
    const p = Number(row[end].port);
    if (!Number.isFinite(p)) return false;
    switch (op) {
      case 'eq': return p === port;
      case 'ne': return p !== port;
      case 'gt': return p > port;
      case 'lt': return p < port;
      case 'ge': return p >= port;
      case 'le': return p <= port;
    }
  };
}

/** Parses the words after ss's options; a filter, or the error text real ss prints (it exits 1). */
export function parseSsFilter(text: string): { filter: SsFilter } | { error: string; exitCode: number } {
  const tokens = [...text.matchAll(/\(|\)|[!<>=]=|[!<>=]|[^ \t\n\v\f\r()!<>=]+/g)].map((m) => m[0]);
  let at = 0;
  const peek = (): string | undefined => tokens[at];
  const next = (): string => {
    const token = tokens[at++];
    if (token === undefined) throw new FilterError(SYNTAX_ERROR, 255);
    return token;
  };

  const term = (): SsFilter => {
    const word = next();
    if (word === '(') {
      const inner = orExpr();
      if (next() !== ')') throw new FilterError(SYNTAX_ERROR, 255);
      return inner;
    }
    if (word === '!' || word === 'not') {
      const inner = term();
      return (row) => !inner(row);
    }
    if (word === 'src' || word === 'dst') {
      let value = next();
      if (OPS[value] === 'eq') value = next();
      return hostCondition(value, word === 'src' ? 'local' : 'peer');
    }
    if (word === 'sport' || word === 'dport') {
      let value = next();
      let op: Op = 'eq';
      if (OPS[value] !== undefined) {
        op = OPS[value];
        value = next();
      }
      return portCondition(op, portOf(value), word === 'sport' ? 'local' : 'peer');
    }
    // A bare address is a destination condition, as in ssfilter.y.
    return hostCondition(word, 'peer');
  };
  const andExpr = (): SsFilter => {
    let left = term();
    for (;;) {
      const token = peek();
      if (token === undefined || token === ')' || token === 'or' || token === '|' || token === '||') return left;
      if (token === 'and' || token === '&' || token === '&&') next();
      const a = left, b = term();
      left = (row) => a(row) && b(row);
    }
  };
  const orExpr = (): SsFilter => {
    let left = andExpr();
    while (peek() === 'or' || peek() === '|' || peek() === '||') {
      next();
      const a = left, b = andExpr();
      left = (row) => a(row) || b(row);
    }
    return left;
  };

  try {
    const filter = orExpr();
    if (at < tokens.length) throw new FilterError(SYNTAX_ERROR, 255);
    return { filter };
  } catch (error) {
    if (error instanceof FilterError) return { error: error.message, exitCode: error.exitCode };
    throw error;
  }
}

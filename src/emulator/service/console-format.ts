/** console.log formatting close to Node's util.format/inspect for what lab programs print. */

/** Node-like inspect of a value (depth 2, single-quoted strings inside objects). */
export function inspect(value: unknown, depth = 2, nested = false): string {
  if (typeof value === 'string') return nested ? `'${value.replace(/'/g, "\\'")}'` : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === undefined || value === null) return String(value) + (typeof value === 'bigint' ? 'n' : '');
  if (typeof value === 'function') return `[Function: ${value.name || '(anonymous)'}]`;
  if (typeof value === 'symbol') return value.toString();
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (value instanceof Uint8Array) return `<Buffer ${[...value.subarray(0, 50)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}${value.length > 50 ? ` ... ${value.length - 50} more bytes` : ''}>`;
  if (depth < 0) return Array.isArray(value) ? '[Array]' : '[Object]';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[ ${value.map((v) => inspect(v, depth - 1, true)).join(', ')} ]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const key = (k: string): string => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`);
  return `{ ${entries.map(([k, v]) => `${key(k)}: ${inspect(v, depth - 1, true)}`).join(', ')} }`;
}

/** util.format: printf-style %s %d %i %f %j %o %O %% in a first string argument, the rest inspected. */
export function formatArgs(args: unknown[]): string {
  if (args.length === 0) return '';
  let rest = args;
  let head = '';
  if (typeof args[0] === 'string' && args[0].includes('%')) {
    let i = 1;
    head = args[0].replace(/%[sdifjoO%]/g, (m) => {
      if (m === '%%') return '%';
      if (i >= args.length) return m;
      const v = args[i++];
      if (m === '%s') return typeof v === 'string' ? v : inspect(v, 1, false);
      if (m === '%d' || m === '%i') return String(m === '%i' ? Math.trunc(Number(v)) : Number(v));
      if (m === '%f') return String(Number(v));
      if (m === '%j') return JSON.stringify(v);
      return inspect(v, 2, true);
    });
    rest = args.slice(i);
    return [head, ...rest.map((a) => inspect(a))].join(' ');
  }
  return rest.map((a) => inspect(a)).join(' ');
}

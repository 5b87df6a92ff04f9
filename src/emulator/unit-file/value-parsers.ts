/** Scalar value parsers with systemd's rules (src/basic/parse-util.c, time-util.c). Each returns undefined when invalid. */

/** parse_boolean(): 1/yes/y/true/t/on and 0/no/n/false/f/off, any case. */
export function parseBoolean(text: string): boolean | undefined {
  const v = text.toLowerCase();
  if (['1', 'yes', 'y', 'true', 't', 'on'].includes(v)) return true;
  if (['0', 'no', 'n', 'false', 'f', 'off'].includes(v)) return false;
  return undefined;
}

/**
 * safe_atou(): an unsigned 32-bit number (leading whitespace and '+' allowed, '-' refused); 'ERANGE' when too big.
 * Base 10, 8, or 0 as strtoul() takes it: `0x…` hex, a leading 0 octal, else decimal.
 */
export function parseUnsigned(text: string, base: 0 | 8 | 10 = 10): number | 'EINVAL' | 'ERANGE' {
  const t = text.replace(/^[ \t\n\r]+/, '');
  if (t.startsWith('-')) return 'EINVAL';
  let body = t.startsWith('+') ? t.slice(1) : t;
  let radix: number = base;
  if (base === 0) {
    radix = /^0[xX]/.test(body) ? 16 : body.startsWith('0') ? 8 : 10;
    if (radix === 16) body = body.slice(2);
  }
  const digits = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!digits.test(body)) return 'EINVAL';
  const v = parseInt(body, radix);
  return v > 0xffffffff ? 'ERANGE' : v;
}

/** parse_mode(): octal, no sign, at most 07777. */
export function parseMode(text: string): number | undefined {
  const t = text.replace(/^[ \t\n\r]+/, '');
  if (t.startsWith('+') || t.startsWith('-')) return undefined;
  const v = parseUnsigned(t, 8);
  return typeof v === 'number' && v <= 0o7777 ? v : undefined;
}

/** systemd's time units in microseconds (src/basic/time-util.h), for parsing and formatting spans. */
export const USEC_PER_MSEC = 1000;
export const USEC_PER_SEC = 1_000_000;
export const USEC_PER_MINUTE = 60 * USEC_PER_SEC;
export const USEC_PER_HOUR = 60 * USEC_PER_MINUTE;
export const USEC_PER_DAY = 24 * USEC_PER_HOUR;
export const USEC_PER_WEEK = 7 * USEC_PER_DAY;
export const USEC_PER_MONTH = 2_629_800 * USEC_PER_SEC;
export const USEC_PER_YEAR = 31_557_600 * USEC_PER_SEC;

/** Suffixes in the order systemd's extract_multiplier() tries them (first prefix match wins). */
const TIME_UNITS: Array<[string, number]> = [
  ['seconds', USEC_PER_SEC], ['second', USEC_PER_SEC], ['sec', USEC_PER_SEC], ['s', USEC_PER_SEC],
  ['minutes', USEC_PER_MINUTE], ['minute', USEC_PER_MINUTE], ['min', USEC_PER_MINUTE],
  ['months', USEC_PER_MONTH], ['month', USEC_PER_MONTH], ['M', USEC_PER_MONTH],
  ['msec', 1000], ['ms', 1000], ['m', USEC_PER_MINUTE],
  ['hours', USEC_PER_HOUR], ['hour', USEC_PER_HOUR], ['hr', USEC_PER_HOUR], ['h', USEC_PER_HOUR],
  ['days', USEC_PER_DAY], ['day', USEC_PER_DAY], ['d', USEC_PER_DAY],
  ['weeks', USEC_PER_WEEK], ['week', USEC_PER_WEEK], ['w', USEC_PER_WEEK],
  ['years', USEC_PER_YEAR], ['year', USEC_PER_YEAR], ['y', USEC_PER_YEAR],
  ['usec', 1], ['us', 1], ['μs', 1], ['µs', 1],
];

const WS = /^[ \t\n\r]*/;

/** parse_sec(): a time span (`2s`, `500ms`, `1min 30s`, `infinity`, a bare number = seconds) in milliseconds. */
export function parseSec(text: string): number | undefined {
  const usec = parseTimeUsec(text, USEC_PER_SEC);
  return usec === undefined ? undefined : usec === Infinity ? Infinity : usec / 1000;
}

/** parse_time(): the span in microseconds, Infinity for "infinity", undefined when invalid. */
export function parseTimeUsec(text: string, defaultUnit: number): number | undefined {
  let p = text.replace(WS, '');
  if (p.startsWith('infinity')) return p.slice(8).replace(WS, '') === '' ? Infinity : undefined;
  let total = 0;
  let something = false;
  for (;;) {
    p = p.replace(WS, '');
    if (p === '') return something ? total : undefined;
    const m = /^[0-9]+/.exec(p);
    let whole: string;
    let fraction = '';
    if (!m) {
      // strtoll accepts '+'; a lone '.' with digits after it is "0.x" in systemd, keep it strict here.
      if (p.startsWith('-')) return undefined;
      const plus = /^\+[0-9]+/.exec(p);
      if (!plus) return undefined;
      whole = plus[0].slice(1);
      p = p.slice(plus[0].length);
    } else {
      whole = m[0];
      p = p.slice(m[0].length);
    }
    if (p.startsWith('.')) {
      const f = /^\.([0-9]*)/.exec(p)!;
      fraction = f[1];
      p = p.slice(f[0].length);
    }
    const afterWs = p.replace(WS, '');
    let multiplier = defaultUnit;
    let consumed = afterWs;
    for (const [suffix, mult] of TIME_UNITS) {
      if (afterWs.startsWith(suffix)) {
        multiplier = mult;
        consumed = afterWs.slice(suffix.length);
        break;
      }
    }
    // "12.34.56" is refused; "12 .5" with no unit is refused as well (no unit found, not at end, not whitespace).
    if (consumed === afterWs && afterWs !== '' && afterWs === p) return undefined;
    p = consumed;
    total += Number(whole) * multiplier;
    if (fraction) total += Math.floor(Number('0.' + fraction) * multiplier);
    something = true;
  }
}

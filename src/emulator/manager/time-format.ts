/**
 * Timestamps as systemd prints them. The emulated machine runs in UTC so output is the same everywhere.
 */
import { USEC_PER_DAY, USEC_PER_HOUR, USEC_PER_MINUTE, USEC_PER_MONTH, USEC_PER_MSEC, USEC_PER_SEC, USEC_PER_WEEK, USEC_PER_YEAR } from '../unit-file/value-parsers.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** journalctl's short format: `Nov 27 10:00:00`. */
export function formatJournalTime(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** systemctl status's timestamp: `Fri 2026-11-27 10:00:00 UTC`. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}


function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** systemd 252's format_timestamp_relative() (src/basic/time-util.c): `3s ago`, `1min 5s ago`, `7min ago`, `2h 3min ago`. */
export function formatRelative(thenMs: number, nowMs: number): string {
  const suffix = nowMs > thenMs ? 'ago' : 'left';
  const d = Math.abs(nowMs - thenMs) * USEC_PER_MSEC;
  const q = (a: number, b: number): number => Math.floor(a / b);
  if (d >= USEC_PER_YEAR) return `${plural(q(d, USEC_PER_YEAR), 'year', 'years')} ${plural(q(d % USEC_PER_YEAR, USEC_PER_MONTH), 'month', 'months')} ${suffix}`;
  if (d >= USEC_PER_MONTH) return `${plural(q(d, USEC_PER_MONTH), 'month', 'months')} ${plural(q(d % USEC_PER_MONTH, USEC_PER_DAY), 'day', 'days')} ${suffix}`;
  if (d >= USEC_PER_WEEK) return `${plural(q(d, USEC_PER_WEEK), 'week', 'weeks')} ${plural(q(d % USEC_PER_WEEK, USEC_PER_DAY), 'day', 'days')} ${suffix}`;
  if (d >= 2 * USEC_PER_DAY) return `${q(d, USEC_PER_DAY)} days ${suffix}`;
  if (d >= 25 * USEC_PER_HOUR) return `1 day ${q(d - USEC_PER_DAY, USEC_PER_HOUR)}h ${suffix}`;
  if (d >= 6 * USEC_PER_HOUR) return `${q(d, USEC_PER_HOUR)}h ${suffix}`;
  if (d >= USEC_PER_HOUR) return `${q(d, USEC_PER_HOUR)}h ${q(d % USEC_PER_HOUR, USEC_PER_MINUTE)}min ${suffix}`;
  if (d >= 5 * USEC_PER_MINUTE) return `${q(d, USEC_PER_MINUTE)}min ${suffix}`;
  if (d >= USEC_PER_MINUTE) return `${q(d, USEC_PER_MINUTE)}min ${q(d % USEC_PER_MINUTE, USEC_PER_SEC)}s ${suffix}`;
  if (d >= USEC_PER_SEC) return `${q(d, USEC_PER_SEC)}s ${suffix}`;
  if (d >= USEC_PER_MSEC) return `${q(d, USEC_PER_MSEC)}ms ${suffix}`;
  if (d > 0) return `${d}us ${suffix}`;
  return 'now';
}

const TIMESPAN_UNITS: Array<[string, number]> = [
  ['y', USEC_PER_YEAR], ['month', USEC_PER_MONTH], ['w', USEC_PER_WEEK], ['d', USEC_PER_DAY], ['h', USEC_PER_HOUR],
  ['min', USEC_PER_MINUTE], ['s', USEC_PER_SEC], ['ms', USEC_PER_MSEC], ['us', 1],
];

/** systemd's format_timespan(t, accuracy) with both in microseconds: `1min 23.450s`, `3ms`, `0`. */
export function formatTimespan(us: number, accuracyUs: number): string {
  let t = Math.round(us);
  if (!Number.isFinite(t)) return 'infinity';
  if (t <= 0) return '0';
  const parts: string[] = [];
  for (const [suffix, unit] of TIMESPAN_UNITS) {
    if (t <= 0) break;
    if (t < accuracyUs && parts.length > 0) break;
    if (t < unit) continue;
    const a = Math.floor(t / unit);
    let b = t % unit;
    // Below a minute a remainder is shown as decimals, as many as the accuracy allows.
    if (t < USEC_PER_MINUTE && b > 0) {
      let j = 0;
      for (let cc = unit; cc > 1; cc /= 10) j++;
      for (let cc = accuracyUs; cc > 1; cc /= 10) {
        b = Math.floor(b / 10);
        j--;
      }
      if (j > 0) {
        parts.push(`${a}.${String(b).padStart(j, '0')}${suffix}`);
        t = 0;
        break;
      }
    }
    parts.push(`${a}${suffix}`);
    t = b;
  }
  return parts.join(' ');
}

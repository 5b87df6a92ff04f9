/**
 * Timestamps as systemd prints them. The emulated machine runs in UTC so output is the same everywhere.
 */

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

const US_PER_MS = 1000;
const US_PER_SEC = 1000 * US_PER_MS;
const US_PER_MIN = 60 * US_PER_SEC;
const US_PER_HOUR = 60 * US_PER_MIN;
const US_PER_DAY = 24 * US_PER_HOUR;
const US_PER_WEEK = 7 * US_PER_DAY;
const US_PER_MONTH = 2629800 * US_PER_SEC;
const US_PER_YEAR = 31557600 * US_PER_SEC;

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** systemd 252's format_timestamp_relative() (src/basic/time-util.c): `3s ago`, `1min 5s ago`, `7min ago`, `2h 3min ago`. */
export function formatRelative(thenMs: number, nowMs: number): string {
  const suffix = nowMs > thenMs ? 'ago' : 'left';
  const d = Math.abs(nowMs - thenMs) * US_PER_MS;
  const q = (a: number, b: number): number => Math.floor(a / b);
  if (d >= US_PER_YEAR) return `${plural(q(d, US_PER_YEAR), 'year', 'years')} ${plural(q(d % US_PER_YEAR, US_PER_MONTH), 'month', 'months')} ${suffix}`;
  if (d >= US_PER_MONTH) return `${plural(q(d, US_PER_MONTH), 'month', 'months')} ${plural(q(d % US_PER_MONTH, US_PER_DAY), 'day', 'days')} ${suffix}`;
  if (d >= US_PER_WEEK) return `${plural(q(d, US_PER_WEEK), 'week', 'weeks')} ${plural(q(d % US_PER_WEEK, US_PER_DAY), 'day', 'days')} ${suffix}`;
  if (d >= 2 * US_PER_DAY) return `${q(d, US_PER_DAY)} days ${suffix}`;
  if (d >= 25 * US_PER_HOUR) return `1 day ${q(d - US_PER_DAY, US_PER_HOUR)}h ${suffix}`;
  if (d >= 6 * US_PER_HOUR) return `${q(d, US_PER_HOUR)}h ${suffix}`;
  if (d >= US_PER_HOUR) return `${q(d, US_PER_HOUR)}h ${q(d % US_PER_HOUR, US_PER_MIN)}min ${suffix}`;
  if (d >= 5 * US_PER_MIN) return `${q(d, US_PER_MIN)}min ${suffix}`;
  if (d >= US_PER_MIN) return `${q(d, US_PER_MIN)}min ${q(d % US_PER_MIN, US_PER_SEC)}s ${suffix}`;
  if (d >= US_PER_SEC) return `${q(d, US_PER_SEC)}s ${suffix}`;
  if (d >= US_PER_MS) return `${q(d, US_PER_MS)}ms ${suffix}`;
  if (d > 0) return `${d}us ${suffix}`;
  return 'now';
}

const TIMESPAN_UNITS: Array<[string, number]> = [
  ['y', US_PER_YEAR], ['month', US_PER_MONTH], ['w', US_PER_WEEK], ['d', US_PER_DAY], ['h', US_PER_HOUR],
  ['min', US_PER_MIN], ['s', US_PER_SEC], ['ms', US_PER_MS], ['us', 1],
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
    if (t < US_PER_MIN && b > 0) {
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

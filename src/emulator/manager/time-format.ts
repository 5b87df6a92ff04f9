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

/** systemd's format_timestamp_relative(): `3s ago`, `1min 5s ago`, `2h 3min ago`, `now`. */
export function formatRelative(thenMs: number, nowMs: number): string {
  const d = nowMs - thenMs;
  const suffix = d >= 0 ? 'ago' : 'left';
  const a = Math.abs(d);
  const SEC = 1000;
  const MIN = 60 * SEC;
  const HOUR = 60 * MIN;
  const DAY = 24 * HOUR;
  if (a >= DAY) return `${Math.floor(a / DAY)} day${Math.floor(a / DAY) === 1 ? '' : 's'} ${Math.floor((a % DAY) / HOUR)}h ${suffix}`;
  if (a >= HOUR) return `${Math.floor(a / HOUR)}h ${Math.floor((a % HOUR) / MIN)}min ${suffix}`;
  if (a >= MIN) return `${Math.floor(a / MIN)}min ${Math.floor((a % MIN) / SEC)}s ${suffix}`;
  if (a >= SEC) return `${Math.floor(a / SEC)}s ${suffix}`;
  if (a >= 1) return `${Math.floor(a)}ms ${suffix}`;
  return 'now';
}

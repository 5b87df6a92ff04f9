/**
 * The timestamps journalctl --since/--until take (parse_timestamp() of systemd 252, the forms people type):
 * `now`, `today`, `yesterday`, `tomorrow`, relative spans (`-10min`, `+1h`, `1 hour ago`, `2h 30min ago`),
 * `YYYY-MM-DD [HH:MM[:SS]]`, `HH:MM[:SS]` (today), an optional ` UTC`, and `@SECONDS`. The machine's zone is UTC.
 */

/** Milliseconds per unit word of a time span (parse_time()'s table). */
const UNIT_MS: Record<string, number> = {
  us: 0.001, usec: 0.001, µs: 0.001, ms: 1, msec: 1,
  s: 1000, sec: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
  M: 2_629_800_000, month: 2_629_800_000, months: 2_629_800_000,
  y: 31_557_600_000, year: 31_557_600_000, years: 31_557_600_000,
};

/** A span such as `10min`, `1h 30min`, `2 hours` in ms; undefined when it is not one. */
function parseSpan(text: string): number | undefined {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)\s*([a-zA-Zµ]*)\s*/gy)];
  if (parts.length === 0 || parts.map((m) => m[0]).join('') !== text.trim()) return undefined;
  let total = 0;
  for (const [, number, unit] of parts) {
    const factor = unit === '' ? 1000 : UNIT_MS[unit];
    if (factor === undefined) return undefined;
    total += Number(number) * factor;
  }
  return total;
}

/** Midnight (UTC) of the day `now` falls in, plus `days`. */
function midnight(now: number, days: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days);
}

/** A --since/--until value as ms since the epoch, or undefined when parse_timestamp() would refuse it. */
export function parseJournalTimestamp(input: string, now: number): number | undefined {
  let text = input.trim();
  if (text.endsWith(' UTC')) text = text.slice(0, -4).trim();
  if (text === 'now') return now;
  if (text === 'today') return midnight(now, 0);
  if (text === 'yesterday') return midnight(now, -1);
  if (text === 'tomorrow') return midnight(now, 1);
  if (text.startsWith('@')) {
    const seconds = Number(text.slice(1));
    return Number.isFinite(seconds) && text.length > 1 ? seconds * 1000 : undefined;
  }
  if (text.startsWith('-') || text.startsWith('+')) {
    const span = parseSpan(text.slice(1));
    return span === undefined ? undefined : text.startsWith('-') ? now - span : now + span;
  }
  if (text.endsWith(' ago')) {
    const span = parseSpan(text.slice(0, -4));
    return span === undefined ? undefined : now - span;
  }
  if (text.endsWith(' left')) {
    const span = parseSpan(text.slice(0, -5));
    return span === undefined ? undefined : now + span;
  }
  const full = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (full) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = full;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    const back = new Date(ms);
    // 2024-02-30 and 25:00 are refused, not rolled over.
    if (back.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
    return ms;
  }
  const time = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (time) {
    const [, h, mi, s = '0'] = time;
    if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
    return midnight(now, 0) + ((Number(h) * 60 + Number(mi)) * 60 + Number(s)) * 1000;
  }
  return undefined;
}

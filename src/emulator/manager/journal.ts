/**
 * The journal: every message of the manager (`systemd[1]`) and of service processes, in order,
 * with the boot it belongs to. journalctl and systemctl status read it; the lab's live view subscribes.
 *
 * As journald does, a service's messages are rate limited (journald-rate-limit.c): per unit and per
 * priority group, at most RateLimitBurst= (10000) in RateLimitIntervalSec= (30 s); what is over is dropped,
 * and the first message of the unit after the window ends is preceded by `systemd-journald[…]: Suppressed
 * N messages from x.service`. (journald also scales the burst up with the free disk space — 37500 on a
 * machine with 70 GB free — the emulator keeps the configured value.) Like journald vacuuming its oldest
 * files at SystemMaxUse=, the journal keeps the newest MAX_ENTRIES entries, so a flood cannot grow the
 * page's memory without end.
 */
import type { JournalEntry } from '../system-events.ts';
import { formatJournalTime } from './time-format.ts';

/** syslog priorities used here. */
export const PRIORITY = { err: 3, warning: 4, notice: 5, info: 6, debug: 7 } as const;

/** journald's RateLimitIntervalSec= default. */
export const RATE_LIMIT_INTERVAL_MS = 30_000;
/** journald's RateLimitBurst= default. */
export const RATE_LIMIT_BURST = 10_000;
/** How many entries the journal keeps (the oldest go first). */
export const MAX_ENTRIES = 50_000;
/** The pid systemd-journald's own messages carry. */
export const JOURNALD_PID = 17;

/** journald's priority groups: emerg…err share one bucket, then warning, notice, info, debug each. */
function priorityGroup(priority: number): number {
  return priority <= 3 ? 0 : Math.min(priority, 7) - 3;
}

/** One rate-limit bucket (a unit's messages of one priority group). */
interface Bucket {
  begin: number;
  count: number;
  suppressed: number;
}

/** An append-only list of entries with listeners. */
export class Journal {
  readonly entries: JournalEntry[] = [];
  private listeners = new Set<(entry: JournalEntry) => void>();
  /** Current boot: 0; earlier boots are negative, as `journalctl -b -1` counts them. */
  private bootOffset = 0;
  private buckets = new Map<string, Bucket>();
  private readonly intervalMs: number;
  private readonly burst: number;

  constructor(options: { rateLimitIntervalMs?: number; rateLimitBurst?: number } = {}) {
    this.intervalMs = options.rateLimitIntervalMs ?? RATE_LIMIT_INTERVAL_MS;
    this.burst = options.rateLimitBurst ?? RATE_LIMIT_BURST;
  }

  /**
   * Appends one entry and tells the listeners; returns undefined when the rate limit dropped it.
   * Only service processes are limited (not the manager's own `systemd[1]` messages).
   */
  append(entry: Omit<JournalEntry, 'boot'>): JournalEntry | undefined {
    if (entry.unit && entry.pid !== 1 && !this.admit(entry)) return undefined;
    return this.store(entry);
  }

  private store(entry: Omit<JournalEntry, 'boot'>): JournalEntry {
    const full: JournalEntry = { ...entry, boot: this.bootOffset };
    this.entries.push(full);
    if (this.entries.length > MAX_ENTRIES + MAX_ENTRIES / 10) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    for (const listener of [...this.listeners]) listener(full);
    return full;
  }

  /** journal_ratelimit_test(): counts the entry in its bucket; logs the suppressed count when a window ends. */
  private admit(entry: Omit<JournalEntry, 'boot'>): boolean {
    if (this.intervalMs <= 0 || this.burst <= 0) return true;
    const key = `${entry.unit}\0${priorityGroup(entry.priority)}`;
    let bucket = this.buckets.get(key);
    if (!bucket || entry.timestamp - bucket.begin >= this.intervalMs) {
      const suppressed = bucket?.suppressed ?? 0;
      bucket = { begin: entry.timestamp, count: 0, suppressed: 0 };
      this.buckets.set(key, bucket);
      if (suppressed > 0) {
        this.store({ timestamp: entry.timestamp, unit: entry.unit, identifier: 'systemd-journald', pid: JOURNALD_PID, message: `Suppressed ${suppressed} messages from ${entry.unit}`, priority: PRIORITY.info });
      }
    }
    if (bucket.count < this.burst) {
      bucket.count++;
      return true;
    }
    bucket.suppressed++;
    return false;
  }

  /** Starts a new boot: entries of earlier boots get boot numbers -1, -2, … */
  newBoot(): void {
    if (this.entries.length === 0) return;
    for (const entry of this.entries) entry.boot -= 1;
  }

  /** Calls `listener` for every new entry; returns the unsubscribe function. */
  subscribe(listener: (entry: JournalEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** One entry in journalctl's short format: `Nov 27 10:00:00 HOST systemd[1]: Started Foo.` */
export function formatJournalLine(entry: JournalEntry, hostname: string): string {
  return `${formatJournalTime(entry.timestamp)} ${hostname} ${entry.identifier}[${entry.pid}]: ${entry.message}`;
}

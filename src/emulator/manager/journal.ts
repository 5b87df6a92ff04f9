/**
 * The journal: every message of the manager (`systemd[1]`) and of service processes, in order,
 * with the boot it belongs to. journalctl and systemctl status read it; the lab's live view subscribes.
 */
import type { JournalEntry } from '../system-events.ts';
import { formatJournalTime } from './time-format.ts';

/** syslog priorities used here. */
export const PRIORITY = { err: 3, warning: 4, notice: 5, info: 6, debug: 7 } as const;

/** An append-only list of entries with listeners. */
export class Journal {
  readonly entries: JournalEntry[] = [];
  private listeners = new Set<(entry: JournalEntry) => void>();
  /** Current boot: 0; earlier boots are negative, as `journalctl -b -1` counts them. */
  private bootOffset = 0;

  /** Appends one entry and tells the listeners. */
  append(entry: Omit<JournalEntry, 'boot'>): JournalEntry {
    const full: JournalEntry = { ...entry, boot: this.bootOffset };
    this.entries.push(full);
    for (const listener of [...this.listeners]) listener(full);
    return full;
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

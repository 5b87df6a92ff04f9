import { describe, expect, it } from 'vitest';
import { parseJournalTimestamp } from '../../../src/emulator/commands/journal-time.ts';

const NOW = Date.UTC(2026, 10, 27, 10, 30, 15);

describe('journalctl --since/--until timestamps (parse_timestamp)', () => {
  it('reads the words, relative spans and calendar forms', () => {
    expect(parseJournalTimestamp('now', NOW)).toBe(NOW);
    expect(parseJournalTimestamp('today', NOW)).toBe(Date.UTC(2026, 10, 27));
    expect(parseJournalTimestamp('yesterday', NOW)).toBe(Date.UTC(2026, 10, 26));
    expect(parseJournalTimestamp('tomorrow', NOW)).toBe(Date.UTC(2026, 10, 28));
    expect(parseJournalTimestamp('-10min', NOW)).toBe(NOW - 600_000);
    expect(parseJournalTimestamp('+1h', NOW)).toBe(NOW + 3_600_000);
    expect(parseJournalTimestamp('1 hour ago', NOW)).toBe(NOW - 3_600_000);
    expect(parseJournalTimestamp('2h 30min ago', NOW)).toBe(NOW - 9_000_000);
    expect(parseJournalTimestamp('2020-01-01', NOW)).toBe(Date.UTC(2020, 0, 1));
    expect(parseJournalTimestamp('2020-01-01 12:34:56 UTC', NOW)).toBe(Date.UTC(2020, 0, 1, 12, 34, 56));
    expect(parseJournalTimestamp('09:15', NOW)).toBe(Date.UTC(2026, 10, 27, 9, 15));
    expect(parseJournalTimestamp('@86400', NOW)).toBe(86_400_000);
  });

  it('refuses what systemd refuses', () => {
    for (const bad of ['bogus', '', '2024-02-30', '25:00', '-10 parsecs', '1 hour', '@']) expect(parseJournalTimestamp(bad, NOW), bad).toBeUndefined();
  });
});

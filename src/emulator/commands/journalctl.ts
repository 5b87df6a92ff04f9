/**
 * The `journalctl` command: -u UNIT (repeatable), -n N, -f (follow until interrupted), -b [N], -r, -g PATTERN,
 * -o short|cat, --output-fields=, --no-pager, -e, -x, -q; "-- No entries --" when nothing matches.
 */
import { formatJournalLine } from '../manager/journal.ts';
import type { CommandIO, System } from '../system.ts';
import type { JournalEntry } from '../system-events.ts';
import { mangleUnitName } from './systemctl-args.ts';
import { globMatch, isGlob } from './systemctl-list.ts';

interface JournalctlArgs {
  units: string[];
  lines?: number;
  follow: boolean;
  boot?: number;
  output: 'short' | 'cat';
  quiet: boolean;
  reverse: boolean;
  grep?: string;
  caseSensitive?: boolean;
}

function parseArgs(argv: string[]): JournalctlArgs | { error: string } {
  const a: JournalctlArgs = { units: [], follow: false, output: 'short', quiet: false, reverse: false };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline: string | undefined;
    if (arg.startsWith('--') && arg.includes('=')) {
      inline = arg.slice(arg.indexOf('=') + 1);
      arg = arg.slice(0, arg.indexOf('='));
    } else if (/^-[unobg]./.test(arg)) {
      inline = arg.slice(2);
      arg = arg.slice(0, 2);
    }
    const value = (): string | undefined => inline ?? argv[++i];
    switch (arg) {
      case '-u': case '--unit': {
        const v = value();
        if (v === undefined) return { error: `journalctl: option requires an argument -- 'u'` };
        a.units.push(isGlob(v) ? v : mangleUnitName(v));
        break;
      }
      case '-n': case '--lines': {
        const v = inline ?? (argv[i + 1] !== undefined && /^\+?\d+$/.test(argv[i + 1]) ? argv[++i] : undefined);
        if (v === undefined) { a.lines = 10; break; }
        if (!/^\+?\d+$/.test(v)) return { error: `Failed to parse lines '${v}'` };
        a.lines = Number(v.replace('+', ''));
        break;
      }
      case '-f': case '--follow': a.follow = true; break;
      case '-e': case '--pager-end': a.lines ??= 1000; break;
      case '-b': case '--boot': {
        const v = inline ?? (argv[i + 1] !== undefined && /^-?\d+$/.test(argv[i + 1]) ? argv[++i] : undefined);
        // Offsets (0, -1, …) are relative to the current boot; positive absolute numbers are not modelled.
        a.boot = v === undefined || Number(v) > 0 ? 0 : Number(v);
        break;
      }
      case '-o': case '--output': {
        const v = value();
        if (v !== 'short' && v !== 'cat') return { error: `Unknown output format '${v}'.` };
        a.output = v;
        break;
      }
      case '-q': case '--quiet': a.quiet = true; break;
      case '-r': case '--reverse': a.reverse = true; break;
      case '-g': case '--grep': {
        const v = value();
        if (v === undefined) return { error: `journalctl: option requires an argument -- 'g'` };
        a.grep = v;
        break;
      }
      case '--case-sensitive': {
        const v = inline ?? 'yes';
        if (!['1', 'yes', 'y', 'true', 't', 'on', '0', 'no', 'n', 'false', 'f', 'off'].includes(v)) return { error: `Bad --case-sensitive= argument "${v}": Invalid argument` };
        a.caseSensitive = ['1', 'yes', 'y', 'true', 't', 'on'].includes(v);
        break;
      }
      // The fields -o cat prints: only MESSAGE= is modelled, and it is what cat prints anyway.
      case '--output-fields': if (value() === undefined) return { error: `journalctl: option '--output-fields' requires an argument` }; break;
      case '--no-pager': case '-x': case '--catalog': case '--no-hostname': case '--system': case '-l': case '--full': break;
      case '-xe': case '-ex': a.lines ??= 1000; break;
      case '-xeu': case '-eu': case '-xef': case '-fu': {
        if (arg.includes('f')) a.follow = true;
        if (arg.includes('e')) a.lines ??= 1000;
        if (arg.endsWith('u')) {
          const v = argv[++i];
          if (v === undefined) return { error: `journalctl: option requires an argument -- 'u'` };
          a.units.push(isGlob(v) ? v : mangleUnitName(v));
        }
        break;
      }
      default:
        if (arg.startsWith('-')) return { error: arg.startsWith('--') ? `journalctl: unrecognized option '${arg}'` : `journalctl: invalid option -- '${arg.slice(1, 2)}'` };
        return { error: `Failed to add match '${arg}': Invalid argument` };
    }
  }
  return a;
}

/** The `journalctl` command handler. */
export async function journalctl(argv: string[], io: CommandIO, system: System): Promise<number> {
  const parsed = parseArgs(argv.slice(1));
  if ('error' in parsed) {
    io.stderr(parsed.error + '\n');
    return 1;
  }
  const journal = system.manager.journal;
  const hostname = system.kernel.hostname;
  const matches = (e: JournalEntry): boolean =>
    (parsed.units.length === 0 || (e.unit !== undefined && parsed.units.some((u) => (isGlob(u) ? globMatch(u, e.unit!) : u === e.unit)))) &&
    (parsed.boot === undefined || e.boot === parsed.boot);
  const format = (e: JournalEntry): string => (parsed.output === 'cat' ? e.message : formatJournalLine(e, hostname));

  let pattern: RegExp | undefined;
  if (parsed.grep !== undefined) {
    // PCRE2 with journalctl's smart case: case-insensitive unless the pattern has an upper-case letter.
    const caseSensitive = parsed.caseSensitive ?? /\p{Lu}/u.test(parsed.grep);
    try {
      pattern = new RegExp(parsed.grep, caseSensitive ? 'u' : 'iu');
    } catch {
      io.stderr(`Bad pattern "${parsed.grep}": the pattern is not a regular expression this emulator can read\n`);
      return 1;
    }
  }
  const unitEntries = journal.entries.filter(matches);
  let entries = pattern ? unitEntries.filter((e) => pattern.test(e.message)) : unitEntries;
  const limit = parsed.lines ?? (parsed.follow ? 10 : undefined);
  if (limit !== undefined) entries = limit === 0 ? [] : entries.slice(-limit);
  if (parsed.reverse) entries = [...entries].reverse();
  let lastBoot: number | undefined;
  const lines: string[] = [];
  for (const entry of entries) {
    if (lastBoot !== undefined && entry.boot !== lastBoot && parsed.output === 'short') lines.push(`-- Boot ${bootId(entry.boot)} --`);
    lastBoot = entry.boot;
    lines.push(format(entry));
  }
  // "-- No entries --" is for a journal with nothing under the matches; entries that -g filtered out print nothing,
  // and journalctl 252 then exits 1 (scenario journal-and-list-formats).
  const grepFoundNothing = pattern !== undefined && unitEntries.length > 0 && lines.length === 0 && limit !== 0;
  if (lines.length === 0 && !grepFoundNothing && !parsed.quiet && !parsed.follow) io.stdout('-- No entries --\n');
  else if (lines.length > 0) io.stdout(lines.join('\n') + '\n');
  if (!parsed.follow) return grepFoundNothing ? 1 : 0;

  return new Promise<number>((resolve) => {
    const unsubscribe = journal.subscribe((entry) => {
      if (matches(entry) && (!pattern || pattern.test(entry.message))) io.stdout(format(entry) + '\n');
    });
    const stop = (): void => {
      unsubscribe();
      resolve(130);
    };
    if (io.signal.aborted) stop();
    else io.signal.addEventListener('abort', stop, { once: true });
  });
}

/** A stable 32-hex-digit boot id per boot number (journalctl prints it between boots). */
function bootId(boot: number): string {
  let h = 0x811c9dc5 ^ (boot + 1000);
  let out = '';
  for (let i = 0; i < 4; i++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

/**
 * The `journalctl` command: -u UNIT (repeatable), -n N, -f (follow until interrupted), -b [N], -r, -g PATTERN,
 * -S/--since, -U/--until, -o short|cat|verbose|json|json-pretty (journal-fields.ts), --output-fields=, --no-pager, -e, -x, -q; "-- No entries --" when
 * nothing matches the units (or -n 0).
 */
import { formatJournalLine } from '../manager/journal.ts';
import type { CommandIO, System } from '../system.ts';
import type { JournalEntry } from '../system-events.ts';
import { catalogLines } from './journal-catalog.ts';
import { formatJson, formatVerbose, type JournalFieldContext } from './journal-fields.ts';
import { SYSTEMD_VERSION_BANNER } from './systemctl-status.ts';
import { parseJournalTimestamp } from './journal-time.ts';
import { mangleUnitName } from './systemctl-args.ts';
import { globMatch, isGlob } from './systemctl-list.ts';

const OUTPUT_MODES = ['short', 'cat', 'verbose', 'json', 'json-pretty'] as const;
type OutputMode = (typeof OUTPUT_MODES)[number];

interface JournalctlArgs {
  units: string[];
  lines?: number;
  follow: boolean;
  boot?: number;
  output: OutputMode;
  /** --output-fields=: the fields verbose and json print (cat prints MESSAGE= anyway). */
  outputFields?: Set<string>;
  quiet: boolean;
  reverse: boolean;
  grep?: string;
  caseSensitive?: boolean;
  since?: string;
  until?: string;
  catalog: boolean;
  version?: boolean;
}

/** Short options that take a value: in a cluster (`-xeu x.service`, `-n5`) the rest of the word, or the next word. */
const VALUED_SHORT = 'unobgSU';

/** getopt's view of short option clusters: `-xef` → `-x -e -f`, `-xeuNAME` → `-x -e -uNAME`. */
function splitClusters(argv: string[]): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    if (!/^-[A-Za-z]{2,}/.test(arg) || VALUED_SHORT.includes(arg[1])) {
      out.push(arg);
      continue;
    }
    let j = 1;
    while (j < arg.length && !VALUED_SHORT.includes(arg[j])) out.push(`-${arg[j++]}`);
    if (j < arg.length) out.push(`-${arg.slice(j)}`);
  }
  return out;
}

function parseArgs(rawArgv: string[]): JournalctlArgs | { error: string } {
  const a: JournalctlArgs = { units: [], follow: false, output: 'short', quiet: false, reverse: false, catalog: false };
  const argv = splitClusters(rawArgv);
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline: string | undefined;
    if (arg.startsWith('--') && arg.includes('=')) {
      inline = arg.slice(arg.indexOf('=') + 1);
      arg = arg.slice(0, arg.indexOf('='));
    } else if (/^-[unobgSU]./.test(arg)) {
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
        if (!(OUTPUT_MODES as readonly string[]).includes(v ?? '')) return { error: `Unknown output format '${v}'.` };
        a.output = v as OutputMode;
        break;
      }
      case '-q': case '--quiet': a.quiet = true; break;
      case '-r': case '--reverse': a.reverse = true; break;
      case '-S': case '--since': case '-U': case '--until': {
        const v = value();
        if (v === undefined) return { error: arg.startsWith('--') ? `journalctl: option '${arg}' requires an argument` : `journalctl: option requires an argument -- '${arg.slice(1)}'` };
        if (arg === '-S' || arg === '--since') a.since = v;
        else a.until = v;
        break;
      }
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
      case '--output-fields': {
        const v = value();
        if (v === undefined) return { error: `journalctl: option '--output-fields' requires an argument` };
        a.outputFields = new Set(v.split(',').filter(Boolean));
        break;
      }
      case '-x': case '--catalog': a.catalog = true; break;
      case '--version': a.version = true; break;
      case '--no-pager': case '--no-hostname': case '--system': case '-l': case '--full': break;
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
  if (parsed.version) {
    io.stdout(SYSTEMD_VERSION_BANNER);
    return 0;
  }
  const now = system.kernel.clock.now();
  const since = parsed.since === undefined ? undefined : parseJournalTimestamp(parsed.since, now);
  const until = parsed.until === undefined ? undefined : parseJournalTimestamp(parsed.until, now);
  for (const [text, value] of [[parsed.since, since], [parsed.until, until]] as const) {
    if (text !== undefined && value === undefined) {
      io.stderr(`Failed to parse timestamp: ${text}\n`);
      return 1;
    }
  }
  if (since !== undefined && until !== undefined && since > until) {
    io.stderr('--since= must be before --until=.\n');
    return 1;
  }
  const inTime = (e: JournalEntry): boolean => (since === undefined || e.timestamp >= since) && (until === undefined || e.timestamp <= until);
  const journal = system.manager.journal;
  const hostname = system.kernel.hostname;
  const matches = (e: JournalEntry): boolean =>
    (parsed.units.length === 0 || (e.unit !== undefined && parsed.units.some((u) => (isGlob(u) ? globMatch(u, e.unit!) : u === e.unit)))) &&
    (parsed.boot === undefined || e.boot === parsed.boot);
  // The cursor's sequence numbers and each boot's start, found once (for verbose and json only).
  let positions: { seqnum: Map<JournalEntry, number>; bootStart: Map<number, number>; machineId: string } | undefined;
  const fieldContext = (e: JournalEntry): JournalFieldContext => {
    if (!positions) {
      positions = { seqnum: new Map(), bootStart: new Map(), machineId: machineId(system) };
      journal.entries.forEach((entry, n) => {
        positions!.seqnum.set(entry, n + 1);
        if (!positions!.bootStart.has(entry.boot)) positions!.bootStart.set(entry.boot, entry.timestamp);
      });
    }
    return {
      hostname,
      machineId: positions.machineId,
      bootId,
      seqnum: positions.seqnum.get(e) ?? journal.entries.length,
      bootTimestamp: positions.bootStart.get(e.boot) ?? e.timestamp,
    };
  };
  // -x adds the catalog's explanation under the short form's lines (-o cat prints messages only).
  const format = (e: JournalEntry): string => {
    switch (parsed.output) {
      case 'cat': return e.message;
      case 'verbose': return formatVerbose(e, fieldContext(e), parsed.outputFields);
      case 'json': case 'json-pretty': return formatJson(e, fieldContext(e), parsed.output === 'json-pretty', parsed.outputFields);
      default: return [formatJournalLine(e, hostname), ...(parsed.catalog ? catalogLines(e) : [])].join('\n');
    }
  };

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
  // Entries outside --since/--until, like those -g filters out, print nothing (no "-- No entries --").
  let entries = unitEntries.filter((e) => inTime(e) && (!pattern || pattern.test(e.message)));
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
  // "-- No entries --" is for a journal with nothing under the matches (or -n 0); entries that -g, --since or --until
  // left out print nothing, and -g that matched nothing exits 1 as grep does (scenarios journal-and-list-formats,
  // journalctl-since-until).
  const grepFoundNothing = pattern !== undefined && unitEntries.length > 0 && lines.length === 0 && limit !== 0;
  const noEntries = unitEntries.length === 0 || limit === 0;
  // With -o cat journalctl 252 prints nothing at all (`journalctl -u nothing.service -o cat` on Debian 12).
  if (lines.length === 0 && noEntries && !parsed.quiet && !parsed.follow && parsed.output !== 'cat') io.stdout('-- No entries --\n');
  else if (lines.length > 0) io.stdout(lines.join('\n') + '\n');
  if (!parsed.follow) return grepFoundNothing ? 1 : 0;

  return new Promise<number>((resolve) => {
    const unsubscribe = journal.subscribe((entry) => {
      if (matches(entry) && inTime(entry) && (!pattern || pattern.test(entry.message))) io.stdout(format(entry) + '\n');
    });
    const stop = (): void => {
      unsubscribe();
      resolve(130);
    };
    if (io.signal.aborted) stop();
    else io.signal.addEventListener('abort', stop, { once: true });
  });
}

/** The machine's /etc/machine-id, or a stable stand-in when it has none. */
function machineId(system: System): string {
  try {
    const id = system.kernel.fs.readFile('/etc/machine-id').trim();
    if (/^[0-9a-f]{32}$/.test(id)) return id;
  } catch {
    // no machine-id file: the stand-in below
  }
  return bootId(-1000);
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

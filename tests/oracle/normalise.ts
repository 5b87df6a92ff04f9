/**
 * The oracle's normalisation: what may differ between two runs of the same scenario, even on the same machine,
 * is replaced by a placeholder before outputs are compared. Nothing else is touched. The rules, in order:
 *
 *  1. PIDs: every number that appears as a process id somewhere in a run (`Main PID: N`, `Process: N`, `name[N]:`,
 *     the cgroup tree's `─N`, `LISTEN_PID=N`, `pid N`) becomes `<pid>` wherever it stands alone in that run's
 *     output (a program printing its own pid too); PID 1 stays.
 *  2. Times: calendar timestamps (`Tue 2026-12-01 08:07:34 UTC`) → `<date>`; journal line prefixes
 *     (`Dec 01 08:07:34 host `) → `<time> <host> `; `; 2min 3s ago` (and `; now`, which systemd prints for a
 *     zero distance only) → `; <ago> ago`; monotonic microseconds in `show` (`…Monotonic=123`) → `<usec>`; the
 *     run time in status's `Duration: 411us` → `<duration>`; curl's `after 12 ms` in its connect errors → `after <ms> ms`.
 *  3. Host names: the host in journal line prefixes (rule 2).
 *  4. Peer ports: ports of the kernel's ephemeral range (32768–60999) after an address (`127.0.0.1:45678`) → `<port>`.
 *  5. Inode and fd numbers: `socket:[N]`, `inode N`, and the inode columns of `ss -x` rows → `<inode>`; the fd
 *     numbers of `ss -p`'s `users:(("name",pid=N,fd=N))` → `fd=<fd>` (PID 1's fd numbers change from boot to boot).
 *     Trailing blanks are dropped (ss pads its columns to the widest row, which differs between runs). In an output
 *     with `ss -x` rows, runs of blanks count as one blank on every line: the inode numbers set those columns'
 *     widths, and they grow with the host's uptime (a recording with 7-digit inodes and one with 8 differ in every
 *     line's padding only).
 *  6. Accounting: the cgroup accounting lines of `status` (`Tasks:`, `Memory:`, `CPU:`, `IP:`, `IO:`) and PID 1's
 *     `x.service: Consumed 12ms CPU time.` journal line are dropped (a browser cannot know them).
 *  7. IDs: 32-hex-digit boot and invocation ids → `<id>`.
 *  8. File times in `ls -l` (`Dec  1 08:12`) → `<mtime>`.
 *  9. Journal order across sources: journald gets PID 1's lines and each service's stdout on separate streams, so
 *     how they interleave depends on scheduling, on real systemd as on the emulator. In `status` log tails and
 *     `journalctl` short output, each run of journal lines is sorted by source (systemd[1] first, then by name),
 *     keeping each source's own order; `journalctl -o cat` output (no source shown) is sorted as a whole.
 * 10. Set order: systemd keeps a unit's dependencies in hash sets, so their order changes from boot to boot: the
 *     words of `show`'s unit-list properties (`Before=`, `After=`, `Triggers=`, …) and the lines of status's
 *     `TriggeredBy:` and `Triggers:` fields are sorted.
 * 11. Job ids: the N of the catalog's `The job identifier is N` (journalctl -x) → `<job1>`, `<job2>`, … in the order
 *     the ids first appear in the run, so a restart's stop and start halves sharing one id, or a job's begin and
 *     done messages, still compare. systemd numbers every job of every transaction (each start of a unit with
 *     default dependencies allocates one per unit of sysinit.target's closure, ~50 on Debian 12, most dropped as
 *     redundant), so the values count the units of the whole machine, not anything the scenario did.
 */
import type { CommandRecord } from './scenario.ts';

const PID_PATTERNS: RegExp[] = [
  /Main PID: (\d+)/g,
  /Process: (\d+) /g,
  /\[(\d+)\]: /g,
  /[─└├]─?(\d+) /g,
  /LISTEN_PID=(\d+)/g,
  /\bpid[ =](\d+)/gi,
  /\bPID (\d+)/g,
];

/** The PIDs a run shows in its outputs (rule 1), without 1. */
export function pidsOf(records: CommandRecord[]): Set<number> {
  const pids = new Set<number>();
  for (const record of records) {
    for (const text of [record.stdout, record.stderr]) {
      for (const pattern of PID_PATTERNS) {
        for (const match of text.matchAll(pattern)) {
          const pid = Number(match[1]);
          if (pid > 1) pids.add(pid);
        }
      }
    }
  }
  return pids;
}

const JOB_ID = /(The job identifier is )(\d+)/g;

/** The job ids a run shows (rule 11), each with its placeholder in order of first appearance. */
export function jobIdsOf(records: CommandRecord[]): Map<number, string> {
  const ids = new Map<number, string>();
  for (const record of records) {
    for (const text of [record.stdout, record.stderr]) {
      for (const match of text.matchAll(JOB_ID)) {
        const id = Number(match[2]);
        if (!ids.has(id)) ids.set(id, `<job${ids.size + 1}>`);
      }
    }
  }
  return ids;
}

const ACCOUNTING = /^\s+(Tasks|Memory|CPU|IP|IO): /;
const CONSUMED = /: Consumed .* CPU time\.?$/;
const WEEKDAY_DATE = /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)? [A-Z]{2,5}\b/g;
const JOURNAL_PREFIX = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{2}:\d{2}:\d{2}(\.\d+)? \S+ /;
const AGO = /; (((\d+(\.\d+)?(y|month|w|d|h|min|s|ms|us)) ?)+ ago|now)(?=$|\s)/g;
const DURATION = /^(\s+Duration: ).+$/;
const MONOTONIC = /(Monotonic=)\d+/g;
const CURL_AFTER = /\b(Failed to connect to .* after )\d+( ms)/;
const EPHEMERAL_PORT = /((?:\d{1,3}\.){3}\d{1,3}|\]|\*|localhost|port ?):?(\d{5})\b/g;
const UNIT_LIST_PROPERTY = /^(Requires|Requisite|Wants|BindsTo|PartOf|Upholds|RequiredBy|RequisiteOf|WantedBy|BoundBy|UpheldBy|ConsistsOf|Conflicts|ConflictedBy|Before|After|OnSuccess|OnFailure|Triggers|TriggeredBy|PropagatesReloadTo|ReloadPropagatedFrom|PropagatesStopTo|StopPropagatedFrom|JoinsNamespaceOf|Names)=(.*)$/;
const SET_FIELD = /^ *(TriggeredBy|Triggers): /;

/** Rule 10: sorts the words of unit-list properties and the lines of TriggeredBy:/Triggers: fields. */
function orderSets(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const property = UNIT_LIST_PROPERTY.exec(lines[i]);
    if (property) {
      out.push(`${property[1]}=${property[2].split(' ').filter(Boolean).sort().join(' ')}`);
      continue;
    }
    const field = SET_FIELD.exec(lines[i]);
    if (!field) {
      out.push(lines[i]);
      continue;
    }
    const prefix = lines[i].slice(0, field[0].length);
    const values = [lines[i].slice(prefix.length)];
    while (i + 1 < lines.length && /^ {13}\S/.test(lines[i + 1]) && /^ {13}[●○×↻]/.test(lines[i + 1])) values.push(lines[++i].slice(13));
    values.sort();
    out.push(prefix + values[0], ...values.slice(1).map((value) => ' '.repeat(13) + value));
  }
  return out;
}
const HEX_ID = /\b[0-9a-f]{32}\b/g;
const LS_TIME = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d (\d{2}:\d{2}| \d{4})\b/;
const JOURNAL_LINE = /^<time> <host> ([^\s[:]+)(\[[^\]]*\])?: /;

/** Rule 9: sorts each run of journal lines by source, keeping each source's order. */
function orderJournalRuns(lines: string[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = (): void => {
    const source = (line: string): string => {
      const match = JOURNAL_LINE.exec(line)!;
      return match[1] === 'systemd' && match[2] === '[1]' ? '' : match[1];
    };
    out.push(...run.map((line, index) => ({ line, index })).sort((a, b) => source(a.line).localeCompare(source(b.line)) || a.index - b.index).map((entry) => entry.line));
    run = [];
  };
  for (const line of lines) {
    if (JOURNAL_LINE.test(line)) run.push(line);
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out;
}

/** A row of `ss -x` (rule 5). */
const UNIX_ROW = /^u_(str|dgr|seq)\b/;

/** One output normalised by the rules above; `pids` from pidsOf() and `jobs` from jobIdsOf() of the same run. */
export function normaliseText(text: string, pids: Set<number>, jobs: Map<number, string> = new Map()): string {
  const lines = text.split('\n').filter((line) => !ACCOUNTING.test(line) && !CONSUMED.test(line));
  const unixRows = lines.some((line) => UNIX_ROW.test(line));
  return lines
    .map((line) => {
      let out = line.replace(JOURNAL_PREFIX, '<time> <host> ');
      out = out.replace(DURATION, '$1<duration>').replace(WEEKDAY_DATE, '<date>').replace(AGO, '; <ago> ago').replace(MONOTONIC, '$1<usec>').replace(CURL_AFTER, '$1<ms>$2');
      out = out.replace(EPHEMERAL_PORT, (whole, host: string, port: string) => (Number(port) >= 32768 && Number(port) <= 60999 ? `${host}${host.startsWith('port') ? '' : ':'}<port>` : whole));
      out = out.replace(/(,fd=)\d+(?=\))/g, '$1<fd>').trimEnd();
      out = out.replace(/socket:\[\d+\]/g, 'socket:[<inode>]').replace(/\binode \d+/g, 'inode <inode>');
      if (/^[-dlspcb][-rwxsStT]{9}[.+]? /.test(out)) out = out.replace(LS_TIME, '<mtime>');
      if (UNIX_ROW.test(out)) out = out.replace(/(\s)\d{3,}(?=\s|$)/g, '$1<inode>');
      if (unixRows) out = out.replace(/ {2,}/g, ' ');
      out = out.replace(HEX_ID, '<id>');
      out = out.replace(JOB_ID, (whole, prefix: string, id: string) => prefix + (jobs.get(Number(id)) ?? '<job>'));
      if (pids.size > 0) {
        out = out.replace(/(?<![\d.:\-/<])\d+(?![\d./>])/g, (number) => (pids.has(Number(number)) ? '<pid>' : number));
      }
      return out;
    })
    .join('\n');
}

/** Rule 9 on one command's normalised stdout. */
function orderJournal(command: string, stdout: string): string {
  const lines = stdout.split('\n');
  if (/\bjournalctl\b/.test(command) && /(-o|--output)[= ]?cat\b/.test(command)) {
    const last = lines[lines.length - 1] === '' ? lines.pop() : undefined;
    lines.sort();
    if (last !== undefined) lines.push(last);
    return lines.join('\n');
  }
  return orderJournalRuns(lines).join('\n');
}

/** A run's records with stdout and stderr normalised. */
export function normaliseRecords(records: CommandRecord[]): CommandRecord[] {
  const pids = pidsOf(records);
  const jobs = jobIdsOf(records);
  return records.map((record) => ({
    ...record,
    stdout: orderSets(orderJournal(record.command, normaliseText(record.stdout, pids, jobs)).split('\n')).join('\n'),
    stderr: normaliseText(record.stderr, pids, jobs),
  }));
}

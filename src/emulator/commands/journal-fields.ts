/**
 * The fields of a journal entry as journald stores them, for `journalctl -o verbose`, `-o json` and `-o json-pretty`
 * (systemd 252, src/shared/logs-show.c): PID 1's messages with journald's trusted fields for init.scope, UNIT= and,
 * for its job messages, JOB_TYPE=, JOB_RESULT= and JOB_ID=; a service's output with _TRANSPORT=stdout and its unit's
 * cgroup. journald keeps the fields of an entry in hash order; the emulator prints them in one fixed order close to
 * what Debian 12 shows. Fields the emulator cannot know (CODE_LINE=, MESSAGE_ID=, INVOCATION_ID=, _CAP_EFFECTIVE= of
 * a service) are left out rather than made up.
 */
import { formatTimestamp } from '../manager/time-format.ts';
import type { JournalEntry } from '../system-events.ts';

/** What the fields need from the machine. */
export interface JournalFieldContext {
  hostname: string;
  machineId: string;
  bootId(boot: number): string;
  /** The entry's position in the journal (the cursor's i=). */
  seqnum: number;
  /** When the entry's boot began (ms), for __MONOTONIC_TIMESTAMP. */
  bootTimestamp: number;
}

/** The stored fields of `entry`, in the order verbose prints them. */
export function entryFields(entry: JournalEntry, ctx: JournalFieldContext): Array<[string, string]> {
  const common: Array<[string, string]> = [
    ['SYSLOG_FACILITY', '3'],
    ['_UID', '0'],
    ['_GID', '0'],
    ['_BOOT_ID', ctx.bootId(entry.boot)],
    ['_MACHINE_ID', ctx.machineId],
    ['_HOSTNAME', ctx.hostname],
    ['_RUNTIME_SCOPE', 'system'],
  ];
  const realtime = String(entry.timestamp * 1000);
  if (entry.pid === 1 && entry.identifier === 'systemd') {
    return [
      ...common,
      ['TID', '1'],
      ['SYSLOG_IDENTIFIER', 'systemd'],
      ...(entry.job ? [['JOB_TYPE', entry.job.type] as [string, string]] : []),
      ['_TRANSPORT', 'journal'],
      ['_PID', '1'],
      ['_COMM', 'systemd'],
      ['_EXE', '/usr/lib/systemd/systemd'],
      ['_CMDLINE', '/usr/lib/systemd/systemd'],
      ['_SYSTEMD_CGROUP', '/init.scope'],
      ['_SYSTEMD_UNIT', 'init.scope'],
      ['_SYSTEMD_SLICE', '-.slice'],
      ['PRIORITY', String(entry.priority)],
      ...(entry.job?.result ? [['JOB_RESULT', entry.job.result] as [string, string]] : []),
      ...(entry.unit ? [['UNIT', entry.unit] as [string, string]] : []),
      ...(entry.job ? [['JOB_ID', String(entry.job.id)] as [string, string]] : []),
      ['MESSAGE', entry.message],
      ['_SOURCE_REALTIME_TIMESTAMP', realtime],
    ];
  }
  const unit = entry.unit;
  return [
    ...common.slice(0, 1),
    ['PRIORITY', String(entry.priority)],
    ...common.slice(1),
    ['_TRANSPORT', 'stdout'],
    ['SYSLOG_IDENTIFIER', entry.identifier],
    ['MESSAGE', entry.message],
    ['_PID', String(entry.pid)],
    ['_COMM', entry.identifier],
    ...(unit
      ? ([['_SYSTEMD_CGROUP', `/system.slice/${unit}`], ['_SYSTEMD_UNIT', unit], ['_SYSTEMD_SLICE', 'system.slice']] as Array<[string, string]>)
      : []),
  ];
}

/** A 64-bit hex hash of a text (the cursor's x=, a stable stand-in for journald's entry hash). */
function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ text.charCodeAt(i), 0x2c1b3c6d) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** The entry's cursor: `s=SEQNUM_ID;i=SEQNUM;b=BOOT_ID;m=MONOTONIC;t=REALTIME;x=HASH` (hex numbers, µs). */
export function entryCursor(entry: JournalEntry, ctx: JournalFieldContext): string {
  const monotonic = Math.max(0, entry.timestamp - ctx.bootTimestamp) * 1000;
  const seqnumId = hash64(`${ctx.machineId}:seqnum`) + hash64(`${ctx.machineId}:seqnum:2`);
  return `s=${seqnumId};i=${ctx.seqnum.toString(16)};b=${ctx.bootId(entry.boot)};m=${monotonic.toString(16)};t=${(entry.timestamp * 1000).toString(16)};x=${hash64(`${ctx.seqnum}:${entry.message}`)}`;
}

/** `-o verbose`: the time with microseconds and the cursor, then each field indented by four spaces. */
export function formatVerbose(entry: JournalEntry, ctx: JournalFieldContext, only?: Set<string>): string {
  const time = formatTimestamp(entry.timestamp).replace(/ UTC$/, `.${String((entry.timestamp % 1000) * 1000).padStart(6, '0')} UTC`);
  const fields = entryFields(entry, ctx).filter(([name]) => !only || only.has(name));
  return [`${time} [${entryCursor(entry, ctx)}]`, ...fields.map(([name, value]) => `    ${name}=${value}`)].join('\n');
}

/** `-o json` (one line) and `-o json-pretty` (a tab per level, ` : ` between name and value): the fields and the cursor's. */
export function formatJson(entry: JournalEntry, ctx: JournalFieldContext, pretty: boolean, only?: Set<string>): string {
  const fields: Array<[string, string]> = [
    ['__CURSOR', entryCursor(entry, ctx)],
    ['__REALTIME_TIMESTAMP', String(entry.timestamp * 1000)],
    ['__MONOTONIC_TIMESTAMP', String(Math.max(0, entry.timestamp - ctx.bootTimestamp) * 1000)],
    ['_BOOT_ID', ctx.bootId(entry.boot)],
    ...entryFields(entry, ctx).filter(([name]) => name !== '_BOOT_ID' && (!only || only.has(name))),
  ];
  if (!pretty) return `{${fields.map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`).join(',')}}`;
  return ['{', fields.map(([name, value]) => `\t${JSON.stringify(name)} : ${JSON.stringify(value)}`).join(',\n'), '}'].join('\n');
}

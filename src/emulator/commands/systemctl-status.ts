/**
 * `systemctl status UNIT` laid out as systemd 252's print_status_info() (src/systemctl/systemctl-show.c).
 */
import { formatJournalLine } from '../manager/journal.ts';
import { unitFileState } from '../manager/install.ts';
import type { Manager } from '../manager/manager.ts';
import { PathUnit } from '../manager/path-unit.ts';
import { ServiceUnit } from '../manager/service-unit.ts';
import { SocketUnit, listenKindName } from '../manager/socket-unit.ts';
import { formatRelative, formatTimestamp } from '../manager/time-format.ts';
import type { Unit } from '../manager/unit.ts';
import type { ActiveState } from '../system-events.ts';

/** The glyph systemd 252 puts before a unit: ● active/activating/deactivating/reloading, ○ inactive, × failed. */
export function stateGlyph(state: ActiveState): string {
  if (state === 'failed') return '×';
  if (state === 'inactive') return '○';
  return '●';
}

/** A status field: label right-aligned in 11 columns, then `: `. */
function field(label: string, value: string): string {
  return `${label.padStart(11)}: ${value}`;
}

/** Continuation line of a multi-value field (13 columns of indent). */
function more(value: string): string {
  return `${' '.repeat(13)}${value}`;
}

/** The `Loaded:` value. */
function loadedText(manager: Manager, unit: Unit): string {
  const file = unit.file;
  if (file.loadState !== 'loaded') {
    return `${file.loadState}${file.loadError ? ` (Reason: ${file.loadError})` : ''}`;
  }
  const state = unitFileState(manager.kernel.fs, file);
  const parts = [file.fragmentPath ?? ''];
  if (state) parts.push(state);
  if (state === 'enabled' || state === 'disabled') parts.push('preset: enabled');
  return `loaded (${parts.join('; ')})`;
}

/** The `Active:` value. */
function activeText(manager: Manager, unit: Unit): string {
  let text = `${unit.activeState} (${unit.subState})`;
  if (unit.result && unit.result !== 'success') text += ` (Result: ${unit.result})`;
  if (unit.everChanged) {
    const now = manager.kernel.clock.now();
    text += ` since ${formatTimestamp(unit.stateChangeTimestamp)}; ${formatRelative(unit.stateChangeTimestamp, now)}`;
  }
  return text;
}

/** Groups drop-in paths by directory, as the `Drop-In:` field shows them. */
function dropInLines(paths: string[]): string[] {
  const byDir = new Map<string, string[]>();
  for (const path of paths) {
    const dir = path.slice(0, path.lastIndexOf('/'));
    byDir.set(dir, [...(byDir.get(dir) ?? []), path.slice(path.lastIndexOf('/') + 1)]);
  }
  const lines: string[] = [];
  let first = true;
  for (const [dir, names] of byDir) {
    lines.push(first ? field('Drop-In', dir) : more(dir));
    first = false;
    lines.push(more(`└─${names.join(', ')}`));
  }
  return lines;
}

/** The status block of one unit, followed by its last journal lines. */
export function formatStatus(manager: Manager, unit: Unit, journalLines = 10): string {
  const lines: string[] = [];
  const title = unit.description !== unit.name ? `${unit.name} - ${unit.description}` : unit.name;
  lines.push(`${stateGlyph(unit.activeState)} ${title}`);
  lines.push(field('Loaded', loadedText(manager, unit)));
  if (unit.file.dropInPaths.length > 0) lines.push(...dropInLines(unit.file.dropInPaths));
  lines.push(field('Active', activeText(manager, unit)));

  const triggeredBy = manager.triggeredByOf(unit);
  triggeredBy.forEach((name, i) => {
    const other = manager.getUnit(name);
    const text = `${stateGlyph(other?.activeState ?? 'inactive')} ${name}`;
    lines.push(i === 0 ? field('TriggeredBy', text) : more(text));
  });
  const triggers = unit instanceof SocketUnit || unit instanceof PathUnit ? unit.triggers() : [];
  triggers.forEach((name, i) => {
    const other = manager.getUnit(name);
    const text = `${stateGlyph(other?.activeState ?? 'inactive')} ${name}`;
    lines.push(i === 0 ? field('Triggers', text) : more(text));
  });
  unit.file.unit.documentation.forEach((doc, i) => lines.push(i === 0 ? field('Docs', doc) : more(doc)));
  if (unit instanceof SocketUnit) {
    unit.config.listen.forEach((address, i) => {
      const text = `${address.text} (${listenKindName(address)})`;
      lines.push(i === 0 ? field('Listen', text) : more(text));
    });
    if (unit.config.accept) {
      let text = `Accepted: ${unit.nAccepted}; Connected: ${unit.nConnections};`;
      if (unit.nRefused > 0) text += ` Refused: ${unit.nRefused}`;
      lines.push(`${' '.repeat(3)}${text}`);
    }
  }
  if (unit instanceof ServiceUnit) {
    const main = unit.mainProcess;
    if (main) lines.push(field('Main PID', `${main.pid} (${basename(main.argv[0] ?? '')})`));
    const processes = [main, unit.controlProcess].filter((p) => p !== undefined);
    if (processes.length > 0) {
      lines.push(field('CGroup', `/system.slice/${unit.name}`));
      processes.forEach((p, i) => lines.push(more(`${i === processes.length - 1 ? '└─' : '├─'}${p.pid} ${p.argv.join(' ')}`)));
    }
  }

  const entries = manager.journal.entries.filter((e) => e.unit === unit.name && e.boot === 0);
  const tail = journalLines > 0 ? entries.slice(-journalLines) : [];
  if (tail.length > 0) {
    lines.push('');
    for (const entry of tail) lines.push(formatJournalLine(entry, manager.kernel.hostname));
  }
  return lines.join('\n') + '\n';
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

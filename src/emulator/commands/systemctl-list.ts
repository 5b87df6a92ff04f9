/** `systemctl list-units` and `systemctl list-sockets`, laid out as systemd 252 prints them. */
import type { Manager } from '../manager/manager.ts';
import { SocketUnit } from '../manager/socket-unit.ts';
import type { Unit } from '../manager/unit.ts';
import { formatTable } from './systemctl-table.ts';

function byTypeThenName(a: Unit, b: Unit): number {
  const sa = a.name.slice(a.name.lastIndexOf('.') + 1);
  const sb = b.name.slice(b.name.lastIndexOf('.') + 1);
  return sa.localeCompare(sb) || a.name.localeCompare(b.name);
}

/** Shell-style glob match (`*`, `?`) for unit patterns. */
export function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return re.test(name);
}

/** list-units: a table of loaded units (active ones, or all with --all), with the legend. */
export function listUnits(manager: Manager, options: { all: boolean; types: string[]; states: string[]; patterns: string[]; legend: boolean }): string {
  const units = [...manager.units.values()]
    .filter((u) => options.all || u.activeState !== 'inactive' || u.job)
    .filter((u) => options.types.length === 0 || options.types.includes(u.file.type))
    .filter((u) => options.states.length === 0 || options.states.some((s) => [u.file.loadState, u.activeState, u.subState].includes(s)))
    .filter((u) => options.patterns.length === 0 || options.patterns.some((p) => globMatch(p, u.name)))
    .sort(byTypeThenName);
  const withJobs = units.some((u) => u.job);
  const rows: string[][] = [];
  if (options.legend) rows.push(withJobs ? ['UNIT', 'LOAD', 'ACTIVE', 'SUB', 'JOB', 'DESCRIPTION'] : ['UNIT', 'LOAD', 'ACTIVE', 'SUB', 'DESCRIPTION']);
  for (const u of units) {
    const row = [u.name, u.file.loadState, u.activeState, u.subState];
    if (withJobs) row.push(u.job?.type ?? '');
    row.push(u.description);
    rows.push(row);
  }
  const lines = formatTable(rows).map((line, i) => {
    const unit = options.legend ? units[i - 1] : units[i];
    const marked = unit && (unit.file.loadState !== 'loaded' || unit.activeState === 'failed');
    return `${marked ? '●' : ' '} ${line}`;
  });
  if (options.legend) {
    if (units.length === 0) lines.length = 0;
    else lines.push('');
    if (units.length > 0) {
      lines.push('LOAD   = Reflects whether the unit definition was properly loaded.');
      lines.push('ACTIVE = The high-level unit activation state, i.e. generalization of SUB.');
      lines.push('SUB    = The low-level unit activation state, values depend on unit type.');
      if (withJobs) lines.push('JOB    = Pending job for the unit.');
    }
    lines.push(options.all
      ? `${units.length} loaded units listed.`
      : `${units.length} loaded units listed. Pass --all to see loaded but inactive units, too.`);
    lines.push("To show all installed unit files use 'systemctl list-unit-files'.");
  }
  return lines.map((l) => l.replace(/\s+$/, '')).join('\n') + '\n';
}

/** list-sockets: one row per listen address of active sockets (all with --all). */
export function listSockets(manager: Manager, options: { all: boolean; patterns: string[]; legend: boolean }): string {
  const rows: Array<{ listen: string; unit: string; activates: string }> = [];
  for (const unit of manager.units.values()) {
    if (!(unit instanceof SocketUnit)) continue;
    if (!options.all && unit.activeState !== 'active') continue;
    if (options.patterns.length > 0 && !options.patterns.some((p) => globMatch(p, unit.name))) continue;
    const triggers = unit.triggers();
    for (const address of unit.config.listen) {
      rows.push({ listen: address.text, unit: unit.name, activates: triggers.length > 0 ? triggers.join(', ') : '-' });
    }
  }
  rows.sort((a, b) => a.listen.localeCompare(b.listen) || a.unit.localeCompare(b.unit));
  const table: string[][] = [];
  if (options.legend) table.push(['LISTEN', 'UNIT', 'ACTIVATES']);
  for (const r of rows) table.push([r.listen, r.unit, r.activates]);
  const lines = rows.length > 0 || !options.legend ? formatTable(table) : [];
  if (options.legend) {
    if (rows.length > 0) lines.push('');
    lines.push(`${rows.length} sockets listed.`);
    if (!options.all) lines.push('Pass --all to see loaded but inactive sockets, too.');
  }
  return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}

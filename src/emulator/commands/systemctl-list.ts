/** `systemctl list-units` and `systemctl list-sockets`, laid out as systemd 252 prints them. */
import { SEARCH_PATHS } from '../manager/unit-registry.ts';
import type { Manager } from '../manager/manager.ts';
import { unitFileState } from '../manager/install.ts';
import { SocketUnit, listenKindName } from '../manager/socket-unit.ts';
import type { Unit } from '../manager/unit.ts';
import { formatTable } from './systemctl-table.ts';

/** unit_info_compare(): by type suffix, then by name, both with strcasecmp() (bytes, not locale order). */
function byTypeThenName(a: Unit, b: Unit): number {
  const ci = (x: string, y: string): number => byteCompare(x.toLowerCase(), y.toLowerCase());
  return ci(a.name.slice(a.name.lastIndexOf('.')), b.name.slice(b.name.lastIndexOf('.'))) || ci(a.name, b.name);
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when a unit name argument is a glob pattern (string_is_glob(): contains `*`, `?` or `[`). */
export function isGlob(text: string): boolean {
  return /[*?[]/.test(text);
}

/** fnmatch(3) without flags for unit patterns: `*`, `?`, `[a-z]`/`[!x]` classes, `\\` escapes. */
export function globMatch(pattern: string, name: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\' && i + 1 < pattern.length) re += escapeRegExp(pattern[++i]);
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, close);
        const negate = body.startsWith('!') || body.startsWith('^');
        if (negate) body = body.slice(1);
        re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
        i = close;
      }
    } else re += escapeRegExp(c);
  }
  return new RegExp(`${re}$`).test(name);
}

function escapeRegExp(c: string): string {
  return c.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
}

/** list-units: a table of loaded units (active ones, or all with --all), with the legend. */
export function listUnits(manager: Manager, options: { all: boolean; types: string[]; states: string[]; patterns: string[]; legend: boolean }): string {
  const units = [...manager.units.values()]
    .filter((u) => options.all || options.states.length > 0 || u.activeState !== 'inactive' || u.job)
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
  // The glyph column is the table's first column, one character wide even when no row is listed (systemd 252
  // prints "  UNIT LOAD ACTIVE SUB DESCRIPTION" for a pattern that matches nothing).
  const glyphs = units.map((u) => (u.file.loadState !== 'loaded' || u.activeState === 'failed' ? '●' : ' '));
  const table = formatTable(options.legend ? [[' ', ...rows[0]], ...rows.slice(1).map((r, i) => [glyphs[i], ...r])] : rows.map((r, i) => [glyphs[i], ...r]));
  const lines = table;
  if (options.legend) {
    // output_units_list(): the legend only with rows; "JOB" adds an empty line after it (puts() of a string ending in \n).
    if (units.length > 0) {
      lines.push('');
      lines.push('LOAD   = Reflects whether the unit definition was properly loaded.');
      lines.push('ACTIVE = The high-level unit activation state, i.e. generalization of SUB.');
      lines.push('SUB    = The low-level unit activation state, values depend on unit type.');
      if (withJobs) lines.push('JOB    = Pending job for the unit.', '');
    }
    if (options.all || options.states.includes('inactive')) {
      lines.push(`${units.length} loaded units listed.`);
      lines.push("To show all installed unit files use 'systemctl list-unit-files'.");
    } else if (options.states.length === 0) {
      lines.push(`${units.length} loaded units listed. Pass --all to see loaded but inactive units, too.`);
      lines.push("To show all installed unit files use 'systemctl list-unit-files'.");
    } else lines.push(`${units.length} loaded units listed.`);
  }
  // --no-legend with nothing to list prints nothing at all (scenario real-sshd-inetd on systemd 252).
  if (lines.length === 0) return '';
  return lines.map((l) => l.replace(/\s+$/, '')).join('\n') + '\n';
}

/** list-sockets: one row per listen address of active sockets (all with --all). */
export function listSockets(manager: Manager, options: { all: boolean; patterns: string[]; legend: boolean; showTypes?: boolean }): string {
  const rows: Array<{ listen: string; type: string; unit: string; activates: string[] }> = [];
  for (const unit of manager.units.values()) {
    if (!(unit instanceof SocketUnit)) continue;
    if (!options.all && unit.activeState !== 'active') continue;
    if (options.patterns.length > 0 && !options.patterns.some((p) => globMatch(p, unit.name))) continue;
    const triggers = unit.triggers();
    for (const address of unit.config.listen) {
      rows.push({ listen: address.text, type: listenKindName(address), unit: unit.name, activates: triggers.length > 0 ? triggers : ['-'] });
    }
  }
  // socket_info_compare(): strcmp() on the address (byte order, not locale order), then the type.
  rows.sort((a, b) => byteCompare(a.listen, b.listen) || byteCompare(a.type, b.type));
  const table: string[][] = [];
  // --show-types adds the TYPE column (Stream, Datagram, FIFO…) after LISTEN.
  const typed = (listen: string, type: string, rest: string[]): string[] => (options.showTypes ? [listen, type, ...rest] : [listen, ...rest]);
  if (options.legend) table.push(typed('LISTEN', 'TYPE', ['UNIT', 'ACTIVATES']));
  // Several triggered units (Accept=yes instances) form a TABLE_STRV cell: one name per line, other columns blank.
  for (const r of rows) {
    table.push(typed(r.listen, r.type, [r.unit, r.activates[0]]));
    for (const more of r.activates.slice(1)) table.push(typed('', '', ['', more]));
  }
  // The header is printed even when no socket is listed; output_legend() always starts with an empty line.
  const lines = formatTable(table);
  if (options.legend) {
    lines.push('');
    lines.push(`${rows.length} sockets listed.`);
    if (!options.all) lines.push('Pass --all to see loaded but inactive sockets, too.');
  }
  return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}

/** One row of list-unit-files. */
export interface UnitFileRow {
  name: string;
  state: string;
  /** `enabled` (Debian presets enable everything) or undefined where systemctl prints `-`. */
  preset?: string;
}

/** Unit file states for which list-unit-files prints no preset (show_preset_for_state()). */
const NO_PRESET = new Set(['alias', 'static', 'generated', 'transient']);

/** Every unit file in the search paths (first path wins for a name), filtered as unit_file_get_list() does. */
export function listUnitFiles(manager: Manager, options: { patterns: string[]; types: string[]; states: string[] }): UnitFileRow[] {
  const fs = manager.kernel.fs;
  const seen = new Set<string>();
  const rows: UnitFileRow[] = [];
  for (const dir of manager.searchPaths) {
    let entries: string[] = [];
    try {
      entries = fs.readdir(dir);
    } catch {
      continue;
    }
    for (const name of entries) {
      if (seen.has(name) || !/\.(service|socket|path|target)$/.test(name)) continue;
      const stat = fs.stat(`${dir}/${name}`);
      if (stat?.type !== 'file') continue;
      seen.add(name);
      if (options.patterns.length > 0 && !options.patterns.some((p) => globMatch(p, name))) continue;
      if (options.types.length > 0 && !options.types.includes(name.slice(name.lastIndexOf('.') + 1))) continue;
      const state = unitFileState(fs, manager.peekUnitFile(name), undefined, manager.configDir) || 'bad';
      if (options.states.length > 0 && !options.states.includes(state)) continue;
      rows.push({ name, state, preset: NO_PRESET.has(state) ? undefined : 'enabled' });
    }
  }
  // compare_unit_file_list(): by type suffix, then by name, case-insensitively.
  const ci = (a: string, b: string): number => byteCompare(a.toLowerCase(), b.toLowerCase());
  return rows.sort((a, b) => ci(a.name.slice(a.name.lastIndexOf('.')), b.name.slice(b.name.lastIndexOf('.'))) || ci(a.name, b.name));
}

/** output_unit_file_list(): `UNIT FILE STATE PRESET`, `-` for no preset, then "N unit files listed.". */
export function formatUnitFileList(rows: UnitFileRow[], legend: boolean): string {
  const table: string[][] = legend ? [['UNIT FILE', 'STATE', 'PRESET']] : [];
  for (const r of rows) table.push([r.name, r.state, r.preset ?? '-']);
  const lines = formatTable(table);
  if (legend) lines.push('', `${rows.length} unit files listed.`);
  return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}

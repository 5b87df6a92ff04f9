/**
 * Loads a unit by name through the kernel FileSystem: search path, templates and instances, drop-ins,
 * masking, the directive table, and the load-time checks (socket_verify / service_verify) with systemd's words.
 */
import type { FileSystem } from '../kernel/kernel.ts';
import type { Diagnostic, UnitFile, UnitType, SocketSection, ServiceSection, PathSection } from './unit-types.ts';
import { parseConfText } from './conf-parser.ts';
import { findDirective, isKnownKey, sectionsFor, type DirectiveContext } from './directive-table.ts';
import { LISTEN_TYPES } from './listen-types.ts';
import { parseUnitName, templateOf, unitTypeOf, withSuffix } from './unit-name.ts';
import type { SpecifierUser } from './specifiers.ts';

/** Where units are looked up, in priority order (systemd's system scope; of the generators' dirs the normal one, which a lab machine's Debian base fills). */
export const DEFAULT_SEARCH_PATHS: readonly string[] = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/run/systemd/generator',
  '/usr/local/lib/systemd/system',
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
];

/** What PID 1 logs when a setting's error makes the whole unit unusable (load_fragment() returned -ENOEXEC). */
export const FATAL_CONFIGURATION = 'Unit configuration has fatal error, unit will not be started.';

/** The reason line systemd gives for each failed load state. */
export function loadErrorText(name: string, state: UnitFile['loadState']): string | undefined {
  switch (state) {
    case 'not-found': return `Unit ${name} not found.`;
    case 'bad-setting': return `Unit ${name} has a bad unit file setting.`;
    case 'masked': return `Unit ${name} is masked.`;
    case 'error': return `Unit ${name} failed to load properly, please adjust/correct and reload service manager: Bad message`;
    default: return undefined;
  }
}

/** Why a unit cannot be started, in the words of the bus error (bus_unit_validate_load_state()). */
export function loadFailureReason(file: Pick<UnitFile, 'name' | 'loadState' | 'loadError'>): string {
  return file.loadError ?? loadErrorText(file.name, file.loadState) ?? `Unit ${file.name} failed to load.`;
}

function defaultSocket(): SocketSection {
  return {
    listen: [], accept: false, backlog: 2147483647 /* SOMAXCONN_DELUXE (INT_MAX) */, maxConnections: 64, maxConnectionsPerSource: 0,
    socketUser: 'root', socketGroup: 'root', socketMode: 0o666, directoryMode: 0o755, removeOnStop: false,
    bindIPv6Only: 'default', passCredentials: false, freeBind: false, symlinks: [],
    execStartPre: [], execStartPost: [], execStopPre: [], execStopPost: [],
  };
}

function defaultService(): ServiceSection {
  return {
    type: 'simple', typeDefaulted: true, execStart: [], execStartPre: [], execStartPost: [], execStop: [], execReload: [],
    execCondition: [], execStopPost: [], restart: 'no', restartMs: 100, environment: [], environmentFiles: [],
    standardInput: 'null', standardOutput: 'inherit', standardError: 'inherit', timeoutStartMs: 90_000, timeoutStopMs: 90_000, sockets: [],
  };
}

function defaultPath(): PathSection {
  return { pathExists: [], pathExistsGlob: [], pathChanged: [], pathModified: [], directoryNotEmpty: [], makeDirectory: false, directoryMode: 0o755 };
}

/** An empty UnitFile of the right type, with systemd's defaults. */
export function emptyUnit(name: string, type: UnitType): UnitFile {
  const parts = parseUnitName(name);
  return {
    name, type, prefix: parts?.prefix ?? name.slice(0, name.lastIndexOf('.')), instance: parts?.instance,
    dropInPaths: [], loadState: 'loaded',
    unit: { documentation: [], requires: [], wants: [], after: [], before: [], partOf: [], conflicts: [], conditionPathExists: [] },
    install: { wantedBy: [], requiredBy: [], also: [], alias: [] },
    socket: type === 'socket' ? defaultSocket() : undefined,
    service: type === 'service' ? defaultService() : undefined,
    path: type === 'path' ? defaultPath() : undefined,
    diagnostics: [],
  };
}

function join(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** The first existing fragment for `name` (or its template), and whether it is masked. */
function findFragment(fs: FileSystem, name: string, searchPaths: readonly string[]): { path: string; masked: boolean } | undefined {
  const candidates = [name, templateOf(name)].filter((n): n is string => n !== undefined);
  for (const candidate of candidates) {
    for (const dir of searchPaths) {
      const path = join(dir, candidate);
      const st = fs.lstat(path);
      if (!st) continue;
      if (st.type === 'symlink') {
        const target = fs.readlink(path);
        if (target === '/dev/null') return { path, masked: true };
        if (!fs.stat(path)) continue; // dangling link
      }
      if (st.type === 'directory') continue;
      return { path, masked: false };
    }
  }
  return undefined;
}

/** Drop-in files (`name.d/*.conf`, then the template's), one per file name (higher-priority dir wins), in name order. */
function findDropIns(fs: FileSystem, name: string, searchPaths: readonly string[]): string[] {
  const byName = new Map<string, string>();
  const names = [templateOf(name), name].filter((n): n is string => n !== undefined);
  for (const unitName of names) {
    for (const dir of searchPaths) {
      const d = join(dir, `${unitName}.d`);
      const st = fs.stat(d);
      if (!st || st.type !== 'directory') continue;
      for (const entry of fs.readdir(d)) {
        if (!entry.endsWith('.conf') || byName.has(entry)) continue;
        const file = join(d, entry);
        const fst = fs.stat(file);
        if (fst && fst.type === 'file') byName.set(entry, file);
      }
    }
  }
  return [...byName.keys()].sort().map((k) => byName.get(k)!);
}

/** Options for loadUnit. */
export interface LoadOptions {
  hostname?: string;
  /** The user whose manager loads the unit (systemd --user): %t, %h, %u… expand for them. */
  user?: SpecifierUser;
}

/** Loads `name` (e.g. `foo.socket`, `sshd@1.service`) from the first search path that has it. */
export function loadUnit(name: string, fs: FileSystem, searchPaths: readonly string[] = DEFAULT_SEARCH_PATHS, options: LoadOptions = {}): UnitFile {
  const type = unitTypeOf(name);
  if (!type) throw new Error(`loadUnit: ${name} is not a .service, .socket, .path or .target unit name`);
  const unit = emptyUnit(name, type);
  const fragment = findFragment(fs, name, searchPaths);
  if (!fragment) {
    unit.loadState = 'not-found';
    unit.loadError = loadErrorText(name, 'not-found');
    return unit;
  }
  unit.fragmentPath = fragment.path;
  if (fragment.masked || fs.readFile(fragment.path).length === 0) {
    unit.loadState = 'masked';
    unit.loadError = loadErrorText(name, 'masked');
    return unit;
  }
  unit.dropInPaths = findDropIns(fs, name, searchPaths);
  let fatal = false;
  for (const file of [fragment.path, ...unit.dropInPaths]) {
    const result = applyFile(unit, file, fs.readFile(file), options);
    if (result === 'error') {
      unit.loadState = 'error';
      unit.loadError = loadErrorText(name, 'error');
      return unit;
    }
    fatal ||= result === 'fatal';
  }
  const refuse = (message: string): UnitFile => {
    unit.diagnostics.push({ file: fragment.path, unit: name, message, severity: 'error' });
    unit.loadState = 'bad-setting';
    unit.loadError = loadErrorText(name, 'bad-setting');
    return unit;
  };
  if (fatal) return refuse(FATAL_CONFIGURATION);
  const refusal = type === 'socket' ? socketRefusal(unit) : type === 'service' ? serviceRefusal(unit) : type === 'path' ? pathRefusal(unit) : undefined;
  if (refusal) return refuse(refusal);
  return unit;
}

/** Parses one file (fragment or drop-in) into the unit; 'error' when it cannot be parsed at all. */
export function applyFile(unit: UnitFile, file: string, text: string, options: LoadOptions = {}): 'ok' | 'fatal' | 'error' {
  let fatal = false;
  const sections = sectionsFor(unit.type);
  for (const event of parseConfText(text, sections)) {
    if (event.kind === 'section') continue;
    if (event.kind === 'message') {
      unit.diagnostics.push({ file, line: event.line, message: event.message, severity: event.fatal ? 'error' : 'warning' });
      if (event.fatal) return 'error';
      continue;
    }
    const section = event.section;
    const directive = findDirective(section, event.key);
    if (!directive) {
      if (!isKnownKey(section, event.key) && !event.key.startsWith('X-')) {
        unit.diagnostics.push({ file, line: event.line, message: `Unknown key '${event.key}' in section [${section}], ignoring.`, severity: 'warning' });
      }
      continue;
    }
    const ctx: DirectiveContext = {
      unit, section, key: event.key, value: event.value,
      spec: { name: unit.name, hostname: options.hostname, user: options.user },
      field: directive.field,
      warn: (message) => unit.diagnostics.push({ file, line: event.line, message, severity: 'warning' }),
      fatal: (message) => {
        unit.diagnostics.push({ file, line: event.line, message, severity: 'error' });
        fatal = true;
      },
    };
    directive.parse(ctx);
    if (directive.modelled !== true && event.value !== '') {
      (unit.notes ??= []).push({ file, line: event.line, message: notModelledMessage(event.key, directive.modelled), severity: 'warning' });
    }
  }
  return fatal ? 'fatal' : 'ok';
}

/** socket_verify(): the first refusal, or undefined. */
function socketRefusal(unit: UnitFile): string | undefined {
  const s = unit.socket!;
  if (s.listen.length === 0 && !s.otherListen) return 'Unit has no Listen setting (ListenStream=, ListenDatagram=, ListenFIFO=, ...). Refusing.';
  const nonAccepting = (s.otherListen ?? 0) > 0 || s.listen.some((l) => !LISTEN_TYPES[l.kind].accepting);
  if (s.accept && nonAccepting) return 'Unit configured for accepting sockets, but sockets are non-accepting. Refusing.';
  if (s.accept && s.maxConnections <= 0) return 'MaxConnection= setting too small. Refusing.';
  if (s.accept && s.service) return 'Explicit service configuration for accepting socket units not supported. Refusing.';
  const nodes = s.listen.filter((l) => l.family === 'unix' || l.family === 'fifo');
  if (s.symlinks.length > 0 && nodes.length !== 1) return 'Unit has symlinks set but none or more than one node in the file system. Refusing.';
  return undefined;
}

/** path_verify(): a path unit with nothing to watch. */
function pathRefusal(unit: UnitFile): string | undefined {
  const p = unit.path!;
  const specs = p.pathExists.length + p.pathExistsGlob.length + p.pathChanged.length + p.pathModified.length + p.directoryNotEmpty.length;
  return specs === 0 ? 'Path unit lacks path setting. Refusing.' : undefined;
}

/** service_verify() after service_add_extras() picked the default Type=. */
function serviceRefusal(unit: UnitFile): string | undefined {
  const s = unit.service!;
  const hasStart = s.execStart.length > 0;
  if (s.typeDefaulted && !hasStart) s.type = 'oneshot';
  if (!hasStart && s.execStop.length === 0) return 'Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.';
  if (s.type !== 'oneshot' && !hasStart) return 'Service has no ExecStart= setting, which is only allowed for Type=oneshot services. Refusing.';
  if (!s.remainAfterExit && !hasStart) return 'Service has no ExecStart= and no SuccessAction= settings and does not have RemainAfterExit=yes set. Refusing.';
  if (s.type !== 'oneshot' && s.execStart.length > 1) return 'Service has more than one ExecStart= setting, which is only allowed for Type=oneshot services. Refusing.';
  if (s.type === 'oneshot' && (s.restart === 'always' || s.restart === 'on-success')) return "Service has Restart= set to either always or on-success, which isn't allowed for Type=oneshot services. Refusing.";
  return undefined;
}

/** The unit a .path unit triggers: Unit= or the same name with .service. */
export function triggeredPathUnitName(pathUnit: UnitFile): string {
  return pathUnit.path?.unit ?? withSuffix(pathUnit.name, 'service');
}

/** Formats a diagnostic as systemd prints it: `FILE:LINE: message` or `UNIT: message`. */
export function formatDiagnostic(d: Diagnostic): string {
  return d.line !== undefined ? `${d.file}:${d.line}: ${d.message}` : `${d.unit ?? d.file}: ${d.message}`;
}

/** The emulator's note for a key it parses but does not act on (real systemd prints nothing here). */
export function notModelledMessage(key: string, effect: string): string {
  return `[emulator] ${key}= is accepted but not modelled: ${effect}.`;
}

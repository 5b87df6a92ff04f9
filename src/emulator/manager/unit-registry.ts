/**
 * The loaded units (the manager's `units` hashmap in src/core/manager.c) and how they get there:
 * manager_load_unit() through the unit-file layer, aliases (unit_file_build_name_map(), unit_add_name()),
 * `.wants/`/`.requires/` directories (unit_load_dropin()), the unit type table (unit_vtable[]), re-reading
 * on daemon-reload, and the reverse lookups kept in step with the units (who triggers whom, who declares
 * Conflicts=).
 */
import type { FileSystem, Kernel } from '../kernel/kernel.ts';
import { DEFAULT_SEARCH_PATHS, emptyUnit, formatDiagnostic } from '../unit-file/unit-loader.ts';
import { unitTypeOf } from '../unit-file/unit-name.ts';
import type { ModelledUnitType, UnitFile, UnitType } from '../unit-file/unit-types.ts';
import { PRIORITY } from './journal.ts';
import { bootEntryOf, isBaseUnit, type BootState } from './boot-state.ts';
import { PathUnit } from './path-unit.ts';
import { SnapshotUnit } from './snapshot-unit.ts';
import { ServiceUnit } from './service-unit.ts';
import { SliceUnit, builtinSlice } from './slice-unit.ts';
import { SocketUnit } from './socket-unit.ts';
import { TargetUnit, builtinTarget } from './target-unit.ts';
import { isInactiveOrFailed } from './unit-def.ts';
import type { ManagerContext, Unit } from './unit.ts';

/** Loads one unit by name from the search paths (the unit-file layer's loadUnit). */
export type UnitLoader = (name: string, fs: FileSystem, searchPaths: readonly string[]) => UnitFile;

/** Where unit files are looked up, highest priority first (systemd's system search path). */
export const SEARCH_PATHS = DEFAULT_SEARCH_PATHS;

/** A unit class: what unit_vtable[] holds for each type. */
type UnitClass = new (file: UnitFile, ctx: ManagerContext) => Unit;

/** unit_vtable[]: the class of each unit type. */
const UNIT_VTABLE: Record<ModelledUnitType, UnitClass> = {
  service: ServiceUnit,
  socket: SocketUnit,
  path: PathUnit,
  target: TargetUnit,
  slice: SliceUnit,
};

/**
 * The class a loaded file becomes. A unit that did not load (not-found, masked, error) has no section to run:
 * it is kept as a stand-in with no behaviour (a TargetUnit), whatever its type. No job runs for either.
 */
export function unitClassFor(file: UnitFile): UnitClass {
  // A unit refused at load time (bad-setting) keeps its type: status still shows its Triggers: and Listen: lines.
  if (file.loadState !== 'loaded' && file.loadState !== 'bad-setting') return TargetUnit;
  const type = file.type as ModelledUnitType;
  if (!(type in UNIT_VTABLE) || (type !== 'target' && type !== 'slice' && !file[type])) return TargetUnit;
  return UNIT_VTABLE[type];
}

/** A placeholder UnitFile for a unit that could not be loaded. */
function emptyUnitFile(name: string, loadState: UnitFile['loadState'], loadError?: string): UnitFile {
  const file = emptyUnit(name, unitTypeOf(name) ?? 'service');
  file.loadState = loadState;
  file.loadError = loadError;
  file.socket = file.service = file.path = undefined;
  return file;
}

/** What the registry needs from the manager around it. */
export interface RegistryContext {
  readonly kernel: Kernel;
  /** The context every unit gets. */
  readonly unitContext: ManagerContext;
  /** Where unit files are looked up: the system's search path, or a user manager's. */
  readonly searchPaths: readonly string[];
  /** The base system's state after boot, once the machine booted with one (boot-state.ts). */
  bootState(): BootState | undefined;
  /** When the machine booted (ms; now before the boot). */
  bootTime(): number;
  /** Logs a line about the unit named `unitName` (the journal's UNIT=). */
  log(unitName: string | undefined, message: string, priority?: number, origin?: { identifier: string; pid: number }): void;
}

/** The journal identity of the emulator's own notes: not `systemd`, so nobody takes them for PID 1's words. */
const EMULATOR_ORIGIN = { identifier: 'emulator', pid: 1 };

/** The loaded units by name, their aliases, and the reverse lookups over them. */
export class UnitRegistry {
  readonly units = new Map<string, Unit>();
  /** Alias name → the unit it names (symlinked unit files, default.target). */
  private readonly aliases = new Map<string, string>();
  /** Unit name → the loaded units whose triggerTargets() name it (UNIT_TRIGGERED_BY), in load order. */
  private triggeredByIndex = new Map<string, Unit[]>();
  /** Units that declare Conflicts= (only they, and the units they name, have conflicts to act on). */
  private conflictDeclarers = new Set<Unit>();

  private readonly ctx: RegistryContext;
  private readonly loader: UnitLoader;
  /** Set when a unit that failed to load may have become collectable (collectGarbage() is cheap otherwise). */
  private gcPending = false;
  /** How deep loadUnit() calls are nested (a socket loading its service). */
  private loading = 0;

  constructor(ctx: RegistryContext, loader: UnitLoader) {
    this.ctx = ctx;
    this.loader = loader;
  }

  /** A loaded unit by name or alias. */
  getUnit(name: string): Unit | undefined {
    return this.units.get(this.aliases.get(name) ?? name);
  }

  /**
   * manager_load_unit(): the loaded unit, or the unit read from disk now. A unit that failed to load is collected
   * as soon as nothing holds it (collectGarbage()), so the next request loads it anew, logging its warnings again;
   * after a fix, `systemctl start` works without daemon-reload. One that something still references stays as it
   * is, except a not-found one, which is looked for again (manager_unit_cache_should_retry_load()).
   */
  loadUnit(name: string): Unit {
    // Never in the middle of a load: the unit being loaded is not referenced by what will hold it yet.
    if (this.loading === 0) this.collectGarbage();
    this.loading++;
    try {
      return this.loadUnitNow(name);
    } finally {
      this.loading--;
    }
  }

  /** Loads several units at once (the base system's at boot): garbage is collected before them, not between them. */
  loadUnits(names: readonly string[]): Unit[] {
    if (this.loading === 0) this.collectGarbage();
    this.loading++;
    try {
      return names.map((name) => this.loadUnitNow(name));
    } finally {
      this.loading--;
    }
  }

  private loadUnitNow(name: string): Unit {
    const existing = this.getUnit(name);
    if (existing && existing.file.loadState === 'not-found' && !existing.job) return this.readAgain(existing);
    if (existing) return existing;
    const canonical = this.canonicalName(name);
    if (canonical !== name) {
      this.aliases.set(name, canonical);
      const target = this.getUnit(canonical);
      // The alias's own .wants/ and .requires/ directories belong to the unit too.
      if (target) this.readDependencyDirs(target);
      return target ?? this.loadUnitNow(canonical);
    }
    const unit = this.createUnit(this.readUnitFile(name));
    this.units.set(name, unit);
    this.track(unit);
    this.loadTriggered(unit);
    this.loadDependencies(unit);
    return unit;
  }

  /** Replaces a unit that failed to load with what its files say now. */
  private readAgain(stale: Unit): Unit {
    const unit = this.createUnit(this.readUnitFile(stale.name));
    this.untrack(stale);
    this.units.set(stale.name, unit);
    this.track(unit);
    this.loadTriggered(unit);
    this.loadDependencies(unit);
    return unit;
  }

  /**
   * unit_add_dependency_by_name(): each unit a loaded unit's file names in Requires=, Wants=, PartOf=, Conflicts=
   * (and its .wants/ and .requires/ links) is put in the load queue and loaded with it, logging its own warnings:
   * `status cups.service` logs cups.socket's refusal again when cups.service has Requires=cups.socket. Ordering
   * (After=, Before=) loads too on systemd, but names only units whose loading the learner never sees (targets,
   * services that are not there), so the emulator leaves them for the job engine.
   */
  private loadDependencies(unit: Unit): void {
    if (unit.file.loadState !== 'loaded' && unit.file.loadState !== 'bad-setting') return;
    const u = unit.file.unit;
    for (const name of [...u.requires, ...unit.extraRequires, ...u.wants, ...unit.extraWants, ...u.partOf, ...u.conflicts]) {
      if (!this.getUnit(name) && unitTypeOf(name) && !name.includes('@.')) this.loadUnitNow(name);
    }
  }

  /**
   * socket_add_extras() / path_add_extras(): loading a socket or path unit loads the unit it triggers (the
   * UNIT_TRIGGERS dependency is added by name, and manager_load_unit() reads it), with its warnings, even when
   * the trigger itself is then refused.
   */
  private loadTriggered(unit: Unit): void {
    for (const name of unit.triggerTargets()) {
      if (!this.getUnit(name) && unitTypeOf(name)) this.loadUnit(name);
    }
  }

  /**
   * unit_gc_sweep(): an inactive unit with no job that no other unit references (Requires=, Wants=, After=,
   * Before=, Triggers=… — UNIT_REFERENCED_BY) is dropped, as systemd drops it right after the request that left it
   * so (CollectMode=inactive: failed units stay). Units that failed to load (not-found, bad-setting, error, masked)
   * are collected at any lookup, so `systemctl status` of a broken unit reads its file again and PID 1 logs its
   * warnings again; with `loaded`, units that did load go too (between two requests only: a unit just loaded for
   * a job has no job yet), so the next request reads them afresh, without the old run's state.
   */
  collectGarbage(options: { loaded?: boolean } = {}): Unit[] {
    if (this.loading > 0 || (!this.gcPending && !options.loaded)) return [];
    this.gcPending = false;
    const candidates = new Set<Unit>();
    for (const unit of this.units.values()) {
      if (unit.job || unit.activeState !== 'inactive' || unit.baseSystem) continue;
      // Targets stay: the emulator's implicit dependencies do not hold them as systemd's do.
      if (unit.file.loadState !== 'loaded' || (options.loaded && unit.file.type !== 'target')) candidates.add(unit);
    }
    if (candidates.size === 0) return [];
    // The units that must stay hold what they reference, and a held candidate holds what it references in turn.
    const holders = [...this.units.values()].filter((unit) => !candidates.has(unit));
    while (holders.length > 0) {
      const holder = holders.pop()!;
      for (const name of referencedNames(holder)) {
        const other = this.getUnit(name);
        if (other && candidates.delete(other)) holders.push(other);
      }
    }
    for (const unit of candidates) {
      this.units.delete(unit.name);
      this.untrack(unit);
    }
    return [...candidates];
  }

  /** True when at least one alias is known (the ordering checks then look up every name of a unit). */
  hasAliases(): boolean {
    return this.aliases.size > 0;
  }

  /** Every name of a loaded unit: its own and its aliases. */
  namesOf(unit: Unit): string[] {
    const names = [unit.name];
    for (const [alias, canonical] of this.aliases) if (canonical === unit.name) names.push(alias);
    return names;
  }

  /** Loaded units that trigger `name` (sockets with Accept=no, path units), in load order. */
  triggeringUnits(name: string): Unit[] {
    return [...(this.triggeredByIndex.get(name) ?? [])];
  }

  /** True when some loaded unit declares Conflicts=. */
  hasConflicts(): boolean {
    return this.conflictDeclarers.size > 0;
  }

  /**
   * The unit a name stands for. A unit file name that is a symlink to another unit file of the same type
   * is an alias: systemd loads ONE unit with both names (unit_file_build_name_map, unit_add_name), so
   * `default.target` → `multi-user.target` is reached, logged and stopped once. Without a file,
   * default.target is the alias of multi-user.target, as the targets systemd ships.
   */
  private canonicalName(name: string): string {
    const fs = this.ctx.kernel.fs;
    const type = unitTypeOf(name);
    let current = name;
    for (let hops = 0; hops < 8; hops++) {
      let next: string | undefined;
      let found = false;
      for (const dir of this.ctx.searchPaths) {
        const path = `${dir}/${current}`;
        const st = fs.lstat(path);
        if (!st) continue;
        found = true;
        if (st.type === 'symlink') {
          let target: string;
          try {
            target = fs.readlink(path);
          } catch {
            break;
          }
          const base = target.slice(target.lastIndexOf('/') + 1);
          if (target !== '/dev/null' && base !== current && unitTypeOf(base) === type && fs.stat(path)) next = base;
        }
        break;
      }
      if (!found && current === 'default.target') next = 'multi-user.target';
      if (!next) return current;
      current = next;
    }
    return current;
  }

  /** Reads a unit's files as they are on disk now, without loading it (systemctl cat, is-enabled). */
  peekUnitFile(name: string): UnitFile {
    // A type the emulator does not model (a mount, a timer…): no such unit here (Debian's tmp.mount, wanted by basic.target).
    if (!unitTypeOf(name)) return this.snapshotUnitFile(name) ?? emptyUnitFile(name, 'not-found');
    let file: UnitFile;
    try {
      file = this.loader(name, this.ctx.kernel.fs, this.ctx.searchPaths);
    } catch (error) {
      file = emptyUnitFile(name, 'error', `Failed to load ${name}: ${(error as Error)?.message ?? String(error)}`);
    }
    if (file.loadState === 'not-found') file = builtinTarget(name) ?? builtinSlice(name) ?? file;
    return file;
  }

  /**
   * The UnitFile of a unit of a type the emulator does not run (a mount, a timer…) that the base system's boot
   * loaded: its name, fragment (found in the search path) and description; no settings are read from it.
   */
  private snapshotUnitFile(name: string): UnitFile | undefined {
    const entry = this.ctx.bootState()?.units[name];
    const type = name.slice(name.lastIndexOf('.') + 1) as UnitType;
    if (!entry || !SNAPSHOT_TYPES.has(type)) return undefined;
    const file = emptyUnit(name, type);
    file.socket = file.service = file.path = undefined;
    const fs = this.ctx.kernel.fs;
    const fragment = this.ctx.searchPaths.map((dir) => `${dir}/${name}`).find((path) => fs.stat(path)?.type === 'file');
    let text = '';
    try {
      text = fragment ? fs.readFile(fragment) : '';
    } catch {
      // Unreadable: no description from it.
    }
    file.fragmentPath = fragment;
    file.loadState = fragment || entry[2] ? 'loaded' : 'not-found';
    file.unit.description = entry[2] ?? /^Description=(.*)$/m.exec(text)?.[1] ?? '';
    const docs = /^Documentation=(.*)$/gm;
    for (let m = docs.exec(text); m; m = docs.exec(text)) file.unit.documentation.push(...m[1].split(/\s+/).filter(Boolean));
    return file;
  }

  /** Parses a unit through the loader and logs its diagnostics; never throws (a crash becomes load state `error`). */
  private readUnitFile(name: string): UnitFile {
    const file = this.peekUnitFile(name);
    // PID 1 logs them with UNIT= set: `journalctl -u NAME` shows them.
    for (const d of file.diagnostics) {
      this.ctx.log(name, formatDiagnostic(d), d.severity === 'error' ? PRIORITY.err : PRIORITY.warning);
    }
    // The emulator's notes are for the learner's units: one about a key of Debian's own that the emulator does not
    // model would add lines to the journal at every daemon-reload.
    const notes = isBaseUnit(this.ctx.bootState(), file, this.ctx.kernel.fs) ? [] : file.notes ?? [];
    for (const note of notes) this.ctx.log(name, formatDiagnostic(note), PRIORITY.notice, EMULATOR_ORIGIN);
    return file;
  }

  private createUnit(file: UnitFile): Unit {
    if (file.loadState !== 'loaded') this.gcPending = true;
    const entry = file.loadState === 'loaded' ? bootEntryOf(this.ctx.bootState(), file, this.ctx.kernel.fs) : undefined;
    // Debian's own services have no program on a lab machine: like its mounts and timers, they are where the boot
    // left them. One whose program the machine has (the memory kernel's sshd) runs, as on the real boot.
    const program = file.type === 'service' ? file.service?.execStart[0]?.path : undefined;
    const runs = program !== undefined && this.ctx.kernel.fs.stat(program) !== undefined;
    const unit = entry && (SNAPSHOT_TYPES.has(file.type) || (file.type === 'service' && !runs))
      ? new SnapshotUnit(file, this.ctx.unitContext, entry)
      : new (unitClassFor(file))(file, this.ctx.unitContext);
    unit.baseSystem = entry !== undefined;
    const skipped = entry?.[3];
    unit.bootSkipped = skipped !== undefined;
    // The boot tested its conditions: status shows when, and which were not met.
    if (skipped !== undefined) unit.conditionFailure = { at: this.ctx.bootTime(), unmet: typeof skipped === 'string' ? skipped.split('\n') : [] };
    unit.sourceText = this.readSources(file);
    this.readDependencyDirs(unit);
    return unit;
  }

  /** The text of a unit's fragment and drop-ins, to notice edits made after loading. */
  readSources(file: UnitFile): string {
    const parts: string[] = [];
    for (const path of [file.fragmentPath, ...file.dropInPaths]) {
      if (!path) continue;
      try {
        parts.push(`${path}\n${this.ctx.kernel.fs.readFile(path)}`);
      } catch {
        parts.push(`${path}\n<absent>`);
      }
    }
    return parts.join('\n');
  }

  /** True when the unit's files changed on disk since it was loaded (systemctl's warning). */
  changedOnDisk(unit: Unit): boolean {
    if (!unit.file.fragmentPath) return false;
    return this.readSources(unit.file) !== unit.sourceText;
  }

  /** `.wants/` and `.requires/` directories in every search path add Wants=/Requires=. */
  private readDependencyDirs(unit: Unit): void {
    const fs = this.ctx.kernel.fs;
    unit.extraWants = [];
    unit.extraRequires = [];
    const names = this.namesOf(unit);
    if (unit.file.instance !== undefined) names.push(`${unit.file.prefix}@.${unit.file.type}`);
    for (const dir of this.ctx.searchPaths) {
      for (const name of names) {
        for (const [suffix, list] of [['wants', unit.extraWants], ['requires', unit.extraRequires]] as const) {
          const path = `${dir}/${name}.${suffix}`;
          // stat() first: it answers "absent" without an exception, and almost every unit has none of these.
          if (fs.stat(path)?.type !== 'directory') continue;
          try {
            for (const entry of fs.readdir(path)) {
              if (!list.includes(entry)) list.push(entry);
            }
          } catch {
            // No such directory.
          }
        }
      }
    }
  }

  /**
   * manager_reload(): re-reads every loaded unit's files, keeping runtime state. A unit keeps its object
   * (and so its processes, sockets and timers) unless it is idle and its class or load state changes:
   * then a fresh object of the right class takes over its state.
   */
  reload(): void {
    for (const [name, unit] of [...this.units]) {
      const file = this.readUnitFile(name);
      const idle = isInactiveOrFailed(unit.activeState) && !unit.job;
      const sameClass = unitClassFor(file) === unit.constructor;
      if (idle && (!sameClass || file.loadState !== 'loaded' || unit.file.loadState !== 'loaded')) {
        // A failed instance (Accept=yes) keeps its object: it is collected, not reloaded.
        if (unit.file.type === 'service' && unit.file.loadState === 'loaded' && unit.file.instance !== undefined && unit.activeState !== 'inactive') continue;
        const fresh = this.createUnit(file);
        fresh.activeState = unit.activeState;
        fresh.subState = unit.subState;
        fresh.result = unit.result;
        fresh.stateChangeTimestamp = unit.stateChangeTimestamp;
        fresh.everChanged = unit.everChanged;
        fresh.activeEnterTimestamp = unit.activeEnterTimestamp;
        fresh.activeExitTimestamp = unit.activeExitTimestamp;
        fresh.inactiveEnterTimestamp = unit.inactiveEnterTimestamp;
        fresh.inactiveExitTimestamp = unit.inactiveExitTimestamp;
        this.units.set(name, fresh);
        this.untrack(unit);
      } else {
        unit.file = file;
        unit.sourceText = this.readSources(file);
        this.readDependencyDirs(unit);
        unit.reloaded();
      }
    }
    this.rebuildIndex();
    this.gcPending = true;
  }

  /** Drops a dead unit (unit_gc_sweep() of an Accept=yes instance). */
  remove(unit: Unit): void {
    if (this.units.get(unit.name) !== unit) return;
    this.units.delete(unit.name);
    this.untrack(unit);
    // What it referenced may be unreferenced now.
    this.gcPending = true;
  }

  /** A unit that failed to load lost its job (or its holder changed): see whether it can be collected. */
  markForCollection(): void {
    this.gcPending = true;
  }

  /** Adds a unit just put into `units` to the reverse lookups. */
  private track(unit: Unit): void {
    for (const name of unit.triggerTargets()) {
      const list = this.triggeredByIndex.get(name);
      if (list) list.push(unit);
      else this.triggeredByIndex.set(name, [unit]);
    }
    if (unit.file.unit.conflicts.length > 0) this.conflictDeclarers.add(unit);
  }

  /** Removes a unit taken out of `units` (or replaced there) from the reverse lookups. */
  private untrack(unit: Unit): void {
    this.conflictDeclarers.delete(unit);
    // Its file is still the one it was tracked with (reload() rebuilds the index after changing files).
    for (const name of unit.triggerTargets()) {
      const list = this.triggeredByIndex.get(name);
      if (!list?.includes(unit)) continue;
      // A fresh array: callers may be iterating the old one.
      const rest = list.filter((other) => other !== unit);
      if (rest.length > 0) this.triggeredByIndex.set(name, rest);
      else this.triggeredByIndex.delete(name);
    }
  }

  /** Rebuilds the reverse lookups from `units` (daemon-reload may change Service=, Accept=, Unit=, Conflicts=). */
  private rebuildIndex(): void {
    this.triggeredByIndex = new Map();
    this.conflictDeclarers = new Set();
    for (const unit of this.units.values()) this.track(unit);
  }
}

/** The types a unit of the base system has its state from the boot for (snapshot-unit.ts). */
const SNAPSHOT_TYPES: ReadonlySet<UnitType> = new Set(['mount', 'automount', 'swap', 'timer', 'scope', 'device']);

/** The names a unit references (UNIT_REFERENCES): every dependency its files and its type give it. */
function referencedNames(unit: Unit): string[] {
  const u = unit.file.unit;
  const wants = [...u.wants, ...unit.extraWants, ...unit.implicitWants()];
  const requires = [...u.requires, ...unit.extraRequires];
  return [
    ...requires, ...wants, ...u.after, ...u.before, ...u.partOf, ...u.conflicts,
    ...unit.implicitAfter({ wants, requires }), ...unit.implicitBefore(), ...unit.triggerTargets(),
  ];
}

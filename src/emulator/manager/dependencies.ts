/**
 * Dependency views of a unit: its own Requires=/Wants=/After=/Before=/Conflicts= with the `.wants/`/`.requires/`
 * links, what its type adds by itself (the *_add_extras() hooks on the unit classes), the dependencies systemd 252
 * adds to every unit (unit.c: the slice, the journal socket; and with DefaultDependencies=yes the type's
 * *_add_default_dependencies()), and the units that trigger it (UNIT_TRIGGERED_BY). What `systemctl show` and
 * `list-dependencies` print and what the job engine orders by.
 */
import type { ModelledUnitType, UnitType } from '../unit-file/unit-types.ts';
import { parentSlice } from './slice-unit.ts';
import type { UnitRegistry } from './unit-registry.ts';
import type { Unit } from './unit.ts';

/** The dependencies a unit type gets from DefaultDependencies=yes, by manager scope (system, user). */
interface DefaultDependencies {
  requires: string[];
  after: string[];
  before: string[];
  conflicts: string[];
}

const SHUTDOWN = 'shutdown.target';

/**
 * service_add_default_dependencies(), socket_add_default_dependencies(), path_add_default_dependencies() and
 * target_add_default_dependencies(), slice_add_default_dependencies() of systemd 252. A user manager has no sysinit.target: its services require
 * basic.target instead, its sockets and paths need nothing before their target.
 */
const DEFAULT_DEPENDENCIES: Record<'system' | 'user', Record<ModelledUnitType, DefaultDependencies>> = {
  system: {
    service: { requires: ['sysinit.target'], after: ['sysinit.target', 'basic.target'], before: [SHUTDOWN], conflicts: [SHUTDOWN] },
    socket: { requires: ['sysinit.target'], after: ['sysinit.target'], before: ['sockets.target', SHUTDOWN], conflicts: [SHUTDOWN] },
    path: { requires: ['sysinit.target'], after: ['sysinit.target'], before: ['paths.target', SHUTDOWN], conflicts: [SHUTDOWN] },
    target: { requires: [], after: [], before: [SHUTDOWN], conflicts: [SHUTDOWN] },
    slice: { requires: [], after: [], before: [SHUTDOWN], conflicts: [SHUTDOWN] },
  },
  user: {
    service: { requires: ['basic.target'], after: ['basic.target'], before: [SHUTDOWN], conflicts: [SHUTDOWN] },
    socket: { requires: [], after: [], before: ['sockets.target', SHUTDOWN], conflicts: [SHUTDOWN] },
    path: { requires: [], after: [], before: ['paths.target', SHUTDOWN], conflicts: [SHUTDOWN] },
    target: { requires: [], after: [], before: [SHUTDOWN], conflicts: [SHUTDOWN] },
    slice: { requires: [], after: [], before: [SHUTDOWN], conflicts: [SHUTDOWN] },
  },
};

/** Unit types that run in a slice (their vtable has a cgroup context): unit_add_slice_dependencies(). */
const SLICED_TYPES: ReadonlySet<UnitType> = new Set(['service', 'socket', 'slice']);

/** Standard input kinds that keep stdout/stderr on the input (service_fix_stdio()). */
const INPUT_KEEPS_OUTPUT = /^(tty|tty-force|tty-fail|socket|fd)/;
/** Outputs that log through journald (unit_add_exec_dependencies() orders such units after its socket). */
const JOURNAL_OUTPUT = /^(journal|kmsg|syslog)(\+console)?$/;

/** Which manager the views are for. */
export interface DependencyScope {
  /** True for PID 1, false for a user manager (systemd --user). */
  system: boolean;
}

/** Computes a unit's dependency lists from the registry and the unit's type hooks. */
export class DependencyViews {
  private readonly registry: UnitRegistry;
  private readonly scope: DependencyScope;

  constructor(registry: UnitRegistry, scope: DependencyScope = { system: true }) {
    this.registry = registry;
    this.scope = scope;
  }

  /** Requires= of a unit, with `.requires/` links, its slice and its default dependencies. */
  requiresOf(unit: Unit): string[] {
    return [...unit.file.unit.requires, ...unit.extraRequires, ...this.sliceOf(unit), ...this.defaults(unit).requires];
  }

  /** Wants= of a unit, with `.wants/` links and what its type wants (a service's Sockets=). */
  wantsOf(unit: Unit): string[] {
    return [...unit.file.unit.wants, ...unit.extraWants, ...unit.implicitWants()];
  }

  /** After= of a unit plus the implicit ones (its slice, journald's socket, its type's and the default ones). */
  afterOf(unit: Unit): string[] {
    const out = [...unit.file.unit.after, ...this.sliceOf(unit), ...this.journalSocketOf(unit), ...this.defaults(unit).after];
    if (unit.file.type === 'target') out.push(...this.targetAfter(unit));
    else out.push(...unit.implicitAfter({ wants: this.wantsOf(unit), requires: this.requiresOf(unit) }));
    return out;
  }

  /** Before= of a unit plus the implicit ones (sockets before their service; the default targets). */
  beforeOf(unit: Unit): string[] {
    return [...unit.file.unit.before, ...unit.implicitBefore(), ...this.defaults(unit).before];
  }

  /** Conflicts= of a unit plus shutdown.target with DefaultDependencies=yes. */
  conflictsOf(unit: Unit): string[] {
    return [...unit.file.unit.conflicts, ...this.defaults(unit).conflicts];
  }

  /** WantedBy= of a unit: the loaded units that want it (systemd records both directions of a dependency). */
  wantedByOf(unit: Unit): string[] {
    return this.loadedUnitsListing(unit, (other) => this.wantsOf(other));
  }

  /** RequiredBy= of a unit: the loaded units that require it. */
  requiredByOf(unit: Unit): string[] {
    return this.loadedUnitsListing(unit, (other) => this.requiresOf(other));
  }

  /** Whether DefaultDependencies= is on for a unit (the default). */
  defaultDependenciesOf(unit: Unit): boolean {
    return unit.file.unit.defaultDependencies !== false;
  }

  private loadedUnitsListing(unit: Unit, list: (other: Unit) => string[]): string[] {
    const out: string[] = [];
    for (const other of this.registry.units.values()) {
      if (other !== unit && other.file.loadState === 'loaded' && list(other).includes(unit.name)) out.push(other.name);
    }
    return out;
  }

  /** Units that trigger `unit`: its own links (Sockets=, its Accept=yes socket), then sockets and path units naming it. */
  triggeredByOf(unit: Unit): string[] {
    const out = unit.extraTriggeredBy();
    for (const other of this.registry.triggeringUnits(unit.name)) {
      if (!out.includes(other.name)) out.push(other.name);
    }
    return out;
  }

  /** The loaded units to notify when `unit` changes (trigger_notify() of each unit triggering it). */
  triggeringUnitsOf(unit: Unit): Unit[] {
    const out: Unit[] = [];
    for (const name of unit.extraTriggeredBy()) {
      const other = this.registry.getUnit(name);
      if (other && !out.includes(other)) out.push(other);
    }
    for (const other of this.registry.triggeringUnits(unit.name)) {
      if (!out.includes(other)) out.push(other);
    }
    return out;
  }

  /**
   * The slice a unit runs in (Slice= of `systemctl show`): system.slice, or system-PREFIX.slice for an instance; a
   * slice's parent slice.
   */
  sliceNameOf(unit: Unit): string | undefined {
    if (unit.file.loadState !== 'loaded' || !SLICED_TYPES.has(unit.file.type)) return undefined;
    if (unit.file.type === 'slice') return parentSlice(unit.name);
    const own = unit.slice()?.name;
    if (own) return this.scope.system ? own : own.replace(/^system-/, 'app-');
    return this.scope.system ? 'system.slice' : 'app.slice';
  }

  /** unit_add_slice_dependencies(): Requires= and After= the unit's slice. */
  private sliceOf(unit: Unit): string[] {
    const slice = this.sliceNameOf(unit);
    return slice ? [slice] : [];
  }

  /** The default dependencies of the unit's type, or none (DefaultDependencies=no, a unit that did not load). */
  private defaults(unit: Unit): DefaultDependencies {
    if (!this.hasDefaultDependencies(unit)) return NO_DEFAULTS;
    // A unit of a type the emulator does not run (snapshot-unit.ts) has none here: its state comes from the boot.
    const defaults = DEFAULT_DEPENDENCIES[this.scope.system ? 'system' : 'user'][unit.file.type as ModelledUnitType] ?? NO_DEFAULTS;
    // shutdown.target does not conflict with itself.
    if (unit.name === SHUTDOWN) return { ...defaults, before: [], conflicts: [] };
    return defaults;
  }

  private hasDefaultDependencies(unit: Unit): boolean {
    return unit.file.loadState === 'loaded' && unit.file.unit.defaultDependencies !== false;
  }

  /**
   * unit_add_exec_dependencies(): a service whose stdout or stderr goes to the journal (the default, unless its
   * stdin is a socket or a terminal) is ordered after systemd-journald.socket, in the system manager.
   */
  private journalSocketOf(unit: Unit): string[] {
    const service = unit.file.type === 'service' && unit.file.loadState === 'loaded' ? unit.file.service : undefined;
    if (!service || !this.scope.system) return [];
    const keepsInput = INPUT_KEEPS_OUTPUT.test(service.standardInput);
    const effective = (output: string): string => (output === 'inherit' && !keepsInput ? 'journal' : output);
    return JOURNAL_OUTPUT.test(effective(service.standardOutput)) || JOURNAL_OUTPUT.test(effective(service.standardError)) ? ['systemd-journald.socket'] : [];
  }

  /**
   * target_add_default_dependencies() → unit_add_default_target_dependency(): a target is ordered after the units
   * it wants or requires, when both are loaded with DefaultDependencies=yes and the target is not ordered before it.
   */
  private targetAfter(target: Unit): string[] {
    if (!this.hasDefaultDependencies(target)) return [];
    const before = new Set(target.file.unit.before);
    const out: string[] = [];
    for (const name of [...this.wantsOf(target), ...target.file.unit.requires, ...target.extraRequires]) {
      if (name === target.name || before.has(name) || out.includes(name)) continue;
      // A unit not loaded yet (collected, or a start job being built) is judged by its file on disk: systemd loads
      // what a target wants before it adds the target's default dependencies (the target-deps queue).
      const file = this.registry.getUnit(name)?.file ?? this.registry.peekUnitFile(name);
      if (file.loadState !== 'loaded' || file.unit.defaultDependencies === false) continue;
      // "Don't create loops": a unit already ordered after the target (its After=, or its type's default After=,
      // as systemd-pcrphase.service in sysinit.target.wants is after sysinit.target) is not ordered before it.
      const typeAfter = DEFAULT_DEPENDENCIES[this.scope.system ? 'system' : 'user'][file.type as ModelledUnitType]?.after ?? [];
      if (file.unit.after.includes(target.name) || typeAfter.includes(target.name)) continue;
      out.push(name);
    }
    return out;
  }
}

const NO_DEFAULTS: DefaultDependencies = { requires: [], after: [], before: [], conflicts: [] };

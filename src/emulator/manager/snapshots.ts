/**
 * Plain-data pictures of units and of the whole system (what `systemctl show` would say, for UIs across a
 * Worker or WebContainer boundary), with the UnitFileState cache PID 1 keeps (unit_get_unit_file_state()).
 */
import type { Kernel } from '../kernel/kernel.ts';
import type { SystemSnapshot, UnitSnapshot } from '../system-events.ts';
import type { DependencyViews } from './dependencies.ts';
import { CONFIG_DIR, scanInstallLinks, unitFileState, type InstallLinks } from './install.ts';
import type { Journal } from './journal.ts';
import type { UnitRegistry } from './unit-registry.ts';
import type { Unit } from './unit.ts';

/** Builds snapshots; call invalidate() when unit files or links may have changed (daemon-reload). */
export class Snapshots {
  /**
   * UnitFileState per unit, computed on first use and dropped on daemon-reload (enable/disable reload too),
   * as PID 1 caches it. Computing it scans the .wants/ directories, so a snapshot per state change
   * would otherwise cost O(units²) on a large boot.
   */
  private readonly unitFileStates = new Map<string, string>();
  private installLinks: InstallLinks | undefined;

  private readonly kernel: Kernel;
  private readonly registry: UnitRegistry;
  private readonly dependencies: DependencyViews;
  private readonly journal: Journal;
  /** Where `enable` links live for this manager (is-enabled reads them). */
  private readonly configDir: string;

  constructor(kernel: Kernel, registry: UnitRegistry, dependencies: DependencyViews, journal: Journal, configDir: string = CONFIG_DIR) {
    this.configDir = configDir;
    this.kernel = kernel;
    this.registry = registry;
    this.dependencies = dependencies;
    this.journal = journal;
  }

  /** Forgets cached unit file states. */
  invalidate(): void {
    this.unitFileStates.clear();
    this.installLinks = undefined;
  }

  /** One unit as plain data. */
  unitSnapshot(unit: Unit): UnitSnapshot {
    return {
      name: unit.name,
      type: unit.file.type,
      description: unit.description,
      loadState: unit.file.loadState,
      activeState: unit.activeState,
      subState: unit.subState,
      result: unit.result,
      unitFileState: this.cachedUnitFileState(unit),
      triggers: unit.triggers(),
      triggeredBy: this.dependencies.triggeredByOf(unit),
      stateChangeTimestamp: unit.stateChangeTimestamp,
      ...unit.snapshotExtra(),
    };
  }

  private cachedUnitFileState(unit: Unit): string {
    let state = this.unitFileStates.get(unit.name);
    if (state === undefined) {
      this.installLinks ??= scanInstallLinks(this.kernel.fs, this.configDir);
      state = unitFileState(this.kernel.fs, unit.file, this.installLinks, this.configDir);
      this.unitFileStates.set(unit.name, state);
    }
    return state;
  }

  /** Every loaded unit and the journal. */
  snapshot(): SystemSnapshot {
    return {
      time: this.kernel.clock.now(),
      units: [...this.registry.units.values()].map((unit) => this.unitSnapshot(unit)),
      journal: this.journal.entries.map((entry) => ({ ...entry })),
    };
  }
}

/**
 * Dependency views of a unit: its own Requires=/Wants=/After=/Before= with the `.wants/`/`.requires/` links,
 * plus what its type adds by itself (the *_add_extras() hooks on the unit classes), and the units that
 * trigger it (UNIT_TRIGGERED_BY). What `systemctl show` prints and what the job engine orders by.
 */
import type { UnitRegistry } from './unit-registry.ts';
import type { Unit } from './unit.ts';

/** Computes a unit's dependency lists from the registry and the unit's type hooks. */
export class DependencyViews {
  private readonly registry: UnitRegistry;

  constructor(registry: UnitRegistry) {
    this.registry = registry;
  }

  /** Requires= of a unit, with `.requires/` links. */
  requiresOf(unit: Unit): string[] {
    return [...unit.file.unit.requires, ...unit.extraRequires];
  }

  /** Wants= of a unit, with `.wants/` links and what its type wants (a service's Sockets=). */
  wantsOf(unit: Unit): string[] {
    return [...unit.file.unit.wants, ...unit.extraWants, ...unit.implicitWants()];
  }

  /** After= of a unit plus the implicit ones (services after their sockets and basic.target; targets after what they want). */
  afterOf(unit: Unit): string[] {
    return [...unit.file.unit.after, ...unit.implicitAfter({ wants: this.wantsOf(unit), requires: this.requiresOf(unit) })];
  }

  /** Before= of a unit plus the implicit ones (sockets before their service and sockets.target; paths before paths.target). */
  beforeOf(unit: Unit): string[] {
    return [...unit.file.unit.before, ...unit.implicitBefore()];
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
}

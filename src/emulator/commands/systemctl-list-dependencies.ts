/**
 * `systemctl list-dependencies [UNIT…]` as systemctl 252 prints it (src/systemctl/systemctl-list-dependencies.c):
 * the unit's name, then its dependencies as a tree, each with the glyph of its active state (● ○ × ↻), sorted
 * with targets last, then by name (strcasecmp). Targets are followed recursively, other units only with --all.
 * --reverse, --before and --after pick the other dependency properties; --plain prints two spaces for the tree
 * and no glyphs, and lists a unit it has already followed once only.
 */
import type { Manager } from '../manager/manager.ts';
import type { Unit } from '../manager/unit.ts';
import { stateGlyph } from './systemctl-status.ts';

/** Which dependencies are listed (systemctl's arg_dependency). */
export type DependencyDirection = 'forward' | 'reverse' | 'before' | 'after';

/** Options of list-dependencies. */
export interface ListDependenciesOptions {
  direction: DependencyDirection;
  /** --all: follow every unit, not only targets. */
  all: boolean;
  /** --plain: no tree, no glyphs. */
  plain: boolean;
}

const TREE_VERTICAL = '│ ';
const TREE_SPACE = '  ';
const TREE_BRANCH = '├─';
const TREE_RIGHT = '└─';

/** The loaded unit of `name`, loaded now when it is not (as the bus's LoadUnit does). */
function unitOf(manager: Manager, name: string): Unit {
  return manager.getUnit(name) ?? manager.loadUnit(name);
}

/** Loaded units whose `list` names `unit` (systemd keeps both directions of every dependency). */
function reverseOf(manager: Manager, unit: Unit, list: (other: Unit) => string[]): string[] {
  const out: string[] = [];
  for (const other of manager.units.values()) {
    if (other !== unit && list(other).includes(unit.name)) out.push(other.name);
  }
  return out;
}

/** list_dependencies_get_dependencies(): the names the direction's properties list for `unit`. */
function dependenciesOf(manager: Manager, unit: Unit, direction: DependencyDirection): string[] {
  let names: string[];
  switch (direction) {
    case 'forward':
      // Requires=, Requisite=, Wants=, ConsistsOf=, BindsTo=.
      names = [...manager.requiresOf(unit), ...manager.wantsOf(unit)];
      break;
    case 'reverse':
      // RequiredBy=, RequisiteOf=, WantedBy=, PartOf=, BoundBy=.
      names = [...reverseOf(manager, unit, (other) => manager.requiresOf(other)), ...reverseOf(manager, unit, (other) => manager.wantsOf(other)), ...unit.file.unit.partOf];
      break;
    case 'after':
      names = [...manager.afterOf(unit), ...reverseOf(manager, unit, (other) => manager.beforeOf(other))];
      break;
    case 'before':
      names = [...manager.beforeOf(unit), ...reverseOf(manager, unit, (other) => manager.afterOf(other))];
      break;
  }
  return [...new Set(names)].filter((name) => name !== unit.name);
}

/** list_dependencies_compare(): targets after the rest, then by name, ignoring case. */
function compareDependencies(a: string, b: string): number {
  const aTarget = a.endsWith('.target');
  const bTarget = b.endsWith('.target');
  if (aTarget !== bTarget) return aTarget ? 1 : -1;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The lines of one unit's dependency tree, its own name first. `followed` is shared by the units of one command:
 * the units being followed (the current path in the tree: a cycle shows "..."), with --plain every followed unit.
 */
export function listDependencies(manager: Manager, name: string, options: ListDependenciesOptions, followed: string[] = []): string[] {
  const lines = [name];
  const walk = (unitName: string, level: number, branches: number): void => {
    followed.push(unitName);
    const deps = dependenciesOf(manager, unitOf(manager, unitName), options.direction).sort(compareDependencies);
    deps.forEach((dep, index) => {
      const last = index === deps.length - 1;
      if (followed.includes(dep)) {
        if (!options.plain) lines.push(`  ${treePrefix(level, branches, last)}...`);
        return;
      }
      const glyph = options.plain ? '  ' : `${stateGlyph(unitOf(manager, dep).activeState)} ${treePrefix(level, branches, last)}`;
      lines.push(glyph + dep);
      if (options.all || dep.endsWith('.target')) walk(dep, level + 1, (branches << 1) | (last ? 0 : 1));
    });
    if (!options.plain) followed.pop();
  };
  walk(name, 0, 0);
  return lines;
}

/** The tree glyphs before a name at `level` (list_dependencies_print()). */
function treePrefix(level: number, branches: number, last: boolean): string {
  let out = '';
  for (let i = level - 1; i >= 0; i--) out += branches & (1 << i) ? TREE_VERTICAL : TREE_SPACE;
  return out + (last ? TREE_RIGHT : TREE_BRANCH);
}

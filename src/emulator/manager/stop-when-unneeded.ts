/**
 * StopWhenUnneeded= (unit.c unit_check_unneeded()): a unit with it is stopped once no unit that requires or
 * wants it is active or has a job pending. Checked when one of those units goes down.
 */
import type { Unit } from './unit.ts';

/** What the check needs from the manager. */
export interface DependencyView {
  units: ReadonlyMap<string, Unit>;
  requiresOf(unit: Unit): string[];
  wantsOf(unit: Unit): string[];
}

/** A unit counts as needing its dependencies while active, on its way up or down, or with a job queued. */
function activeOrPending(unit: Unit): boolean {
  return unit.job !== undefined || (unit.activeState !== 'inactive' && unit.activeState !== 'failed');
}

/** The dependencies of `gone` (which just went inactive or failed) that are now unneeded and should stop. */
export function unneededAfter(view: DependencyView, gone: Unit): Unit[] {
  if (activeOrPending(gone)) return [];
  const out: Unit[] = [];
  for (const name of new Set([...view.requiresOf(gone), ...view.wantsOf(gone)])) {
    const dependency = view.units.get(name);
    if (!dependency?.file.unit.stopWhenUnneeded || dependency.job || dependency.activeState !== 'active') continue;
    const pinned = [...view.units.values()].some(
      (other) => other !== dependency && activeOrPending(other) && (view.requiresOf(other).includes(name) || view.wantsOf(other).includes(name)),
    );
    if (!pinned) out.push(dependency);
  }
  return out;
}

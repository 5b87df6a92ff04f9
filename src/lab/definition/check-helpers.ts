/**
 * Small helpers for goal checks in labs/<id>/lab.ts: finding a unit in a snapshot and reading an
 * assignment from a unit file's text. They run in the page with the checks, so they stay tiny and
 * do not pull in the emulator's parser.
 */
import type { UnitSnapshot } from '../../emulator/system-events.ts';

/** The unit called `name` in a snapshot's units, if loaded. */
export function findUnit(units: UnitSnapshot[], name: string): UnitSnapshot | undefined {
  return units.find((candidate) => candidate.name === name);
}

/** The last value of `key=` in a unit file's text (systemd: the last assignment wins); undefined if absent. */
export function lastAssignment(text: string, key: string): string | undefined {
  return [...text.matchAll(new RegExp(`^\\s*${key}\\s*=\\s*(.*?)\\s*$`, 'gm'))].map((match) => match[1]).at(-1);
}

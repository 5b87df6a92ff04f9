/**
 * Target units: synchronisation points with no process; active as soon as their job runs.
 * The targets systemd ships (sockets.target, multi-user.target, …) exist even without a file.
 */
import type { UnitFile } from '../unit-file/unit-types.ts';
import type { UnitStatusMessageFormats } from './status-messages.ts';
import { TARGET_STATE_TRANSLATION, type TargetResult, type TargetState } from './unit-def.ts';
import { Unit } from './unit.ts';

/** target.c's status_message_formats. */
const TARGET_STATUS_MESSAGES: UnitStatusMessageFormats = {
  finishedStartJob: { done: 'Reached target %s.' },
  finishedStopJob: { done: 'Stopped target %s.' },
};

/** A `.target` unit (also the stand-in for a unit of any type that failed to load). */
export class TargetUnit extends Unit<TargetState, TargetResult> {
  readonly stateTable = TARGET_STATE_TRANSLATION;

  override get statusMessageFormats(): UnitStatusMessageFormats {
    return this.file.type === 'target' ? TARGET_STATUS_MESSAGES : {};
  }

  override start(): void {
    this.setState('active');
    this.ctx.finishJob(this, 'done');
  }

  override stop(): void {
    this.setState('dead');
    this.ctx.finishJob(this, 'done');
  }
}

/** Descriptions and ordering of the targets systemd ships, for when no file defines them. */
const BUILTIN_TARGETS: Record<string, { description: string; after: string[]; wants: string[] }> = {
  'sockets.target': { description: 'Socket Units', after: [], wants: [] },
  'paths.target': { description: 'Path Units', after: [], wants: [] },
  'timers.target': { description: 'Timer Units', after: [], wants: [] },
  'sysinit.target': { description: 'System Initialization', after: [], wants: [] },
  'basic.target': { description: 'Basic System', after: ['sockets.target', 'paths.target', 'timers.target', 'sysinit.target'], wants: ['sockets.target', 'paths.target', 'timers.target', 'sysinit.target'] },
  'network.target': { description: 'Network', after: [], wants: [] },
  'network-online.target': { description: 'Network is Online', after: ['network.target'], wants: [] },
  'multi-user.target': { description: 'Multi-User System', after: ['basic.target'], wants: ['basic.target'] },
  'default.target': { description: 'Multi-User System', after: ['multi-user.target'], wants: ['multi-user.target'] },
  'graphical.target': { description: 'Graphical Interface', after: ['multi-user.target'], wants: ['multi-user.target'] },
};

/** The UnitFile of a target systemd ships, or undefined for other names. */
export function builtinTarget(name: string): UnitFile | undefined {
  const spec = BUILTIN_TARGETS[name];
  if (!spec) return undefined;
  return {
    name,
    type: 'target',
    prefix: name.replace(/\.target$/, ''),
    fragmentPath: `/lib/systemd/system/${name}`,
    dropInPaths: [],
    loadState: 'loaded',
    unit: {
      description: spec.description,
      documentation: ['man:systemd.special(7)'],
      requires: [],
      wants: [...spec.wants],
      after: [...spec.after],
      before: [],
      partOf: [],
      conflicts: [],
      conditionPathExists: [],
    },
    install: { wantedBy: [], requiredBy: [], also: [], alias: [] },
    diagnostics: [],
  };
}

/**
 * Slice units (src/core/slice.c): the cgroup tree's inner nodes, with no process of their own. -.slice and
 * system.slice are perpetual in the system manager (slice_enumerate_perpetual()): built in, active from the start,
 * never logged as created. Other slices, such as the system-PREFIX.slice the instances of a template share, are
 * started like a target ("Created slice X.") when the first unit in them starts.
 */
import type { UnitFile } from '../unit-file/unit-types.ts';
import type { UnitStatusMessageFormats } from './status-messages.ts';
import { SLICE_STATE_TRANSLATION, type SliceState, type TargetResult } from './unit-def.ts';
import { Unit, type ManagerContext } from './unit.ts';

/** slice.c's status_message_formats. */
const SLICE_STATUS_MESSAGES: UnitStatusMessageFormats = {
  finishedStartJob: { done: 'Created slice %s.' },
  finishedStopJob: { done: 'Removed slice %s.' },
};

/** The slices PID 1 makes itself, with their descriptions (slice_load_root_slice(), slice_load_system_slice()). */
const PERPETUAL_SLICES: Record<string, string> = { '-.slice': 'Root Slice', 'system.slice': 'System Slice' };

/** A `.slice` unit. */
export class SliceUnit extends Unit<SliceState, TargetResult> {
  readonly stateTable = SLICE_STATE_TRANSLATION;

  constructor(file: UnitFile, ctx: ManagerContext) {
    super(file, ctx);
    if (this.perpetual) {
      // Active from the manager's start, without a job (slice_coldplug()).
      this.activeState = 'active';
      this.subState = 'active';
      this.activeEnterTimestamp = this.inactiveExitTimestamp = ctx.kernel.clock.now();
      this.everChanged = true;
    }
  }

  /** -.slice and system.slice cannot be stopped (Perpetual=yes). */
  get perpetual(): boolean {
    return Object.hasOwn(PERPETUAL_SLICES, this.name) && this.file.fragmentPath === undefined;
  }

  override canBeStopped(): boolean {
    return !this.perpetual;
  }

  override get statusMessageFormats(): UnitStatusMessageFormats {
    return SLICE_STATUS_MESSAGES;
  }

  override start(): void {
    this.setState('active');
    this.ctx.finishJob(this, 'done');
  }

  override stop(): void {
    // A perpetual slice stays (unit_stop() refuses it): the job ends without "Removed slice".
    if (this.perpetual) {
      this.ctx.finishJob(this, 'done', true);
      return;
    }
    this.setState('dead');
    this.ctx.finishJob(this, 'done');
  }
}

/** The parent of a slice (a-b.slice → a.slice → -.slice), undefined for -.slice: slice_build_parent_slice(). */
export function parentSlice(name: string): string | undefined {
  if (name === '-.slice') return undefined;
  const prefix = name.slice(0, -'.slice'.length);
  const dash = prefix.lastIndexOf('-');
  return dash > 0 ? `${prefix.slice(0, dash)}.slice` : '-.slice';
}

/**
 * The UnitFile of a slice PID 1 has without a file: -.slice and system.slice, and the system-PREFIX.slice that
 * unit_set_default_slice() makes for a template's instances ("Slice /system/PREFIX"); undefined for other names.
 */
export function builtinSlice(name: string): UnitFile | undefined {
  const instanceSlice = /^system-(.+)\.slice$/.exec(name);
  const description = PERPETUAL_SLICES[name] ?? (instanceSlice ? `Slice /system/${unescapeUnitName(instanceSlice[1])}` : undefined);
  if (description === undefined) return undefined;
  const perpetual = Object.hasOwn(PERPETUAL_SLICES, name);
  return {
    name,
    type: 'slice',
    prefix: name.replace(/\.slice$/, ''),
    dropInPaths: [],
    loadState: 'loaded',
    unit: {
      description,
      documentation: perpetual ? ['man:systemd.special(7)'] : [],
      requires: [],
      wants: [],
      after: [],
      before: [],
      partOf: [],
      conflicts: [],
      conditionPathExists: [],
      ...(perpetual ? { defaultDependencies: false } : {}),
    },
    install: { wantedBy: [], requiredBy: [], also: [], alias: [] },
    diagnostics: [],
  };
}

/** unit_name_unescape() of a name part: `\x2d` → `-`. */
function unescapeUnitName(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

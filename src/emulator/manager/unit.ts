/**
 * What every unit type shares (src/core/unit.c): its loaded file, active/sub state, result, the job it has,
 * the context (manager services) its state machine uses, and the per-type hooks the manager calls instead of
 * testing types — systemd's UnitVTable: the state translation table, status_message_formats, the implicit
 * dependencies of *_add_extras(), trigger_notify().
 */
import type { Kernel } from '../kernel/kernel.ts';
import type { ActiveState, SystemEvent, UnitSnapshot } from '../system-events.ts';
import type { UnitFile } from '../unit-file/unit-types.ts';
import { unitStatusString, type StatusFormat, type StatusJobType, type UnitStatusMessageFormats } from './status-messages.ts';
import { isActiveOrReloading, isInactiveOrFailed, type StateTranslationTable } from './unit-def.ts';

/** Job types in scope. */
export type JobType = 'start' | 'stop' | 'restart';
/** systemd's job results. */
export type JobResult = 'done' | 'failed' | 'canceled' | 'dependency' | 'timeout' | 'skipped';

/** A queued or running job (one per unit at most). */
export interface Job {
  id: number;
  unit: Unit;
  type: JobType;
  state: 'waiting' | 'running';
  /** For restart jobs: which half runs. */
  phase: 'stop' | 'start';
  result?: JobResult;
  waiters: Array<(result: JobResult) => void>;
}

/** The manager services a unit's state machine needs. */
export interface ManagerContext {
  readonly kernel: Kernel;
  /** Logs a `systemd[1]:` line about `unit` (no prefix added); `origin` for a service process's own output. */
  log(unit: Unit | undefined, message: string, priority?: number, origin?: { identifier: string; pid: number }): void;
  /** Logs `NAME: message`, as log_unit_*() does. */
  unitLog(unit: Unit, message: string, priority?: number): void;
  /** Looks up a loaded unit. */
  getUnit(name: string): Unit | undefined;
  /** Loads a unit (from disk if not loaded yet). */
  loadUnit(name: string): Unit;
  /** Queues a job; returns it (or the merged existing one). */
  enqueue(unit: Unit, type: JobType): Job;
  /** The unit's job ended (the unit reached the job's goal or gave up). */
  finishJob(unit: Unit, result: JobResult, already?: boolean): void;
  /** The unit changed state: tell listeners and units that watch it. */
  unitChanged(unit: Unit): void;
  emit(event: SystemEvent): void;
  /** Loaded units whose triggerTargets() name `name` (UNIT_TRIGGERED_BY), in load order. */
  triggeringUnits(name: string): Unit[];
  /** Removes a unit that is dead and unreferenced (Accept=yes instances). */
  collect(unit: Unit): void;
}

/** A loaded unit with its runtime state; S and R are its type's sub-states and results (unit-def.ts). */
export abstract class Unit<S extends string = string, R extends string = string> {
  file: UnitFile;
  readonly ctx: ManagerContext;
  activeState: ActiveState = 'inactive';
  subState: S = 'dead' as S;
  result: R = 'success' as R;
  stateChangeTimestamp = 0;
  /** Set once the unit first left `inactive` (status shows "since" only then). */
  everChanged = false;
  /** systemd's four transition timestamps (unit_update_timestamps()); undefined until the transition happened. */
  activeEnterTimestamp?: number;
  activeExitTimestamp?: number;
  inactiveEnterTimestamp?: number;
  inactiveExitTimestamp?: number;
  job?: Job;
  /** Text of the fragment and drop-ins when loaded, to warn about changes on disk. */
  sourceText = '';
  /** Set when the start limit refused a start (unit->start_limit_hit); cleared by reset-failed. */
  startLimitHit = false;
  /**
   * Set for a unit of the base system whose files are the base's (boot-state.ts): it stays loaded, as the real
   * machine's dependencies keep it; `bootSkipped` when its conditions failed at boot (its starts are skipped again).
   */
  baseSystem = false;
  bootSkipped = false;
  /**
   * The last start whose conditions were not met (ConditionResult=no): when, and the unmet conditions as status
   * names them (`ConditionPathExists=!/etc/x`); undefined once a start found them met.
   */
  conditionFailure?: { at: number; unmet: string[] };
  /** Extra dependencies from `.wants/` and `.requires/` directories. */
  extraWants: string[] = [];
  extraRequires: string[] = [];

  /** The type's state_translation_table: sub-state → active state. */
  abstract readonly stateTable: StateTranslationTable<S>;

  constructor(file: UnitFile, ctx: ManagerContext) {
    this.file = file;
    this.ctx = ctx;
    this.stateChangeTimestamp = ctx.kernel.clock.now();
  }

  get name(): string {
    return this.file.name;
  }

  /** Description= as set (an Accept=yes instance adds its peer), undefined when there is none. */
  get ownDescription(): string | undefined {
    return this.file.unit.description || undefined;
  }

  /** Description= or the unit name, as systemd falls back (unit_description()). */
  get description(): string {
    return this.ownDescription ?? this.name;
  }

  /** How status messages name the unit (unit_status_string(), StatusUnitFormat=combined). */
  statusString(): string {
    return unitStatusString(this.name, this.ownDescription);
  }

  /** Moves to sub-state `sub`; the active state follows from the type's table (unit_notify() stamps the times). */
  setState(sub: S): void {
    const active = this.stateTable[sub];
    if (active === this.activeState && sub === this.subState) return;
    if (active !== this.activeState) {
      const now = this.ctx.kernel.clock.now();
      this.stateChangeTimestamp = now;
      this.everChanged = true;
      const wasDown = isInactiveOrFailed(this.activeState);
      const isDown = isInactiveOrFailed(active);
      const wasUp = isActiveOrReloading(this.activeState);
      const isUp = isActiveOrReloading(active);
      if (wasDown && !isDown) this.inactiveExitTimestamp = now;
      if (!wasDown && isDown) this.inactiveEnterTimestamp = now;
      if (!wasUp && isUp) this.activeEnterTimestamp = now;
      if (wasUp && !isUp) this.activeExitTimestamp = now;
    }
    this.activeState = active;
    this.subState = sub;
    this.ctx.unitChanged(this);
  }

  /** Checks done before "Starting…" is logged (the start limit, *_can_start()); false after failing the job itself. */
  canStart(): boolean {
    return true;
  }

  /** job_type_is_applicable(JOB_STOP): false for a unit that cannot be stopped (a perpetual slice). */
  canBeStopped(): boolean {
    return true;
  }

  /** Begins reaching the active state for a start job. */
  abstract start(): void;
  /** Begins reaching the inactive state for a stop job. */
  abstract stop(): void;

  /** status_message_formats of the unit's vtable (the generic words of job.c apply where it has none). */
  get statusMessageFormats(): UnitStatusMessageFormats {
    return {};
  }

  /** The vtable's finished_job(): a done message that depends on the unit (oneshot's "Finished %s."), or undefined. */
  finishedJobFormat(_type: StatusJobType, _result: JobResult): StatusFormat | undefined {
    return undefined;
  }

  /** Wants= the type adds by itself (service_add_extras(): Sockets=). */
  implicitWants(): string[] {
    return [];
  }

  /** After= the type adds by itself; `explicit` are the unit's own Wants= and Requires= with their links. */
  implicitAfter(_explicit: { wants: string[]; requires: string[] }): string[] {
    return [];
  }

  /** Before= the type adds by itself (socket_add_extras(): Before= its service and sockets.target). */
  implicitBefore(): string[] {
    return [];
  }

  /** Units this one triggers as its file names them (UNIT_TRIGGERS added at load time). */
  triggerTargets(): string[] {
    return [];
  }

  /** Units this one triggers now (an Accept=yes socket: its live instances). */
  triggers(): string[] {
    return this.triggerTargets();
  }

  /** Units that trigger this one beyond those naming it in triggerTargets() (a service's Sockets=, its Accept=yes socket). */
  extraTriggeredBy(): string[] {
    return [];
  }

  /** trigger_notify(): a unit this one triggers changed state. */
  triggerNotify(_triggered: Unit): void {}

  /** The slice a template's instances share (unit_set_default_slice()): created with the first instance. */
  slice(): { name: string; description: string } | undefined {
    return undefined;
  }

  /** Type-specific snapshot fields. */
  snapshotExtra(): Partial<UnitSnapshot> {
    return {};
  }

  /** unit_reset_failed(): a failed unit becomes inactive with result success (the type's reset_failed() may do more). */
  resetFailed(): void {
    this.startLimitHit = false;
    if (this.activeState !== 'failed') return;
    this.result = 'success' as R;
    this.setState('dead' as S);
  }

  /** Whether the job engine checks the unit's Condition*= before starting it (not for a unit whose state comes from the boot). */
  checksConditions(): boolean {
    return true;
  }

  /** Puts a base-system unit where the real boot left it, before the boot's jobs run (snapshot-unit.ts); others wait for their jobs. */
  restoreBootState(): void {}

  /** Called after a daemon-reload replaced `file`. */
  reloaded(): void {}
}

/**
 * What every unit type shares: its loaded file, active/sub state, result, the job it has,
 * and the context (manager services) its state machine uses.
 */
import type { Kernel } from '../kernel/kernel.ts';
import type { ActiveState, SystemEvent, UnitSnapshot } from '../system-events.ts';
import type { UnitFile } from '../unit-file/unit-types.ts';
import type { SocketUnit } from './socket-unit.ts';

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
  /** Accept=no socket units (loaded) whose service is `service`. */
  socketsTriggering(service: string): SocketUnit[];
  /** Removes a unit that is dead and unreferenced (Accept=yes instances). */
  collect(unit: Unit): void;
}

/** A loaded unit with its runtime state. */
export abstract class Unit {
  file: UnitFile;
  readonly ctx: ManagerContext;
  activeState: ActiveState = 'inactive';
  subState = 'dead';
  result = 'success';
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
  /** Extra dependencies from `.wants/` and `.requires/` directories. */
  extraWants: string[] = [];
  extraRequires: string[] = [];

  constructor(file: UnitFile, ctx: ManagerContext) {
    this.file = file;
    this.ctx = ctx;
    this.stateChangeTimestamp = ctx.kernel.clock.now();
  }

  get name(): string {
    return this.file.name;
  }

  /** Description= or the unit name, as systemd falls back. */
  get description(): string {
    return this.file.unit.description || this.name;
  }

  /** Moves to a new state, stamping the time when the active state changes. */
  setState(active: ActiveState, sub: string): void {
    if (active === this.activeState && sub === this.subState) return;
    if (active !== this.activeState) {
      const now = this.ctx.kernel.clock.now();
      this.stateChangeTimestamp = now;
      this.everChanged = true;
      const wasDown = this.activeState === 'inactive' || this.activeState === 'failed';
      const isDown = active === 'inactive' || active === 'failed';
      const wasUp = this.activeState === 'active' || this.activeState === 'reloading';
      const isUp = active === 'active' || active === 'reloading';
      if (wasDown && !isDown) this.inactiveExitTimestamp = now;
      if (!wasDown && isDown) this.inactiveEnterTimestamp = now;
      if (!wasUp && isUp) this.activeEnterTimestamp = now;
      if (wasUp && !isUp) this.activeExitTimestamp = now;
    }
    this.activeState = active;
    this.subState = sub;
    this.ctx.unitChanged(this);
  }

  /** Checks done before "Starting…" is logged (the start limit); false after failing the job itself. */
  canStart(): boolean {
    return true;
  }

  /** Begins reaching the active state for a start job. */
  abstract start(): void;
  /** Begins reaching the inactive state for a stop job. */
  abstract stop(): void;

  /** Units this one triggers (socket → service, path → its Unit=). */
  triggers(): string[] {
    return [];
  }

  /** Units that trigger this one. */
  triggeredBy(): string[] {
    return [];
  }

  /** Type-specific snapshot fields. */
  snapshotExtra(): Partial<UnitSnapshot> {
    return {};
  }

  /** Called after a daemon-reload replaced `file`. */
  reloaded(): void {}
}

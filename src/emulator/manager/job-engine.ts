/**
 * The job engine (src/core/job.c and transaction.c, simplified): one job per unit, start jobs pulling in
 * Requires=/Wants=, stop jobs propagating to units bound by Requires=/PartOf=, Conflicts=, ordering by
 * After=/Before=, the restart job's two halves, and the status messages of job_emit_begin_message() /
 * job_emit_done_message() in the words each unit type gives (status-messages.ts).
 */
import type { Kernel } from '../kernel/kernel.ts';
import type { JournalJobFields } from '../system-events.ts';
import type { DependencyViews } from './dependencies.ts';
import { PRIORITY } from './journal.ts';
import { beginStatusFormat, doneStatusFormat, formatStatus, type StatusJobType } from './status-messages.ts';
import { isActiveOrReloading, isInactiveOrFailed } from './unit-def.ts';
import type { UnitRegistry } from './unit-registry.ts';
import type { Job, JobResult, JobType, Unit } from './unit.ts';

/** Queued jobs by the unit names their units are ordered Before=/After=. */
interface OrderingIndex {
  before: Map<string, Job[]>;
  after: Map<string, Job[]>;
}

/** What the job engine needs from the manager around it. */
export interface JobEngineContext {
  readonly kernel: Kernel;
  readonly registry: UnitRegistry;
  readonly dependencies: DependencyViews;
  /** Logs a line about `unit` (any unit name, loaded or not); `job` for the job messages (JOB_ID=, JOB_TYPE=, JOB_RESULT=). */
  log(unit: { readonly name: string } | undefined, message: string, priority?: number, job?: JournalJobFields): void;
  unitLog(unit: Unit, message: string, priority?: number): void;
  /** A unit's job ended: tell listeners and the units that watch it. */
  unitChanged(unit: Unit): void;
}

/** The job queue and its dispatcher. */
export class JobEngine {
  /** Queued and running jobs, oldest first (a Set: finishing a job must not cost a scan of the queue). */
  private readonly jobs = new Set<Job>();
  private nextJobId = 1;
  /** Queued jobs by the unit names their units are ordered Before=/After= (the reverse lookups of isRunnable). */
  private ordering: OrderingIndex = { before: new Map(), after: new Map() };
  private dispatchQueued = false;
  private idleWaiters: Array<() => void> = [];

  private readonly ctx: JobEngineContext;

  constructor(ctx: JobEngineContext) {
    this.ctx = ctx;
  }

  /** job_install(): queues a job for `unit` (merging with or replacing the one it has) and its dependencies' jobs. */
  enqueue(unit: Unit, type: JobType): Job {
    const existing = unit.job;
    if (existing && (existing.type === type || (type === 'start' && existing.type === 'restart'))) return existing;
    if (existing && existing.type === 'start' && type === 'restart') {
      // job_install(): start and restart merge (job_merge_into_installed); a running start job becomes the
      // restart job and runs again, so whoever waits on it (systemctl start) keeps waiting through auto-restart.
      existing.type = 'restart';
      existing.phase = 'stop';
      existing.state = 'waiting';
      this.propagatePartOf(unit, 'restart');
      this.scheduleDispatch();
      return existing;
    }
    // A waiting or running job is replaced: systemd cancels it and the new one takes over.
    if (existing) this.finishJob(unit, 'canceled');
    const job: Job = { id: this.nextJobId++, unit, type, state: 'waiting', phase: type === 'restart' ? 'stop' : 'start', waiters: [] };
    unit.job = job;
    this.jobs.add(job);
    this.indexOrdering(job);
    if (type === 'start' || type === 'restart') this.addStartDependencies(unit);
    if (type === 'stop') this.addStopDependencies(unit);
    if (type === 'restart') this.propagatePartOf(unit, 'restart');
    this.scheduleDispatch();
    return job;
  }

  private addStartDependencies(unit: Unit): void {
    const { registry, dependencies } = this.ctx;
    for (const name of [...dependencies.requiresOf(unit), ...dependencies.wantsOf(unit)]) {
      const other = registry.loadUnit(name);
      if (other.file.loadState !== 'loaded') continue;
      if (other.activeState === 'active' || (other.job && other.job.type !== 'stop')) continue;
      this.enqueue(other, 'start');
    }
    // Only a unit that declares Conflicts= itself, or another that does, can have a conflict to act on.
    if (unit.file.unit.conflicts.length === 0 && !registry.hasConflicts()) return;
    for (const other of registry.units.values()) {
      const conflicts = unit.file.unit.conflicts.includes(other.name) || other.file.unit.conflicts.includes(unit.name);
      if (conflicts && other !== unit && (other.activeState === 'active' || other.activeState === 'activating' || other.job)) {
        this.enqueue(other, 'stop');
      }
    }
  }

  private addStopDependencies(unit: Unit): void {
    for (const other of this.ctx.registry.units.values()) {
      if (other === unit || other.job?.type === 'stop') continue;
      const bound = this.ctx.dependencies.requiresOf(other).includes(unit.name) || other.file.unit.partOf.includes(unit.name);
      if (bound && !isInactiveOrFailed(other.activeState)) this.enqueue(other, 'stop');
    }
  }

  private propagatePartOf(unit: Unit, type: JobType): void {
    for (const other of this.ctx.registry.units.values()) {
      if (other === unit || other.job) continue;
      if (other.file.unit.partOf.includes(unit.name) && other.activeState === 'active') this.enqueue(other, type);
    }
  }

  private scheduleDispatch(): void {
    if (this.dispatchQueued) return;
    this.dispatchQueued = true;
    queueMicrotask(() => {
      this.dispatchQueued = false;
      this.dispatch();
    });
  }

  private isStopLike(job: Job): boolean {
    return job.type === 'stop' || (job.type === 'restart' && job.phase === 'stop');
  }

  /** Whether job `a` must wait for job `b`, given a's unit is ordered after (or before) b's (job_compare()). */
  private mustWait(a: Job, b: Job, aAfterB: boolean): boolean {
    const aStop = this.isStopLike(a);
    const bStop = this.isStopLike(b);
    if (aStop && !bStop) return false;
    if (!aStop && bStop) return true;
    if (aStop && bStop) return !aAfterB;
    return aAfterB;
  }

  /** job_is_runnable(): no job it is ordered after (or, for stops, before) is still queued. */
  private isRunnable(job: Job): boolean {
    const { registry, dependencies } = this.ctx;
    const ordering = this.ordering;
    const unit = job.unit;
    for (const name of dependencies.afterOf(unit)) {
      const other = registry.getUnit(name);
      if (other?.job && other !== unit && this.mustWait(job, other.job, true)) return false;
    }
    for (const name of dependencies.beforeOf(unit)) {
      const other = registry.getUnit(name);
      if (other?.job && other !== unit && this.mustWait(job, other.job, false)) return false;
    }
    // Jobs of units that name this one in their own Before=/After= (the reverse direction).
    for (const name of registry.hasAliases() ? registry.namesOf(unit) : [unit.name]) {
      for (const other of ordering.before.get(name) ?? []) {
        if (other !== job && other.unit.job === other && this.mustWait(job, other, true)) return false;
      }
      for (const other of ordering.after.get(name) ?? []) {
        if (other !== job && other.unit.job === other && this.mustWait(job, other, false)) return false;
      }
    }
    return true;
  }

  /** Adds a queued job to the ordering index (entries of finished jobs are skipped, and dropped when the queue empties). */
  private indexOrdering(job: Job): void {
    const add = (map: Map<string, Job[]>, name: string): void => {
      const list = map.get(name);
      if (list) list.push(job);
      else map.set(name, [job]);
    };
    for (const name of this.ctx.dependencies.beforeOf(job.unit)) add(this.ordering.before, name);
    for (const name of this.ctx.dependencies.afterOf(job.unit)) add(this.ordering.after, name);
  }

  /** Rebuilds the ordering index from the queued jobs (after daemon-reload changed Before=/After=). */
  reindexOrdering(): void {
    this.ordering = { before: new Map(), after: new Map() };
    for (const job of this.jobs) this.indexOrdering(job);
  }

  /** manager_dispatch_run_queue(): runs every runnable job until none is left. */
  private dispatch(): void {
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const job of [...this.jobs]) {
        if (job.state !== 'waiting' || job.unit.job !== job) continue;
        if (!this.isRunnable(job)) continue;
        progressed = true;
        this.runJob(job);
      }
    }
    if (this.jobs.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** job_run_and_invalidate(): calls the unit's start or stop. */
  private runJob(job: Job): void {
    job.state = 'running';
    const unit = job.unit;
    try {
      if (job.type === 'start') {
        this.startUnit(job);
      } else {
        if (isInactiveOrFailed(unit.activeState) && unit.subState !== 'auto-restart') {
          this.finishJob(unit, 'done', true);
          return;
        }
        // service_stop() of a service waiting to auto-restart returns 0 ("did nothing"): no "Stopping…".
        const didSomething = unit.subState !== 'auto-restart';
        const restart = job.type === 'restart';
        unit.stop();
        // A restart whose stop half ended at once is a start job now, still queued: job_perform_on_unit()
        // finds it and logs "Stopping X..." after "Closed X." / "Stopped X.".
        if (restart && didSomething && unit.job === job && (job.type as JobType) === 'start') this.logBegin(unit, 'stop');
        else if (didSomething) this.logBeginIfPending(job, 'stop');
      }
    } catch (error) {
      this.ctx.unitLog(unit, `Internal error while running job: ${(error as Error)?.message ?? String(error)}`, PRIORITY.err);
      if (unit.job === job) this.finishJob(unit, 'failed');
    }
  }

  /** unit_start(): conditions, the type's can_start() (start limit), then the type's start(). */
  private startUnit(job: Job): void {
    const unit = job.unit;
    // unit_start() returns -EALREADY first: the job ends without a message (job_finish_and_invalidate(…, already)).
    if (isActiveOrReloading(unit.activeState)) {
      this.finishJob(unit, 'done', true);
      return;
    }
    if (!this.checkConditions(unit) || !unit.canStart()) return;
    unit.start();
    this.logBeginIfPending(job, 'start');
  }

  /**
   * job_perform_on_unit() logs "Starting X..."/"Stopping X..." AFTER calling the unit's start/stop, and only
   * when the job is still there: a unit that got there at once (a socket, a target, a Type=simple service
   * without ExecStartPre=) logs only "Listening on…"/"Started…".
   */
  private logBeginIfPending(job: Job, type: StatusJobType): void {
    const unit = job.unit;
    if (unit.job !== job || job.result !== undefined) return;
    if (type === 'stop' && unit.activeState !== 'deactivating') return;
    this.logBegin(unit, type);
  }

  /** job_emit_start_message(): "Starting X..." / "Stopping X..." in the type's words. */
  private logBegin(unit: Unit, type: StatusJobType): void {
    const job = unit.job;
    this.ctx.log(unit, formatStatus(beginStatusFormat(unit.statusMessageFormats, type), unit.statusString()), PRIORITY.info, job ? { id: job.id, type } : undefined);
  }

  /**
   * unit_test_condition(): ConditionPathExists=. An unmet condition skips the start without failing: the
   * job ends `done` with nothing but the condition line logged (job_run_and_invalidate() on -ECOMM).
   */
  private checkConditions(unit: Unit): boolean {
    // A base-system unit whose conditions failed at the real boot (ConditionSecurity=audit…): skipped again.
    if (unit.bootSkipped) {
      if (unit.conditionFailure) unit.conditionFailure = { ...unit.conditionFailure, at: this.ctx.kernel.clock.now() };
      this.finishJob(unit, 'done', true);
      return false;
    }
    // A unit whose state comes from the boot (snapshot-unit.ts) had its conditions checked by that boot.
    if (!unit.checksConditions()) return true;
    // config_parse_unit_condition_path() prepends each condition to the unit's list: the last one written is tested
    // first, and the first unmet one ends the test (checked on systemd 252: ConditionPathExists=/nope then =!/etc,
    // both unmet, logs the !/etc one).
    for (const condition of [...unit.file.unit.conditionPathExists].reverse()) {
      const exists = this.ctx.kernel.fs.stat(condition.path) !== undefined;
      if (exists === condition.negate) {
        const text = `ConditionPathExists=${condition.negate ? '!' : ''}${condition.path}`;
        this.ctx.log(unit, `${unit.statusString()} was skipped because of an unmet condition check (${text}).`);
        unit.conditionFailure = { at: this.ctx.kernel.clock.now(), unmet: [text] };
        this.finishJob(unit, 'done', true);
        return false;
      }
    }
    unit.conditionFailure = undefined;
    return true;
  }

  /** job_emit_done_message(): the type's words for the job's result, naming the unit as unit_status_string() does. */
  private logDone(unit: Unit, type: StatusJobType, result: JobResult, job: Job): void {
    const special = unit.finishedJobFormat(type, result);
    // A start job done while the unit is not active (it went down at once) logs nothing, unless the type has words for it.
    const format = type === 'start' && result === 'done' && unit.activeState !== 'active' && !special
      ? undefined
      : doneStatusFormat(unit.statusMessageFormats, type, result, special);
    if (format) this.ctx.log(unit, formatStatus(format, unit.statusString()), result === 'done' || result === 'skipped' ? PRIORITY.info : PRIORITY.err, { id: job.id, type, result });
    if (result === 'dependency') this.ctx.unitLog(unit, `Job ${unit.name}/${type} failed with result 'dependency'.`, PRIORITY.notice);
  }

  /** job_finish_and_invalidate(): ends the unit's job with `result`; `already` (the unit was in the goal state) logs nothing. */
  finishJob(unit: Unit, result: JobResult, already = false): void {
    const job = unit.job;
    if (!job) return;
    if (job.type === 'restart' && job.phase === 'stop' && result === 'done') {
      if (!already) this.logDone(unit, 'stop', 'done', job);
      // A restart job whose stop half is done becomes a plain start job, run again from the queue.
      job.type = 'start';
      job.phase = 'start';
      job.state = 'waiting';
      this.scheduleDispatch();
      return;
    }
    unit.job = undefined;
    // A unit that failed to load was held by its job only, perhaps (unit_add_to_gc_queue()).
    if (unit.file.loadState !== 'loaded') this.ctx.registry.markForCollection();
    this.jobs.delete(job);
    if (this.jobs.size === 0) this.ordering = { before: new Map(), after: new Map() };
    job.result = result;
    if (result !== 'canceled' && !already) this.logDone(unit, job.type === 'stop' ? 'stop' : 'start', result, job);
    for (const resolve of job.waiters) resolve(result);
    if (job.type !== 'stop' && result !== 'done' && result !== 'skipped' && result !== 'canceled') {
      for (const other of [...this.jobs]) {
        if (other.type !== 'stop' && other.state === 'waiting' && this.ctx.dependencies.requiresOf(other.unit).includes(unit.name)) {
          this.finishJob(other.unit, 'dependency');
        }
      }
    }
    this.ctx.unitChanged(unit);
    this.scheduleDispatch();
  }

  /** Resolves once no job is queued or running. */
  whenIdle(): Promise<void> {
    if (this.jobs.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Pending jobs, oldest first (systemctl list-jobs). */
  pendingJobs(): Job[] {
    return [...this.jobs];
  }
}

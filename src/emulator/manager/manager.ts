/**
 * The manager (PID 1's core, src/core/manager.c): a thin facade over its parts, which commands reach as
 * `system.manager` — the unit registry and loading (unit-registry.ts), the job engine (job-engine.ts),
 * the dependency views (dependencies.ts) and snapshots (snapshots.ts). It writes the journal, tells
 * subscribers what changed, and hands each unit the ManagerContext its state machine uses.
 */
import type { Kernel } from '../kernel/kernel.ts';
import type { JournalJobFields, SystemEvent, SystemSnapshot, UnitSnapshot } from '../system-events.ts';
import type { UnitFile } from '../unit-file/unit-types.ts';
import type { BootState } from './boot-state.ts';
import { DependencyViews } from './dependencies.ts';
import { JobEngine } from './job-engine.ts';
import { CONFIG_DIR } from './install.ts';
import { Journal, PRIORITY } from './journal.ts';
import { Snapshots } from './snapshots.ts';
import { isInactiveOrFailed } from './unit-def.ts';
import { SEARCH_PATHS, UnitRegistry, type UnitLoader } from './unit-registry.ts';
import type { Job, JobResult, JobType, ManagerContext, Unit } from './unit.ts';
import { unneededAfter } from './stop-when-unneeded.ts';

/** The manager. Construct through createSystem(). */
export class Manager implements ManagerContext {
  readonly kernel: Kernel;
  readonly journal = new Journal();
  private readonly registry: UnitRegistry;
  private readonly dependencies: DependencyViews;
  private readonly jobs: JobEngine;
  private readonly snapshots: Snapshots;
  private readonly listeners = new Set<(event: SystemEvent) => void>();
  /** When boot() ran (the overview's `Since:`); undefined before. */
  bootTimestamp?: number;
  /**
   * Set while PID 1 loads the units at boot on a machine with a base system: what it logs then (a unit file's
   * warnings) goes to the console before systemd-journald runs, and a container keeps no kernel log of it; real
   * `journalctl -u` shows such a warning only once the unit is loaded again (daemon-reload, a later start).
   */
  private beforeJournal = false;
  /** The base system's state after boot, when the machine has one (a lab machine: Debian 12's). */
  bootState?: BootState;
  /** Set once the boot's jobs all finished (the overview says `starting` until then). */
  bootFinished = false;

  /** Where this manager looks for unit files: the system's, or a user manager's (see user-manager.ts). */
  readonly searchPaths: readonly string[];
  /** Where `enable` makes its links: /etc/systemd/system, or ~/.config/systemd/user for a user manager. */
  readonly configDir: string;

  /** The manager's own PID in its journal lines: 1, or a user manager's process. */
  readonly pid: number;

  constructor(kernel: Kernel, loader: UnitLoader, scope: { searchPaths?: readonly string[]; configDir?: string; pid?: number } = {}) {
    this.kernel = kernel;
    this.pid = scope.pid ?? 1;
    this.searchPaths = scope.searchPaths ?? SEARCH_PATHS;
    this.configDir = scope.configDir ?? CONFIG_DIR;
    this.registry = new UnitRegistry({ kernel, unitContext: this, searchPaths: this.searchPaths, bootState: () => this.bootState, bootTime: () => this.bootTimestamp ?? kernel.clock.now(), log: (unitName, message, priority, origin) => this.logAbout(unitName, message, priority, origin) }, loader);
    this.dependencies = new DependencyViews(this.registry, { system: scope.searchPaths === undefined });
    this.jobs = new JobEngine({
      kernel,
      registry: this.registry,
      dependencies: this.dependencies,
      log: (unit, message, priority, job) => this.logAbout(unit?.name, message, priority, undefined, job),
      unitLog: (unit, message, priority) => this.unitLog(unit, message, priority),
      unitChanged: (unit) => this.unitChanged(unit),
    });
    this.snapshots = new Snapshots(kernel, this.registry, this.dependencies, this.journal, this.configDir);
    this.journal.subscribe((entry) => this.emit({ type: 'journal', entry }));
  }

  /** The loaded units by name. */
  get units(): ReadonlyMap<string, Unit> {
    this.collectGarbage();
    return this.registry.units;
  }

  // ---- logging and events ----

  /** Logs a line (PID 1's by default) about `unit`. */
  log(unit: { readonly name: string } | undefined, message: string, priority: number = PRIORITY.info, origin?: { identifier: string; pid: number }): void {
    this.logAbout(unit?.name, message, priority, origin);
  }

  /** Logs a line about the unit named `unitName` (UNIT=), which need not be loaded. */
  private logAbout(unitName: string | undefined, message: string, priority: number = PRIORITY.info, origin?: { identifier: string; pid: number }, job?: JournalJobFields): void {
    if (this.beforeJournal) return;
    this.journal.append({
      timestamp: this.kernel.clock.now(),
      unit: unitName,
      identifier: origin?.identifier ?? 'systemd',
      pid: origin?.pid ?? this.pid,
      message,
      priority,
      ...(job ? { job } : {}),
    });
  }

  /** Logs `NAME: message` (log_unit_*()). */
  unitLog(unit: Unit, message: string, priority: number = PRIORITY.info): void {
    this.log(unit, `${unit.name}: ${message}`, priority);
  }

  /** Tells every subscriber; a broken listener must not break the manager. */
  emit(event: SystemEvent): void {
    if (this.listeners.size === 0) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A broken listener must not break the manager.
      }
    }
  }

  /** Subscribes to events; returns the unsubscribe function. */
  subscribe(listener: (event: SystemEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- units (unit-registry.ts) ----

  /** A loaded unit by name or alias. */
  getUnit(name: string): Unit | undefined {
    this.collectGarbage();
    return this.registry.getUnit(name);
  }

  /**
   * Drops units that failed to load and that nothing holds (unit-registry.ts); subscribers see them go. Between
   * two requests (`betweenRequests`: before a command runs) inactive units that did load go too.
   */
  collectGarbage(betweenRequests = false): void {
    for (const unit of this.registry.collectGarbage({ loaded: betweenRequests })) {
      if (this.listeners.size > 0) this.emit({ type: 'unit', unit: this.snapshots.unitSnapshot(unit) });
    }
  }

  /** The loaded unit, or the unit read from disk now (manager_load_unit()). */
  loadUnit(name: string): Unit {
    return this.registry.loadUnit(name);
  }

  /** Every name of a loaded unit: its own and its aliases. */
  namesOf(unit: Unit): string[] {
    return this.registry.namesOf(unit);
  }

  /** Reads a unit's files as they are on disk now, without loading it (systemctl cat, is-enabled). */
  peekUnitFile(name: string): UnitFile {
    return this.registry.peekUnitFile(name);
  }

  /** The text of a unit's fragment and drop-ins, to notice edits made after loading. */
  readSources(file: UnitFile): string {
    return this.registry.readSources(file);
  }

  /** True when the unit's files changed on disk since it was loaded (systemctl's warning). */
  changedOnDisk(unit: Unit): boolean {
    return this.registry.changedOnDisk(unit);
  }

  /** Loaded units whose files name `name` as the unit they trigger. */
  triggeringUnits(name: string): Unit[] {
    return this.registry.triggeringUnits(name);
  }

  /** Re-reads every loaded unit's files (systemctl daemon-reload), keeping runtime state. */
  daemonReload(): void {
    this.log(undefined, 'Reloading.');
    this.snapshots.invalidate();
    this.registry.reload();
    this.jobs.reindexOrdering();
    this.emit({ type: 'reload' });
  }

  // ---- dependencies (dependencies.ts) ----

  /** Requires= of a unit, with `.requires/` links. */
  requiresOf(unit: Unit): string[] {
    return this.dependencies.requiresOf(unit);
  }

  /** Wants= of a unit, with `.wants/` links and its type's implicit ones. */
  wantsOf(unit: Unit): string[] {
    return this.dependencies.wantsOf(unit);
  }

  /** After= of a unit with its type's implicit ones. */
  afterOf(unit: Unit): string[] {
    return this.dependencies.afterOf(unit);
  }

  /** Before= of a unit with its type's implicit ones. */
  beforeOf(unit: Unit): string[] {
    return this.dependencies.beforeOf(unit);
  }

  /** Conflicts= of a unit with the default one (shutdown.target). */
  conflictsOf(unit: Unit): string[] {
    return this.dependencies.conflictsOf(unit);
  }

  /** WantedBy= of a unit (the loaded units that want it). */
  wantedByOf(unit: Unit): string[] {
    return this.dependencies.wantedByOf(unit);
  }

  /** RequiredBy= of a unit (the loaded units that require it). */
  requiredByOf(unit: Unit): string[] {
    return this.dependencies.requiredByOf(unit);
  }

  /** DefaultDependencies= of a unit. */
  defaultDependenciesOf(unit: Unit): boolean {
    return this.dependencies.defaultDependenciesOf(unit);
  }

  /** The slice a unit runs in, if its type runs in one. */
  sliceOf(unit: Unit): string | undefined {
    return this.dependencies.sliceNameOf(unit);
  }

  /** Units that trigger `unit` (sockets, path units, the Accept=yes socket of an instance). */
  triggeredByOf(unit: Unit): string[] {
    return this.dependencies.triggeredByOf(unit);
  }

  // ---- jobs (job-engine.ts) ----

  /** Queues a job; returns it (or the merged existing one). */
  enqueue(unit: Unit, type: JobType): Job {
    return this.jobs.enqueue(unit, type);
  }

  /** Ends the unit's job with `result`; `already` (the unit was in the goal state) logs nothing, as systemd. */
  finishJob(unit: Unit, result: JobResult, already = false): void {
    this.jobs.finishJob(unit, result, already);
  }

  /** Queues a job and resolves with its result (what `systemctl start` waits for). */
  runJobAndWait(unit: Unit, type: JobType): Promise<JobResult> {
    const job = this.jobs.enqueue(unit, type);
    return new Promise((resolve) => job.waiters.push(resolve));
  }

  /** Resolves once no job is queued or running. */
  whenIdle(): Promise<void> {
    return this.jobs.whenIdle();
  }

  /** Pending jobs, oldest first (systemctl list-jobs). */
  pendingJobs(): Job[] {
    return this.jobs.pendingJobs();
  }

  /** unit_notify(): tells subscribers, then trigger_notify() of every unit that triggers this one. */
  unitChanged(unit: Unit): void {
    // The snapshot is built only for a subscriber (the lab UI); a headless boot has none.
    if (this.listeners.size > 0) this.emit({ type: 'unit', unit: this.snapshots.unitSnapshot(unit) });
    for (const unneeded of unneededAfter(this, unit)) this.enqueue(unneeded, 'stop');
    for (const other of this.dependencies.triggeringUnitsOf(unit)) other.triggerNotify(unit);
  }

  /** Removes a unit that is inactive and has no job (unit_gc_sweep() with CollectMode=inactive: failed units stay). */
  collect(unit: Unit): void {
    if (unit.job || unit.activeState !== 'inactive') return;
    this.registry.remove(unit);
    if (this.listeners.size > 0) this.emit({ type: 'unit', unit: this.snapshots.unitSnapshot(unit) });
  }

  // ---- boot and snapshots ----

  /**
   * Starts what a boot starts: default.target and with it sockets.target and the `.wants/` links. With a
   * `bootState` (a lab machine's Debian 12), every unit the real boot loaded is loaded too, and the units the
   * emulator does not run reach the state that boot left them in (snapshot-unit.ts) instead of running: only the
   * lab's units, and the base's sockets, paths and targets, run.
   */
  boot(bootState?: BootState): void {
    this.journal.newBoot();
    this.bootTimestamp = this.kernel.clock.now();
    this.bootFinished = false;
    this.bootState = bootState;
    void this.whenIdle().then(() => {
      this.bootFinished = true;
    });
    this.beforeJournal = bootState !== undefined;
    try {
      this.bootTransaction(bootState);
    } finally {
      this.beforeJournal = false;
    }
  }

  /** Loads what the boot loads and queues its jobs (its messages go to the journal once the jobs run). */
  private bootTransaction(bootState: BootState | undefined): void {
    this.enqueue(this.loadUnit('default.target'), 'start');
    // The units the boot's jobs do not reach (the real boot started them from elsewhere, or they are loaded as
    // references) are put where it left them; those with a job reach it when their job runs, in boot order
    // (a socket before its service: a service already active would make the socket refuse).
    for (const unit of this.registry.loadUnits(Object.keys(bootState?.units ?? {}))) {
      if (!unit.job) unit.restoreBootState();
    }
  }

  /** Stops every active unit (shutdown), services before sockets. */
  shutdown(): void {
    for (const unit of this.registry.units.values()) {
      if (!isInactiveOrFailed(unit.activeState)) this.enqueue(unit, 'stop');
    }
  }

  /** One unit as plain data. */
  unitSnapshot(unit: Unit): UnitSnapshot {
    return this.snapshots.unitSnapshot(unit);
  }

  /** Every loaded unit and the journal as plain data. */
  snapshot(): SystemSnapshot {
    return this.snapshots.snapshot();
  }
}

/**
 * The manager (PID 1's core): loads units through the unit-file layer, keeps them with their state,
 * runs the job queue with Requires=/Wants=/After=/Before=/PartOf=/Conflicts= and the implicit
 * socket → service dependencies, writes the journal and tells subscribers what changed.
 */
import type { FileSystem, Kernel } from '../kernel/kernel.ts';
import type { SystemEvent, SystemSnapshot, UnitSnapshot } from '../system-events.ts';
import { DEFAULT_SEARCH_PATHS, emptyUnit, formatDiagnostic } from '../unit-file/unit-loader.ts';
import type { UnitFile } from '../unit-file/unit-types.ts';
import { unitTypeOf } from '../unit-file/unit-name.ts';
import { CONFIG_DIR, scanInstallLinks, unitFileState, type InstallLinks } from './install.ts';
import { Journal, PRIORITY } from './journal.ts';
import { PathUnit } from './path-unit.ts';
import { ServiceUnit } from './service-unit.ts';
import { SocketUnit } from './socket-unit.ts';
import { TargetUnit, builtinTarget } from './target-unit.ts';
import { Unit } from './unit.ts';
import type { Job, JobResult, JobType, ManagerContext } from './unit.ts';

/** Loads one unit by name from the search paths (the unit-file layer's loadUnit). */
export type UnitLoader = (name: string, fs: FileSystem, searchPaths: readonly string[]) => UnitFile;

/** Where unit files are looked up, highest priority first (systemd's system search path). */
export const SEARCH_PATHS = DEFAULT_SEARCH_PATHS;

/** A placeholder UnitFile for a unit that could not be loaded. */
export function emptyUnitFile(name: string, loadState: UnitFile['loadState'], loadError?: string): UnitFile {
  const file = emptyUnit(name, unitTypeOf(name) ?? 'service');
  file.loadState = loadState;
  file.loadError = loadError;
  file.socket = file.service = file.path = undefined;
  return file;
}

/** The manager. Construct through createSystem(); commands reach it as `system.manager`. */
/** Queued jobs by the unit names their units are ordered Before=/After=. */
interface OrderingIndex {
  before: Map<string, Job[]>;
  after: Map<string, Job[]>;
}

export class Manager implements ManagerContext {
  readonly kernel: Kernel;
  readonly journal = new Journal();
  readonly units = new Map<string, Unit>();
  private readonly loader: UnitLoader;
  private readonly listeners = new Set<(event: SystemEvent) => void>();
  /** Queued and running jobs, oldest first (a Set: finishing a job must not cost a scan of the queue). */
  private readonly jobs = new Set<Job>();
  private nextJobId = 1;
  /** Queued jobs by the unit names their units are ordered Before=/After= (the reverse lookups of isRunnable). */
  private ordering: OrderingIndex = { before: new Map(), after: new Map() };
  private dispatchQueued = false;
  private idleWaiters: Array<() => void> = [];
  /**
   * UnitFileState per unit, computed on first use and dropped on daemon-reload (enable/disable reload too),
   * as PID 1 caches it. Computing it scans the .wants/ directories, so a snapshot per state change
   * would otherwise cost O(units²) on a large boot.
   */
  private readonly unitFileStates = new Map<string, string>();
  /** Alias name → the unit it names (symlinked unit files, default.target). */
  private readonly aliases = new Map<string, string>();
  private installLinks: InstallLinks | undefined;
  /**
   * Reverse lookups kept in step with `units` (track/untrack, rebuilt on daemon-reload), in the units' order:
   * which path units exist, which sockets (Accept=no) trigger a service, which units declare Conflicts=.
   * Without them every state change and every job scanned all units, O(units²) on a large boot.
   */
  private pathUnits = new Set<PathUnit>();
  private socketsByService = new Map<string, SocketUnit[]>();
  private conflictDeclarers = new Set<Unit>();
  /** When boot() ran (the overview's `Since:`); undefined before. */
  bootTimestamp?: number;
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
    this.loader = loader;
    this.pid = scope.pid ?? 1;
    this.searchPaths = scope.searchPaths ?? SEARCH_PATHS;
    this.configDir = scope.configDir ?? CONFIG_DIR;
    this.journal.subscribe((entry) => this.emit({ type: 'journal', entry }));
  }

  // ---- logging and events ----

  log(unit: Unit | undefined, message: string, priority: number = PRIORITY.info, origin?: { identifier: string; pid: number }): void {
    this.journal.append({
      timestamp: this.kernel.clock.now(),
      unit: unit?.name,
      identifier: origin?.identifier ?? 'systemd',
      pid: origin?.pid ?? this.pid,
      message,
      priority,
    });
  }

  unitLog(unit: Unit, message: string, priority: number = PRIORITY.info): void {
    this.log(unit, `${unit.name}: ${message}`, priority);
  }

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

  // ---- loading ----

  getUnit(name: string): Unit | undefined {
    return this.units.get(this.aliases.get(name) ?? name);
  }

  loadUnit(name: string): Unit {
    const existing = this.getUnit(name);
    if (existing) return existing;
    const canonical = this.canonicalName(name);
    if (canonical !== name) {
      this.aliases.set(name, canonical);
      const target = this.getUnit(canonical);
      // The alias's own .wants/ and .requires/ directories belong to the unit too.
      if (target) this.readDependencyDirs(target);
      return target ?? this.loadUnit(canonical);
    }
    const unit = this.createUnit(this.readUnitFile(name));
    this.units.set(name, unit);
    this.track(unit);
    return unit;
  }

  /**
   * The unit a name stands for. A unit file name that is a symlink to another unit file of the same type
   * is an alias: systemd loads ONE unit with both names (unit_file_build_name_map, unit_add_name), so
   * `default.target` → `multi-user.target` is reached, logged and stopped once. Without a file,
   * default.target is the alias of multi-user.target, as the targets systemd ships.
   */
  private canonicalName(name: string): string {
    const type = unitTypeOf(name);
    let current = name;
    for (let hops = 0; hops < 8; hops++) {
      let next: string | undefined;
      let found = false;
      for (const dir of this.searchPaths) {
        const path = `${dir}/${current}`;
        const st = this.kernel.fs.lstat(path);
        if (!st) continue;
        found = true;
        if (st.type === 'symlink') {
          let target: string;
          try {
            target = this.kernel.fs.readlink(path);
          } catch {
            break;
          }
          const base = target.slice(target.lastIndexOf('/') + 1);
          if (target !== '/dev/null' && base !== current && unitTypeOf(base) === type && this.kernel.fs.stat(path)) next = base;
        }
        break;
      }
      if (!found && current === 'default.target') next = 'multi-user.target';
      if (!next) return current;
      current = next;
    }
    return current;
  }

  /** Every name of a loaded unit: its own and its aliases. */
  namesOf(unit: Unit): string[] {
    const names = [unit.name];
    for (const [alias, canonical] of this.aliases) if (canonical === unit.name) names.push(alias);
    return names;
  }

  /** Reads a unit's files as they are on disk now, without loading it into the manager (systemctl cat, is-enabled). */
  peekUnitFile(name: string): UnitFile {
    let file: UnitFile;
    try {
      file = this.loader(name, this.kernel.fs, this.searchPaths);
    } catch (error) {
      file = emptyUnitFile(name, 'error', `Failed to load ${name}: ${(error as Error)?.message ?? String(error)}`);
    }
    if (file.loadState === 'not-found') file = builtinTarget(name) ?? file;
    return file;
  }

  /** Parses a unit through the loader and logs its diagnostics; never throws (a crash becomes load state `error`). */
  private readUnitFile(name: string): UnitFile {
    const file = this.peekUnitFile(name);
    for (const d of file.diagnostics) {
      this.log(undefined, formatDiagnostic(d), d.severity === 'error' ? PRIORITY.err : PRIORITY.warning);
    }
    return file;
  }

  private createUnit(file: UnitFile): Unit {
    let unit: Unit;
    const loaded = file.loadState === 'loaded';
    if (file.type === 'socket' && loaded && file.socket) unit = new SocketUnit(file, this);
    else if (file.type === 'service' && loaded && file.service) unit = new ServiceUnit(file, this);
    else if (file.type === 'path' && loaded && file.path) unit = new PathUnit(file, this);
    else unit = new TargetUnit(file, this);
    unit.sourceText = this.readSources(file);
    this.readDependencyDirs(unit);
    return unit;
  }

  /** The text of a unit's fragment and drop-ins, to notice edits made after loading. */
  readSources(file: UnitFile): string {
    const parts: string[] = [];
    for (const path of [file.fragmentPath, ...file.dropInPaths]) {
      if (!path) continue;
      try {
        parts.push(`${path}\n${this.kernel.fs.readFile(path)}`);
      } catch {
        parts.push(`${path}\n<absent>`);
      }
    }
    return parts.join('\n');
  }

  /** True when the unit's files changed on disk since it was loaded (systemctl's warning). */
  changedOnDisk(unit: Unit): boolean {
    if (!unit.file.fragmentPath) return false;
    return this.readSources(unit.file) !== unit.sourceText;
  }

  /** `.wants/` and `.requires/` directories in every search path add Wants=/Requires=. */
  private readDependencyDirs(unit: Unit): void {
    unit.extraWants = [];
    unit.extraRequires = [];
    const names = this.namesOf(unit);
    if (unit.file.instance !== undefined) names.push(`${unit.file.prefix}@.${unit.file.type}`);
    for (const dir of this.searchPaths) {
      for (const name of names) {
        for (const [suffix, list] of [['wants', unit.extraWants], ['requires', unit.extraRequires]] as const) {
          const path = `${dir}/${name}.${suffix}`;
          // stat() first: it answers "absent" without an exception, and almost every unit has none of these.
          if (this.kernel.fs.stat(path)?.type !== 'directory') continue;
          try {
            for (const entry of this.kernel.fs.readdir(path)) {
              if (!list.includes(entry)) list.push(entry);
            }
          } catch {
            // No such directory.
          }
        }
      }
    }
  }

  /** Re-reads every loaded unit's files (systemctl daemon-reload), keeping runtime state. */
  daemonReload(): void {
    this.log(undefined, 'Reloading.');
    this.unitFileStates.clear();
    this.installLinks = undefined;
    for (const [name, unit] of [...this.units]) {
      const file = this.readUnitFile(name);
      const idle = (unit.activeState === 'inactive' || unit.activeState === 'failed') && !unit.job;
      const sameClass = this.createUnit(file).constructor === unit.constructor;
      if (idle && (!sameClass || file.loadState !== 'loaded' || unit.file.loadState !== 'loaded')) {
        if (unit instanceof ServiceUnit && unit.file.instance !== undefined && unit.activeState !== 'inactive') continue;
        const fresh = this.createUnit(file);
        fresh.activeState = unit.activeState;
        fresh.subState = unit.subState;
        fresh.result = unit.result;
        fresh.stateChangeTimestamp = unit.stateChangeTimestamp;
        fresh.everChanged = unit.everChanged;
        fresh.activeEnterTimestamp = unit.activeEnterTimestamp;
        fresh.activeExitTimestamp = unit.activeExitTimestamp;
        fresh.inactiveEnterTimestamp = unit.inactiveEnterTimestamp;
        fresh.inactiveExitTimestamp = unit.inactiveExitTimestamp;
        this.units.set(name, fresh);
        this.untrack(unit);
      } else {
        unit.file = file;
        unit.sourceText = this.readSources(file);
        this.readDependencyDirs(unit);
        unit.reloaded();
      }
    }
    this.rebuildUnitIndex();
    this.reindexOrdering();
    this.emit({ type: 'reload' });
  }

  // ---- dependencies ----

  /** Requires= of a unit, with `.requires/` links. */
  requiresOf(unit: Unit): string[] {
    return [...unit.file.unit.requires, ...unit.extraRequires];
  }

  /** Wants= of a unit, with `.wants/` links and the service's Sockets= (service_add_extras). */
  wantsOf(unit: Unit): string[] {
    const out = [...unit.file.unit.wants, ...unit.extraWants];
    if (unit instanceof ServiceUnit) out.push(...unit.config.sockets);
    return out;
  }

  /** After= of a unit plus the implicit ones: services after their sockets and basic.target; targets after what they want. */
  afterOf(unit: Unit): string[] {
    const out = [...unit.file.unit.after];
    if (unit instanceof ServiceUnit) {
      out.push(...unit.config.sockets, 'basic.target');
      if (unit.file.instance !== undefined) out.push(...unit.triggeredBy());
    }
    if (unit instanceof TargetUnit) out.push(...this.wantsOf(unit).filter((n) => !n.endsWith('.target') || n !== unit.name), ...this.requiresOf(unit));
    return out;
  }

  /** Before= of a unit plus the implicit ones: sockets before their service and sockets.target. */
  beforeOf(unit: Unit): string[] {
    const out = [...unit.file.unit.before];
    if (unit instanceof SocketUnit) {
      out.push('sockets.target');
      if (!unit.config.accept) out.push(unit.serviceName());
    }
    if (unit instanceof PathUnit) out.push('paths.target');
    return out;
  }

  socketsTriggering(service: string): SocketUnit[] {
    return [...(this.socketsByService.get(service) ?? [])];
  }

  /** Adds a unit just put into `units` to the reverse lookups. */
  private track(unit: Unit): void {
    if (unit instanceof PathUnit) this.pathUnits.add(unit);
    if (unit instanceof SocketUnit && !unit.config.accept) {
      const service = unit.serviceName();
      const list = this.socketsByService.get(service);
      if (list) list.push(unit);
      else this.socketsByService.set(service, [unit]);
    }
    if (unit.file.unit.conflicts.length > 0) this.conflictDeclarers.add(unit);
  }

  /** Removes a unit taken out of `units` (or replaced there) from the reverse lookups. */
  private untrack(unit: Unit): void {
    this.pathUnits.delete(unit as PathUnit);
    this.conflictDeclarers.delete(unit);
    if (!(unit instanceof SocketUnit)) return;
    // Its file is still the one it was tracked with (daemon-reload rebuilds the index after changing files).
    const service = unit.serviceName();
    const list = this.socketsByService.get(service);
    if (!list?.includes(unit)) return;
    // A fresh array: callers may be iterating the old one.
    const rest = list.filter((socket) => socket !== unit);
    if (rest.length > 0) this.socketsByService.set(service, rest);
    else this.socketsByService.delete(service);
  }

  /** Rebuilds the reverse lookups from `units` (daemon-reload may change Service=, Accept=, Conflicts=). */
  private rebuildUnitIndex(): void {
    this.pathUnits = new Set();
    this.socketsByService = new Map();
    this.conflictDeclarers = new Set();
    for (const unit of this.units.values()) this.track(unit);
  }

  /** Units that trigger `unit` (sockets, path units, Accept=yes sockets for instances). */
  triggeredByOf(unit: Unit): string[] {
    const out = unit.triggeredBy();
    for (const other of this.pathUnits) {
      if (other.targetName() === unit.name && !out.includes(other.name)) out.push(other.name);
    }
    return out;
  }

  // ---- jobs ----

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
    if (existing && existing.state === 'waiting') this.finishJob(unit, 'canceled');
    else if (existing) {
      // A running job is replaced: systemd cancels it and the new one takes over.
      this.finishJob(unit, 'canceled');
    }
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
    for (const name of [...this.requiresOf(unit), ...this.wantsOf(unit)]) {
      const other = this.loadUnit(name);
      if (other.file.loadState !== 'loaded') continue;
      if (other.activeState === 'active' || (other.job && other.job.type !== 'stop')) continue;
      this.enqueue(other, 'start');
    }
    // Only a unit that declares Conflicts= itself, or another that does, can have a conflict to act on.
    if (unit.file.unit.conflicts.length === 0 && this.conflictDeclarers.size === 0) return;
    for (const other of this.units.values()) {
      const conflicts = unit.file.unit.conflicts.includes(other.name) || other.file.unit.conflicts.includes(unit.name);
      if (conflicts && other !== unit && (other.activeState === 'active' || other.activeState === 'activating' || other.job)) {
        this.enqueue(other, 'stop');
      }
    }
  }

  private addStopDependencies(unit: Unit): void {
    for (const other of this.units.values()) {
      if (other === unit || other.job?.type === 'stop') continue;
      const bound = this.requiresOf(other).includes(unit.name) || other.file.unit.partOf.includes(unit.name);
      if (bound && (other.activeState !== 'inactive' && other.activeState !== 'failed')) this.enqueue(other, 'stop');
    }
  }

  private propagatePartOf(unit: Unit, type: JobType): void {
    for (const other of this.units.values()) {
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

  /** Whether job `a` must wait for job `b`, given a's unit is ordered after (or before) b's. */
  private mustWait(a: Job, b: Job, aAfterB: boolean): boolean {
    const aStop = this.isStopLike(a);
    const bStop = this.isStopLike(b);
    if (aStop && !bStop) return false;
    if (!aStop && bStop) return true;
    if (aStop && bStop) return !aAfterB;
    return aAfterB;
  }

  private isRunnable(job: Job): boolean {
    const ordering = this.ordering;
    const unit = job.unit;
    for (const name of this.afterOf(unit)) {
      const other = this.getUnit(name);
      if (other?.job && other !== unit && this.mustWait(job, other.job, true)) return false;
    }
    for (const name of this.beforeOf(unit)) {
      const other = this.getUnit(name);
      if (other?.job && other !== unit && this.mustWait(job, other.job, false)) return false;
    }
    // Jobs of units that name this one in their own Before=/After= (the reverse direction).
    for (const name of this.aliases.size > 0 ? this.namesOf(unit) : [unit.name]) {
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
    for (const name of this.beforeOf(job.unit)) add(this.ordering.before, name);
    for (const name of this.afterOf(job.unit)) add(this.ordering.after, name);
  }

  /** Rebuilds the ordering index from the queued jobs (after daemon-reload changed Before=/After=). */
  private reindexOrdering(): void {
    this.ordering = { before: new Map(), after: new Map() };
    for (const job of this.jobs) this.indexOrdering(job);
  }

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

  private runJob(job: Job): void {
    job.state = 'running';
    const unit = job.unit;
    try {
      if (job.type === 'start') {
        if (!this.checkConditions(unit) || !unit.canStart()) return;
        // unit_start() returns -EALREADY: the job ends without a message (job_finish_and_invalidate(…, already)).
        if (unit.activeState === 'active' || unit.activeState === 'reloading') {
          this.finishJob(unit, 'done', true);
          return;
        }
        unit.start();
        this.logBeginIfPending(job, 'start');
      } else {
        if ((unit.activeState === 'inactive' || unit.activeState === 'failed') && unit.subState !== 'auto-restart') {
          this.finishJob(unit, 'done', true);
          return;
        }
        unit.stop();
        this.logBeginIfPending(job, 'stop');
      }
    } catch (error) {
      this.unitLog(unit, `Internal error while running job: ${(error as Error)?.message ?? String(error)}`, PRIORITY.err);
      if (unit.job === job) this.finishJob(unit, 'failed');
    }
  }

  /**
   * job_perform_on_unit() logs "Starting X..."/"Stopping X..." AFTER calling the unit's start/stop, and only
   * when the job is still there: a unit that got there at once (a socket, a target, a Type=simple service
   * without ExecStartPre=) logs only "Listening on…"/"Started…".
   */
  private logBeginIfPending(job: Job, type: 'start' | 'stop'): void {
    const unit = job.unit;
    if (unit.job !== job || job.result !== undefined) return;
    if (type === 'stop' && unit.activeState !== 'deactivating') return;
    this.logBegin(unit, type);
  }

  /** ConditionPathExists=: an unmet condition skips the start without failing. */
  private checkConditions(unit: Unit): boolean {
    for (const condition of unit.file.unit.conditionPathExists) {
      const exists = this.kernel.fs.stat(condition.path) !== undefined;
      if (exists === condition.negate) {
        this.log(unit, `${unit.description} was skipped because of an unmet condition check (ConditionPathExists=${condition.negate ? '!' : ''}${condition.path}).`);
        this.finishJob(unit, 'skipped');
        return false;
      }
    }
    return true;
  }

  private logBegin(unit: Unit, type: 'start' | 'stop'): void {
    this.log(unit, type === 'start' ? `Starting ${unit.description}...` : `Stopping ${unit.description}...`);
  }

  private logDone(unit: Unit, type: 'start' | 'stop', result: JobResult): void {
    const d = unit.description;
    let message: string | undefined;
    if (type === 'start') {
      if (result === 'done') {
        if (unit.activeState !== 'active' && !(unit instanceof ServiceUnit && unit.config.type === 'oneshot')) message = undefined;
        else if (unit instanceof SocketUnit) message = `Listening on ${d}.`;
        else if (unit instanceof TargetUnit) message = `Reached target ${d}.`;
        else if (unit instanceof ServiceUnit && unit.config.type === 'oneshot') message = `Finished ${d}.`;
        else message = `Started ${d}.`;
      } else if (result === 'failed') message = unit instanceof SocketUnit ? `Failed to listen on ${d}.` : `Failed to start ${d}.`;
      else if (result === 'dependency') message = `Dependency failed for ${d}.`;
      else if (result === 'timeout') message = `Timed out starting ${d}.`;
    } else if (result === 'done') {
      message = unit instanceof SocketUnit ? `Closed ${d}.` : unit instanceof TargetUnit ? `Stopped target ${d}.` : `Stopped ${d}.`;
    } else if (result === 'failed') {
      message = unit instanceof SocketUnit ? `Failed stopping ${d}.` : unit instanceof ServiceUnit ? `Stopped (with error) ${d}.` : `Stopped ${d} with error.`;
    } else if (result === 'timeout') message = `Timed out stopping ${d}.`;
    if (message) this.log(unit, message, result === 'done' ? PRIORITY.info : PRIORITY.err);
    if (result === 'dependency') this.unitLog(unit, `Job ${unit.name}/${type} failed with result 'dependency'.`, PRIORITY.notice);
  }

  /** Ends the unit's job with `result`; `already` (the unit was in the goal state) logs nothing, as systemd. */
  finishJob(unit: Unit, result: JobResult, already = false): void {
    const job = unit.job;
    if (!job) return;
    if (job.type === 'restart' && job.phase === 'stop' && result === 'done') {
      if (!already) this.logDone(unit, 'stop', 'done');
      // job_finish_and_invalidate(): a restart job whose stop half is done becomes a plain start job.
      job.type = 'start';
      job.phase = 'start';
      if (!this.checkConditions(unit) || !unit.canStart()) return;
      unit.start();
      this.logBeginIfPending(job, 'start');
      return;
    }
    unit.job = undefined;
    this.jobs.delete(job);
    if (this.jobs.size === 0) this.ordering = { before: new Map(), after: new Map() };
    job.result = result;
    if (result !== 'canceled' && !already) this.logDone(unit, job.type === 'stop' ? 'stop' : 'start', result);
    for (const resolve of job.waiters) resolve(result);
    if (job.type !== 'stop' && result !== 'done' && result !== 'skipped' && result !== 'canceled') {
      for (const other of [...this.jobs]) {
        if (other.type !== 'stop' && other.state === 'waiting' && this.requiresOf(other.unit).includes(unit.name)) {
          this.finishJob(other.unit, 'dependency');
        }
      }
    }
    this.unitChanged(unit);
    this.scheduleDispatch();
  }

  unitChanged(unit: Unit): void {
    // The snapshot is built only for a subscriber (the lab UI); a headless boot has none.
    if (this.listeners.size > 0) this.emit({ type: 'unit', unit: this.unitSnapshot(unit) });
    if (unit instanceof ServiceUnit) {
      for (const socket of this.socketsTriggering(unit.name)) socket.serviceChanged(unit);
      for (const name of unit.config.sockets) {
        const socket = this.getUnit(name);
        if (socket instanceof SocketUnit && socket.serviceName() !== unit.name) socket.serviceChanged(unit);
      }
    }
    if (this.pathUnits.size === 0) return;
    for (const other of [...this.pathUnits]) {
      if (other.targetName() === unit.name) other.targetChanged(unit);
    }
  }

  collect(unit: Unit): void {
    if (unit.job) return;
    if (unit.activeState === 'inactive' || unit.activeState === 'failed') {
      this.units.delete(unit.name);
      this.untrack(unit);
      if (this.listeners.size > 0) this.emit({ type: 'unit', unit: this.unitSnapshot(unit) });
    }
  }

  /** Queues a job and resolves with its result (what `systemctl start` waits for). */
  runJobAndWait(unit: Unit, type: JobType): Promise<JobResult> {
    const job = this.enqueue(unit, type);
    return new Promise((resolve) => job.waiters.push(resolve));
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

  // ---- boot and snapshots ----

  /** Starts what a boot starts: default.target and with it sockets.target and the `.wants/` links. */
  boot(): void {
    this.journal.newBoot();
    this.bootTimestamp = this.kernel.clock.now();
    this.bootFinished = false;
    void this.whenIdle().then(() => {
      this.bootFinished = true;
    });
    this.enqueue(this.loadUnit('default.target'), 'start');
  }

  /** Stops every active unit (shutdown), services before sockets. */
  shutdown(): void {
    for (const unit of this.units.values()) {
      if (unit.activeState !== 'inactive' && unit.activeState !== 'failed') this.enqueue(unit, 'stop');
    }
  }

  unitSnapshot(unit: Unit): UnitSnapshot {
    return {
      name: unit.name,
      type: unit.file.type,
      description: unit.description,
      loadState: unit.file.loadState,
      activeState: unit.activeState,
      subState: unit.subState,
      result: unit.result,
      unitFileState: this.cachedUnitFileState(unit),
      triggers: unit.triggers(),
      triggeredBy: this.triggeredByOf(unit),
      stateChangeTimestamp: unit.stateChangeTimestamp,
      ...unit.snapshotExtra(),
    };
  }

  private cachedUnitFileState(unit: Unit): string {
    let state = this.unitFileStates.get(unit.name);
    if (state === undefined) {
      this.installLinks ??= scanInstallLinks(this.kernel.fs, this.configDir);
      state = unitFileState(this.kernel.fs, unit.file, this.installLinks, this.configDir);
      this.unitFileStates.set(unit.name, state);
    }
    return state;
  }

  snapshot(): SystemSnapshot {
    return {
      time: this.kernel.clock.now(),
      units: [...this.units.values()].map((unit) => this.unitSnapshot(unit)),
      journal: this.journal.entries.map((entry) => ({ ...entry })),
    };
  }
}

export { Unit };

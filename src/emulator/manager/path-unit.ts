/**
 * Path units (src/core/path.c): watch PathExists=/PathChanged=/PathModified=/DirectoryNotEmpty=
 * through the kernel's fs.watch and start Unit= (default: the same name with `.service`).
 */
import type { Unsubscribe } from '../kernel/kernel.ts';
import type { PathSection } from '../unit-file/unit-types.ts';
import { triggeredPathUnitName } from '../unit-file/unit-loader.ts';
import { PATH_STATE_TRANSLATION, isInactiveOrFailed, type PathResult, type PathState } from './unit-def.ts';
import { Unit } from './unit.ts';

/** A `.path` unit. */
export class PathUnit extends Unit<PathState, PathResult> {
  readonly stateTable = PATH_STATE_TRANSLATION;
  private watchers: Unsubscribe[] = [];

  get config(): PathSection {
    return this.file.path!;
  }

  /** The unit it activates. */
  targetName(): string {
    return triggeredPathUnitName(this.file);
  }

  override triggerTargets(): string[] {
    return [this.targetName()];
  }

  /** path_add_trigger_dependencies(): Before= the unit it triggers (paths.target is a default dependency). */
  override implicitBefore(): string[] {
    return this.triggerTargets();
  }

  override start(): void {
    if (this.activeState === 'active') {
      this.ctx.finishJob(this, 'done');
      return;
    }
    this.result = 'success';
    const fs = this.ctx.kernel.fs;
    if (this.config.makeDirectory) {
      for (const path of [...this.config.directoryNotEmpty]) {
        try {
          fs.mkdir(path, { recursive: true, mode: this.config.directoryMode });
        } catch {
          // Exists already.
        }
      }
    }
    const watched = [...this.config.pathExists, ...this.config.pathChanged, ...this.config.pathModified, ...this.config.directoryNotEmpty];
    this.watchers = watched.map((path) => fs.watch(path, () => this.onChange(path)));
    this.setState('waiting');
    this.ctx.finishJob(this, 'done');
    this.check();
  }

  override stop(): void {
    for (const unwatch of this.watchers) unwatch();
    this.watchers = [];
    this.setState('dead');
    this.ctx.finishJob(this, 'done');
  }

  /** PathChanged=/PathModified= fire on any change of their path. */
  private onChange(path: string): void {
    if (this.subState !== 'waiting') return;
    if (this.config.pathChanged.includes(path) || this.config.pathModified.includes(path)) {
      this.trigger();
      return;
    }
    this.check();
  }

  /** PathExists=/DirectoryNotEmpty= are states: fire while they hold. */
  private check(): void {
    if (this.subState !== 'waiting') return;
    const fs = this.ctx.kernel.fs;
    const exists = this.config.pathExists.some((path) => fs.stat(path) !== undefined);
    const notEmpty = this.config.directoryNotEmpty.some((path) => {
      try {
        return fs.readdir(path).length > 0;
      } catch {
        return false;
      }
    });
    if (exists || notEmpty) this.trigger();
  }

  private trigger(): void {
    const target = this.ctx.loadUnit(this.targetName());
    this.setState('running');
    if (target.activeState !== 'active' && target.activeState !== 'activating' && !target.job) this.ctx.enqueue(target, 'start');
  }

  /** path_trigger_notify(): the triggered unit went down: wait again, and fire again if the condition still holds. */
  override triggerNotify(target: Unit): void {
    if (this.subState !== 'running') return;
    if (isInactiveOrFailed(target.activeState) && !target.job) {
      this.setState('waiting');
      this.check();
    }
  }
}

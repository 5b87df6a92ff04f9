/**
 * A unit of the base system that the emulator does not run, whose state comes from the boot of a real Debian 12
 * (boot-state.ts): mounts, automounts, swaps, timers, scopes, and Debian's own services (journald, dbus-daemon,
 * logind, sshd, the oneshots of sysinit.target), which have no program on a lab machine. Starting it reaches
 * the state the real boot reached (a unit whose conditions failed then is skipped again); stopping it makes it
 * inactive, with the words of its type (mount.c's "Unmounted %s.").
 */
import type { UnitFile } from '../unit-file/unit-types.ts';
import type { ActiveState } from '../system-events.ts';
import type { BootStateEntry } from './boot-state.ts';
import type { StatusJobType, StatusFormat, UnitStatusMessageFormats } from './status-messages.ts';
import type { JobResult, ManagerContext } from './unit.ts';
import type { StateTranslationTable } from './unit-def.ts';
import { Unit } from './unit.ts';

/** status_message_formats of the types that have their own words (mount.c, swap.c). */
const STATUS_MESSAGES: Partial<Record<string, UnitStatusMessageFormats>> = {
  mount: { startingStopping: ['Mounting %s...', 'Unmounting %s...'], finishedStartJob: { done: 'Mounted %s.', failed: 'Failed to mount %s.' }, finishedStopJob: { done: 'Unmounted %s.', failed: 'Failed unmounting %s.' } },
  swap: { startingStopping: ['Activating swap %s...', 'Deactivating swap %s...'], finishedStartJob: { done: 'Activated swap %s.' }, finishedStopJob: { done: 'Deactivated swap %s.' } },
};

/** A base-system unit with the state the real boot gave it. */
export class SnapshotUnit extends Unit {
  readonly stateTable: StateTranslationTable<string>;
  private readonly boot: BootStateEntry;

  constructor(file: UnitFile, ctx: ManagerContext, boot: BootStateEntry) {
    super(file, ctx);
    this.boot = boot;
    // The sub-states of its type the boot shows, plus dead and failed.
    this.stateTable = { dead: 'inactive', failed: 'failed', [boot[1]]: boot[0] as ActiveState } as StateTranslationTable<string>;
  }

  /** Puts the unit where the real boot left it (no job, no message: the boot happened before the lab began). */
  override restoreBootState(): void {
    if (this.boot[0] === 'inactive') return;
    this.setState(this.boot[1]);
  }

  override get statusMessageFormats(): UnitStatusMessageFormats {
    return STATUS_MESSAGES[this.file.type] ?? {};
  }

  override finishedJobFormat(type: StatusJobType, result: JobResult): StatusFormat | undefined {
    // service.c: a oneshot that exited "Finished %s.".
    if (type === 'start' && result === 'done' && this.boot[1] === 'exited') return 'Finished %s.';
    return undefined;
  }

  override checksConditions(): boolean {
    return false;
  }

  override start(): void {
    if (this.boot[3] || this.boot[0] === 'inactive') {
      this.ctx.finishJob(this, 'done', true);
      return;
    }
    this.setState(this.boot[1]);
    this.ctx.finishJob(this, 'done');
  }

  override stop(): void {
    this.setState('dead');
    this.ctx.finishJob(this, 'done');
  }
}

/**
 * The state a machine's base system is in after its boot, as data (the machine layer has Debian 12's:
 * machine/debian-boot-state.ts). The emulator does not run Debian's own daemons, mounts and timers: a lab machine
 * starts where a real one is after booting, and only the lab's units run. A unit takes its state from here when
 * its files are the base's, unchanged (a lab that ships its own dbus.service runs it for real, as the real boot
 * runs the lab's file).
 */
import type { ActiveState } from '../system-events.ts';
import type { FileSystem } from '../kernel/kernel.ts';
import type { UnitFile } from '../unit-file/unit-types.ts';

/**
 * [ActiveState, SubState, Description of a unit without a file, and when its conditions failed at boot the unmet
 * ones as `systemctl status` names them (`ConditionCapability=CAP_AUDIT_READ`, several separated by newlines; 1 where
 * they are not known)].
 */
export type BootStateEntry = readonly [active: ActiveState | string, sub: string, description?: string | null, skipped?: 1 | string];

/** The base system's boot: each loaded unit's state, and the base's files to tell a lab's changes apart. */
export interface BootState {
  readonly units: Readonly<Record<string, BootStateEntry>>;
  /** The base's text of a unit file, by machine path (/lib/systemd/system/…); undefined for a path not in the base. */
  baseFile(path: string): string | undefined;
}

/** True when `file`'s fragment and drop-ins are all the base's, as shipped (a unit the lab did not touch). */
export function isBaseUnit(state: BootState | undefined, file: UnitFile, fs: FileSystem): boolean {
  if (!state || !file.fragmentPath) return false;
  for (const path of [file.fragmentPath, ...file.dropInPaths]) {
    const base = state.baseFile(path.replace(/^\/usr\/lib\//, '/lib/'));
    if (base === undefined) return false;
    try {
      if (fs.readFile(path) !== base) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** The boot entry of `file` when it is a base unit (isBaseUnit(); or one without a file, a mount of /proc/self/mountinfo), else undefined. */
export function bootEntryOf(state: BootState | undefined, file: UnitFile, fs: FileSystem): BootStateEntry | undefined {
  const entry = state?.units[file.name];
  if (!entry) return undefined;
  if (!file.fragmentPath && file.dropInPaths.length === 0) return entry;
  return isBaseUnit(state, file, fs) ? entry : undefined;
}

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

/** [ActiveState, SubState, Description of a unit without a file, 1 when its conditions failed at boot]. */
export type BootStateEntry = readonly [active: ActiveState | string, sub: string, description?: string | null, skipped?: 1];

/** The base system's boot: each loaded unit's state, and the base's files to tell a lab's changes apart. */
export interface BootState {
  readonly units: Readonly<Record<string, BootStateEntry>>;
  /** The base's text of a unit file, by machine path (/lib/systemd/system/…); undefined for a path not in the base. */
  baseFile(path: string): string | undefined;
}

/** The boot entry of `file` when its fragment and drop-ins are the base's as shipped, else undefined. */
export function bootEntryOf(state: BootState | undefined, file: UnitFile, fs: FileSystem): BootStateEntry | undefined {
  const entry = state?.units[file.name];
  if (!state || !entry) return undefined;
  for (const path of [file.fragmentPath, ...file.dropInPaths]) {
    if (!path) continue;
    const base = state.baseFile(path.replace(/^\/usr\/lib\//, '/lib/'));
    if (base === undefined) return undefined;
    try {
      if (fs.readFile(path) !== base) return undefined;
    } catch {
      return undefined;
    }
  }
  return entry;
}

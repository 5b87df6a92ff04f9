/**
 * A lab machine's base system: a whole Debian 12 as the oracle boots it — every unit file and link of its packages
 * (debian-units.ts) under the lab's files, and the state each unit has after its boot (debian-boot-state.ts).
 * Why a snapshot and not a boot: the lab machine has none of Debian's programs (journald, dbus-daemon, sshd…) and
 * no kernel mounts, so running their units would only fail; the snapshot gives list-units, list-dependencies,
 * list-unit-files and status what the real machine shows, and the boot runs the lab's units alone. Kept apart
 * from machine-image.ts so that only a lab machine loads this data.
 */
import type { BootState } from '../manager/boot-state.ts';
import { openSshServer } from '../kernel/memory/programs/openssh-server.ts';
import type { ProgramFactory } from '../service/sandbox.ts';
import { DEBIAN_BOOT_STATE, DEBIAN_RUN } from './debian-boot-state.ts';
import { debianUnitFiles, debianUnitLinks, loadDebianUnits, type DataFetch } from './debian-units.ts';
import { targetsBase, type BaseSystemImage } from './machine-image.ts';

let base: BaseSystemImage | undefined;

/** Loads Debian's unit files (debian-units.json, with `fetchData` in a browser); debianBase() and debianBootState() need them. */
export function loadDebianBase(fetchData?: DataFetch): Promise<void> {
  return loadDebianUnits(fetchData);
}

/** Debian 12's unit files and links, and its /run after boot (built once: the header-less data is joined on first use). */
export function debianBase(): BaseSystemImage {
  if (!base) {
    const files = debianUnitFiles();
    for (const path of DEBIAN_RUN.files) files[path] = '';
    base = { files, links: { ...debianUnitLinks(), ...DEBIAN_RUN.links }, directories: DEBIAN_RUN.directories };
  }
  return base;
}

/**
 * The programs of Debian's daemons a lab machine runs for real, by path: sshd, so that port 22 is taken as on a real
 * Debian (`ss -tlnp`). None where the lab ships its own program of that path. (A Node-kernel machine gets them only
 * in a network namespace of its own, and runs the host's sshd where there is one: node-machine.ts.)
 */
export function debianPrograms(labPaths: Iterable<string> = []): Record<string, ProgramFactory> {
  const lab = new Set(labPaths);
  return lab.has('/usr/sbin/sshd') ? {} : { '/usr/sbin/sshd': openSshServer };
}

/**
 * The state of Debian 12's units after boot, and its files to tell the lab's apart: a unit whose file the lab ships
 * (`labPaths`, even a copy of Debian's, as the sshd lab's ssh.service with its own /usr/sbin/sshd) runs for real.
 */
export function debianBootState(labPaths: Iterable<string> = []): BootState {
  const debian = debianBase();
  // The base of every machine (Debian's targets) is not the lab's, though an image lists it among the lab's files.
  const targets = targetsBase();
  const lab = new Set([...labPaths].map((path) => path.replace(/^\/usr\/lib\//, '/lib/')).filter((path) => !(path in targets.files) && !(path in targets.links)));
  return { units: DEBIAN_BOOT_STATE, baseFile: (path) => (lab.has(path) ? undefined : debian.files[path]) };
}

/**
 * One machine from one description: what a lab's files (absolute machine path → text) become on either
 * kernel — the in-memory one (in-page runtime, tests) and the Node one (WebContainer, `emu daemon`, tests).
 * Both mount exactly this image, so a lab cannot be enabled in one runtime and disabled in the other.
 *
 * Three rules, because lab folders (and their git checkout) hold neither symlinks nor file modes:
 *  - an empty file in a `.wants/` or `.requires/` directory stands for the symlink `systemctl enable` makes:
 *    it becomes a symlink to the unit of that name among the files (or to the file next to the directory);
 *  - an empty file named like a unit that another lab unit lists in `Alias=` stands for the alias symlink
 *    `systemctl enable` makes (/etc/systemd/system/sshd.service → /lib/systemd/system/ssh.service);
 *  - scripts (`#!`), programs in `bin`/`sbin` directories and JavaScript files are executable (0755), the
 *    rest is 0644.
 *
 * Under the lab's files lies the base of the machine (baseImage()): Debian's 41 targets for any machine, or a
 * whole Debian 12's unit files for a lab machine (debian-base.ts, passed in so that this module stays small).
 */
import { BASE_UNIT_LINKS, baseUnitFiles } from './base-units.ts';

/** A regular file of the image. */
export interface ImageFile {
  path: string;
  contents: string;
  mode: number;
}

/** A symlink of the image (`target` is an absolute machine path, or relative to the link's directory). */
export interface ImageLink {
  path: string;
  target: string;
}

/** Everything a kernel mounts for a lab, in the order given. */
export interface MachineImage {
  /** The directories of the base tree (a small Debian 12), created before the files. */
  directories: string[];
  files: ImageFile[];
  links: ImageLink[];
}

/** The unit files and links of a base system, by machine path. */
export interface BaseSystemImage {
  files: Readonly<Record<string, string>>;
  links: Readonly<Record<string, string>>;
  /** Directories beyond BASE_DIRECTORIES (a booted Debian's /run). */
  directories?: readonly string[];
}

/** The base of every machine: Debian's standard targets (base-units.ts). */
export function targetsBase(): BaseSystemImage {
  return { files: baseUnitFiles(), links: BASE_UNIT_LINKS };
}

/** Directories every lab machine has (the memory kernel's base tree; the Node kernel's root gets them too). */
export const BASE_DIRECTORIES = ['/usr/bin', '/usr/sbin', '/usr/lib/systemd/system', '/usr/local/bin', '/etc/systemd/system/sockets.target.wants', '/etc/systemd/system/multi-user.target.wants', '/run/systemd', '/var/log', '/var/cache', '/var/lib', '/opt', '/srv', '/dev', '/home/student', '/root', '/tmp'];

const WANTS_ENTRY = /^(.*)\/[^/]+\.(?:wants|requires)\/([^/]+)$/;

/** Whether a machine file is executable in the image. */
export function isExecutable(path: string, contents: string): boolean {
  return contents.startsWith('#!') || /\/s?bin\//.test(path) || /\.(m|c)?js$/.test(path);
}

/**
 * The base every lab machine has before its own files: the standard targets of Debian 12's systemd package
 * (base-units.ts) in /lib/systemd/system, with default.target and their `.wants/` links. A lab file of the
 * same path replaces the base's.
 */
export function baseImage(labPaths: Iterable<string> = [], base: BaseSystemImage = targetsBase()): MachineImage {
  // Debian 12 has merged /usr: a lab file in /usr/lib/systemd/system is the base's /lib/systemd/system one.
  const except = new Set([...labPaths].map((path) => path.replace(/^\/usr\/lib\//, '/lib/')));
  const image: MachineImage = { directories: [...BASE_DIRECTORIES, ...(base.directories ?? [])], files: [], links: [] };
  for (const [path, contents] of Object.entries(base.files)) {
    if (!except.has(path)) image.files.push({ path, contents, mode: isExecutable(path, contents) ? 0o755 : 0o644 });
  }
  for (const [path, target] of Object.entries(base.links)) {
    if (!except.has(path)) image.links.push({ path, target });
  }
  return image;
}

/** The image of a lab's files, over the base (baseImage()). */
export function machineImage(files: Record<string, string>, base?: BaseSystemImage): MachineImage {
  const image = baseImage(Object.keys(files), base);
  const paths = Object.keys(files);
  for (const [path, contents] of Object.entries(files)) {
    const wants = WANTS_ENTRY.exec(path);
    if (wants && contents === '') {
      const unit = paths.find((candidate) => candidate.endsWith(`/${wants[2]}`) && !/\.(wants|requires)\//.test(candidate));
      image.links.push({ path, target: unit ?? `${wants[1]}/${wants[2]}` });
      continue;
    }
    const aliased = contents === '' ? aliasTarget(path, files) : undefined;
    if (aliased) {
      image.links.push({ path, target: aliased });
      continue;
    }
    image.files.push({ path, contents, mode: isExecutable(path, contents) ? 0o755 : 0o644 });
  }
  return image;
}

/** The unit file that lists `path`'s name in its `Alias=`, if an empty file at `path` stands for that alias link. */
export function aliasTarget(path: string, files: Record<string, string>): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (!/\.(service|socket|path|target|timer)$/.test(name)) return undefined;
  const alias = new RegExp(`^\\s*Alias\\s*=\\s*(.*\\s)?${name.replace(/[.@]/g, '\\$&')}\\s*$`, 'm');
  return Object.keys(files).find((candidate) => candidate !== path && alias.test(files[candidate]));
}

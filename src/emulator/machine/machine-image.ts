/**
 * One machine from one description: what a lab's files (absolute machine path → text) become on either
 * kernel — the in-memory one (in-page runtime, tests) and the Node one (WebContainer, `emu daemon`, tests).
 * Both mount exactly this image, so a lab cannot be enabled in one runtime and disabled in the other.
 *
 * Two rules, because lab folders (and their git checkout) hold neither symlinks nor file modes:
 *  - an empty file in a `.wants/` or `.requires/` directory stands for the symlink `systemctl enable` makes:
 *    it becomes a symlink to the unit of that name among the files (or to the file next to the directory);
 *  - scripts (`#!`), programs in `bin`/`sbin` directories and JavaScript files are executable (0755), the
 *    rest is 0644.
 */

/** A regular file of the image. */
export interface ImageFile {
  path: string;
  contents: string;
  mode: number;
}

/** A symlink of the image (`target` is an absolute machine path). */
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

/** Directories every lab machine has (the memory kernel's base tree; the Node kernel's root gets them too). */
export const BASE_DIRECTORIES = ['/usr/bin', '/usr/sbin', '/usr/lib/systemd/system', '/usr/local/bin', '/etc/systemd/system/sockets.target.wants', '/etc/systemd/system/multi-user.target.wants', '/run/systemd', '/var/log', '/var/cache', '/var/lib', '/opt', '/srv', '/dev', '/home/student', '/root', '/tmp'];

const WANTS_ENTRY = /^(.*)\/[^/]+\.(?:wants|requires)\/([^/]+)$/;

/** Whether a machine file is executable in the image. */
export function isExecutable(path: string, contents: string): boolean {
  return contents.startsWith('#!') || /\/s?bin\//.test(path) || /\.(m|c)?js$/.test(path);
}

/** The image of a lab's files. */
export function machineImage(files: Record<string, string>): MachineImage {
  const image: MachineImage = { directories: [...BASE_DIRECTORIES], files: [], links: [] };
  const paths = Object.keys(files);
  for (const [path, contents] of Object.entries(files)) {
    const wants = WANTS_ENTRY.exec(path);
    if (wants && contents === '') {
      const unit = paths.find((candidate) => candidate.endsWith(`/${wants[2]}`) && !/\.(wants|requires)\//.test(candidate));
      image.links.push({ path, target: unit ?? `${wants[1]}/${wants[2]}` });
      continue;
    }
    image.files.push({ path, contents, mode: isExecutable(path, contents) ? 0o755 : 0o644 });
  }
  return image;
}

/**
 * Writes a machine image (machine/machine-image.ts) into a root directory for the Node kernel: the same
 * files, modes and `.wants/` symlinks the in-memory kernel mounts. Symlink targets stay absolute machine
 * paths, as `systemctl --root` writes them; the Node kernel resolves them inside the root.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MachineImage } from '../../machine/machine-image.ts';

/** Writes `image` under `root` (created when missing), over the base directories every lab machine has. */
export function writeMachineImage(root: string, image: MachineImage): void {
  for (const dir of image.directories) fs.mkdirSync(path.join(root, dir), { recursive: true });
  for (const file of image.files) {
    const host = path.join(root, file.path);
    fs.mkdirSync(path.dirname(host), { recursive: true });
    fs.writeFileSync(host, file.contents, { mode: file.mode });
    fs.chmodSync(host, file.mode);
  }
  for (const link of image.links) {
    const host = path.join(root, link.path);
    fs.mkdirSync(path.dirname(host), { recursive: true });
    fs.rmSync(host, { force: true });
    fs.symlinkSync(link.target, host);
  }
}

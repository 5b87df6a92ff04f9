/**
 * The starting files of a scenario, as one list every machine writes the same way: the lab's files
 * (labs/<lab>/files, as the lab machine mounts them) and then the scenario's own `files`. The lab machine's rules
 * (`.wants/` entries and `Alias=` names as symlinks, which files are executable) are the emulator's own
 * machineImage() (src/emulator/machine/machine-image.ts), so real systemd boots the very image the labs mount.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isExecutable, machineImage } from '../../src/emulator/machine/machine-image.ts';
import { hostPathOf, resolveMachinePath } from '../../src/emulator/kernel/node/root-paths.ts';
import { fileOf, type Scenario } from './scenario.ts';

/** The project's root folder. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

/** One file of the starting state. */
export type MachineFile =
  | { path: string; kind: 'file'; content: string; mode: number }
  | { path: string; kind: 'symlink'; target: string };

/** labs/<lab>/files as machine path → content. Throws when the lab does not exist. */
export function labFiles(lab: string): Record<string, string> {
  const base = path.join(PROJECT_ROOT, 'labs', lab, 'files');
  if (!fs.existsSync(base)) throw new Error(`no lab ${lab}: labs/${lab}/files does not exist`);
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files['/' + path.relative(base, full).split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(base);
  return files;
}

/** The hostname of a scenario's machine: the lab's (`<lab>-lab`, or its definition's hostname) or `lab`. */
export async function scenarioHostname(scenario: Scenario): Promise<string> {
  if (!scenario.lab) return 'lab';
  const module = (await import(path.join(PROJECT_ROOT, 'labs', scenario.lab, 'lab.ts'))) as { default: { id: string; hostname?: string } };
  return module.default.hostname ?? `${module.default.id}-lab`;
}

/** Lab files as the lab machine mounts them (machineImage(): regular files with their modes, then the links). */
export function labMachineFiles(files: Record<string, string>): MachineFile[] {
  const image = machineImage(files);
  return [
    ...image.files.map((file): MachineFile => ({ path: file.path, kind: 'file', content: file.contents, mode: file.mode })),
    ...image.links.map((link): MachineFile => ({ path: link.path, kind: 'symlink', target: link.target })),
  ];
}

/** Every starting file of a scenario, lab files first (a scenario file of the same path replaces the lab's). */
export function scenarioMachineFiles(scenario: Scenario): MachineFile[] {
  const lab = scenario.lab ? labMachineFiles(labFiles(scenario.lab)) : [];
  const own = Object.entries(scenario.files ?? {}).map(([file, spec]): MachineFile => ({ path: file, kind: 'file', ...fileOf(spec) }));
  const ownPaths = new Set(own.map((file) => file.path));
  return [...lab.filter((file) => !ownPaths.has(file.path)), ...own];
}

/**
 * Writes machine files under a host folder that stands for `/` (parents created, modes set, symlinks made). Links
 * on the way are followed inside `root` (`/lib/systemd/…` on merged-/usr Debian is `/usr/lib/systemd/…`).
 */
export function writeMachineFiles(root: string, files: MachineFile[]): void {
  for (const file of files) {
    const target = hostPathOf(root, resolveMachinePath(root, file.path, false));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.rmSync(target, { force: true });
    if (file.kind === 'symlink') fs.symlinkSync(file.target, target);
    else {
      fs.writeFileSync(target, file.content);
      fs.chmodSync(target, file.mode);
    }
  }
}

/** Write steps that put a lab's solution files in place (labs/<lab>/solution), as the learner's edits do. */
export function labSolutionWrites(lab: string): Array<{ write: string; content: string; mode: number }> {
  const base = path.join(PROJECT_ROOT, 'labs', lab, 'solution');
  const writes: Array<{ write: string; content: string; mode: number }> = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const file = '/' + path.relative(base, full).split(path.sep).join('/');
        const content = fs.readFileSync(full, 'utf8');
        writes.push({ write: file, content, mode: isExecutable(file, content) ? 0o755 : 0o644 });
      }
    }
  };
  walk(base);
  return writes;
}

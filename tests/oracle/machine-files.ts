/**
 * The starting files of a scenario, as one list every machine writes the same way: the lab's files
 * (labs/<lab>/files, with the lab machine's rules) and then the scenario's own `files`.
 *
 * The lab rules are those of createMemoryKernel (src/emulator/kernel/memory/memory-kernel.ts): an empty file in a
 * `.wants/` or `.requires/` folder stands for the symlink `systemctl enable` makes (lab folders hold no symlinks) and
 * points at the lab's unit of that name; an empty file named in another lab unit's `Alias=` is that alias's symlink; scripts (`#!`), programs in bin folders and .js files are executable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { aliasTarget } from '../../src/emulator/kernel/memory/memory-kernel.ts';
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

/** Applies the lab machine's rules to lab files (see the file comment). */
export function labMachineFiles(files: Record<string, string>): MachineFile[] {
  return Object.entries(files).map(([file, content]): MachineFile => {
    const wants = /^(.*)\/[^/]+\.(?:wants|requires)\/([^/]+)$/.exec(file);
    if (wants && content === '') {
      const unit = Object.keys(files).find((candidate) => candidate.endsWith(`/${wants[2]}`) && !/\.(wants|requires)\//.test(candidate));
      return { path: file, kind: 'symlink', target: unit ?? `${wants[1]}/${wants[2]}` };
    }
    const aliased = content === '' ? aliasTarget(file, files) : undefined;
    if (aliased) return { path: file, kind: 'symlink', target: aliased };
    const executable = content.startsWith('#!') || /\/s?bin\//.test(file) || /\.(m|c)?js$/.test(file);
    return { path: file, kind: 'file', content, mode: executable ? 0o755 : 0o644 };
  });
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
        const machine = labMachineFiles({ [file]: content })[0];
        writes.push({ write: file, content, mode: machine.kind === 'file' ? machine.mode : 0o644 });
      }
    }
  };
  walk(base);
  return writes;
}

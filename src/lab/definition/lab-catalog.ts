/// <reference types="vite/client" />
/**
 * Finds the labs under labs/ with Vite's import.meta.glob (works in Astro pages, the client bundle
 * and vitest). Server code uses the eager loaders; the island loads one lab's module lazily so a
 * page only downloads the lab it shows.
 */
import type { LabBundle, LabDefinition } from './lab-definition.ts';
import { assertLabsValid, validateLab } from './validate-lab.ts';

const definitionModules = import.meta.glob<LabDefinition>('/labs/*/lab.ts', { import: 'default' });
// Lazy, so the client bundle that imports this module fetches nothing until asked (the island gets
// its files from the page itself and only loads the definition).
// exhaustive: lab machines have dot folders too (a user's ~/.config/systemd/user).
const fileSources = import.meta.glob<string>('/labs/*/files/**/*', { query: '?raw', import: 'default', exhaustive: true });
const solutionSources = import.meta.glob<string>('/labs/*/solution/**/*', { query: '?raw', import: 'default', exhaustive: true });

/** `/labs/myapp/files/etc/x` → `myapp`. */
function folderOf(globKey: string): string {
  return globKey.split('/')[2];
}

/** Machine files of one lab folder part (`files` or `solution`): `/labs/myapp/files/etc/x` → `/etc/x`. */
async function machineFiles(
  sources: Record<string, () => Promise<string>>,
  folder: string,
  part: 'files' | 'solution',
): Promise<Record<string, string>> {
  const prefix = `/labs/${folder}/${part}`;
  const entries = Object.entries(sources).filter(([key]) => key.startsWith(`${prefix}/`));
  const texts = await Promise.all(entries.map(([, load]) => load()));
  return Object.fromEntries(entries.map(([key], index) => [key.slice(prefix.length), texts[index]]));
}

/** Ids (folder names) of every lab, sorted. */
export function labIds(): string[] {
  return Object.keys(definitionModules).map(folderOf).sort();
}

/** Loads the definition (labs/<id>/lab.ts) of one lab; throws when there is none. */
export async function loadLabDefinition(id: string): Promise<LabDefinition> {
  const load = definitionModules[`/labs/${id}/lab.ts`];
  if (!load) throw new Error(`No lab "${id}": create labs/${id}/lab.ts (known labs: ${labIds().join(', ')}).`);
  return load();
}

/** Loads one lab with its files and solution; throws when there is no labs/<id>/lab.ts. */
export async function loadLab(id: string): Promise<LabBundle> {
  const [definition, files, solution] = await Promise.all([
    loadLabDefinition(id),
    machineFiles(fileSources, id, 'files'),
    machineFiles(solutionSources, id, 'solution'),
  ]);
  return { definition, files, solution };
}

/** Loads every lab and throws one error listing every problem (the build calls this). */
export async function loadValidLabs(lessonSlugs: readonly string[]): Promise<LabBundle[]> {
  const bundles = await Promise.all(labIds().map((id) => loadLab(id)));
  const problems = bundles.flatMap((bundle, index) =>
    validateLab(bundle, { folder: labIds()[index], lessonSlugs }),
  );
  assertLabsValid(problems);
  return bundles;
}

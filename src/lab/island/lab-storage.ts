/**
 * What a lab remembers on this device (localStorage, one key per lab id): the learner's edits,
 * goal results, terminal history and the runtime they chose. Storage that is blocked or full only
 * loses persistence, never the lab.
 */

/** localStorage key of a lab. */
export function labStorageKey(labId: string): string {
  return `sa-course:lab:${labId}`;
}

/** The saved state of one lab. */
export interface SavedLab {
  /** Editable files the learner changed: machine path → text. */
  files: Record<string, string>;
  /** Goal id → passed at the last check. */
  goals: Record<string, boolean>;
  history: string[];
  /** The learner's runtime choice, when not `auto`. */
  runtime?: 'in-page' | 'webcontainer';
  /** True while the editor holds the solution files. */
  solutionShown?: boolean;
}

/** An empty saved state. */
export function emptySavedLab(): SavedLab {
  return { files: {}, goals: {}, history: [] };
}

/** Reads the saved state of `labId` (empty when none or unreadable). */
export function readSavedLab(labId: string, storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): SavedLab {
  try {
    const raw = storage?.getItem(labStorageKey(labId));
    if (!raw) return emptySavedLab();
    const parsed = JSON.parse(raw) as Partial<SavedLab>;
    return {
      files: typeof parsed.files === 'object' && parsed.files ? parsed.files : {},
      goals: typeof parsed.goals === 'object' && parsed.goals ? parsed.goals : {},
      history: Array.isArray(parsed.history) ? parsed.history.filter((line) => typeof line === 'string') : [],
      runtime: parsed.runtime === 'in-page' || parsed.runtime === 'webcontainer' ? parsed.runtime : undefined,
      solutionShown: parsed.solutionShown === true,
    };
  } catch {
    return emptySavedLab();
  }
}

/** Writes the saved state of `labId`; ignores blocked or full storage. */
export function writeSavedLab(
  labId: string,
  saved: SavedLab,
  storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage,
): void {
  try {
    storage?.setItem(labStorageKey(labId), JSON.stringify(saved));
  } catch {
    // Blocked or full: the lab keeps working for this visit.
  }
}

/** The files to boot with: the lab's own files with the learner's saved edits of editable files on top. */
export function filesWithEdits(
  files: Record<string, string>,
  editable: readonly string[],
  edits: Record<string, string>,
): Record<string, string> {
  const result = { ...files };
  for (const [path, text] of Object.entries(edits)) {
    if (editable.includes(path)) result[path] = text;
  }
  return result;
}

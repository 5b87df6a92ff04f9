/**
 * What a lab remembers on this device (localStorage, one key per lab id): the learner's edits,
 * goal results, terminal history and the runtime they chose. Storage that is blocked, partitioned
 * away or full only loses persistence, never the lab: openLabStore says which, so the lab can tell
 * the learner that progress will not be kept.
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
  /** The learner's edits from before "Show solution" replaced them (what "Restore my files" brings back). */
  beforeSolution?: Record<string, string>;
}

/** An empty saved state. */
export function emptySavedLab(): SavedLab {
  return { files: {}, goals: {}, history: [] };
}

/** A record of strings, or undefined when `value` is not one. */
function stringRecord(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Parses a stored value (empty when unreadable). */
export function parseSavedLab(raw: string | null | undefined): SavedLab {
  if (!raw) return emptySavedLab();
  try {
    const parsed = JSON.parse(raw) as Partial<SavedLab>;
    const saved: SavedLab = {
      files: stringRecord(parsed.files) ?? {},
      goals: typeof parsed.goals === 'object' && parsed.goals ? parsed.goals : {},
      history: Array.isArray(parsed.history) ? parsed.history.filter((line) => typeof line === 'string') : [],
      runtime: parsed.runtime === 'in-page' || parsed.runtime === 'webcontainer' ? parsed.runtime : undefined,
      solutionShown: parsed.solutionShown === true,
    };
    const before = stringRecord(parsed.beforeSolution);
    if (before) saved.beforeSolution = before;
    return saved;
  } catch {
    return emptySavedLab();
  }
}

/**
 * The page's localStorage, or undefined when the browser blocks it: reading `localStorage` itself
 * throws a SecurityError in a third-party iframe with storage blocked, so it is read in a try.
 */
export function pageStorage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

/** Reads the saved state of `labId` (empty when none or unreadable). */
export function readSavedLab(labId: string, storage: Pick<Storage, 'getItem'> | undefined = pageStorage()): SavedLab {
  try {
    return parseSavedLab(storage?.getItem(labStorageKey(labId)));
  } catch {
    return emptySavedLab();
  }
}

/** Writes the saved state of `labId`; returns false when storage is blocked or full. */
export function writeSavedLab(
  labId: string,
  saved: SavedLab,
  storage: Pick<Storage, 'setItem'> | undefined = pageStorage(),
): boolean {
  try {
    if (!storage) return false;
    storage.setItem(labStorageKey(labId), JSON.stringify(saved));
    return true;
  } catch {
    // Blocked or full: the lab keeps working for this visit.
    return false;
  }
}

/** Where a lab's state is kept, and whether it is kept at all. */
export interface LabStore {
  /** False when the browser gives this page no storage: nothing survives a reload. */
  readonly persistent: boolean;
  read(): SavedLab;
  /** Writes; returns false when this write was not kept (storage full or blocked). */
  write(saved: SavedLab): boolean;
  /** Calls `listener` with the new state when another tab of this browser saves this lab; returns an unsubscribe function. */
  onOtherTab(listener: (saved: SavedLab) => void): () => void;
}

/** Whether `storage` takes a write and gives it back (a blocked or partitioned-away store fails one or the other). */
function usable(storage: Storage | undefined): storage is Storage {
  if (!storage) return false;
  const probe = 'sa-course:probe';
  try {
    storage.setItem(probe, '1');
    const ok = storage.getItem(probe) === '1';
    storage.removeItem(probe);
    return ok;
  } catch {
    return false;
  }
}

/** Minimal shape of the window events a store listens to (the `storage` event of other tabs). */
export interface StorageEventSource {
  addEventListener(type: 'storage', listener: (event: { key: string | null; newValue: string | null }) => void): void;
  removeEventListener(type: 'storage', listener: (event: { key: string | null; newValue: string | null }) => void): void;
}

/** The store of `labId`: the page's localStorage when usable, else one that keeps nothing. */
export function openLabStore(
  labId: string,
  storage: Storage | undefined = pageStorage(),
  events: StorageEventSource | undefined = globalThis as unknown as StorageEventSource,
): LabStore {
  if (!usable(storage)) return memoryLabStore();
  const key = labStorageKey(labId);
  return {
    persistent: true,
    read: () => readSavedLab(labId, storage),
    write: (saved) => writeSavedLab(labId, saved, storage),
    onOtherTab(listener) {
      if (typeof events?.addEventListener !== 'function') return () => undefined;
      // The `storage` event fires only in the other tabs of the same origin, never in the writer.
      const handler = (event: { key: string | null; newValue: string | null }) => {
        if (event.key === key && event.newValue) listener(parseSavedLab(event.newValue));
      };
      events.addEventListener('storage', handler);
      return () => events.removeEventListener('storage', handler);
    },
  };
}

/** A store that keeps nothing past this page (storage blocked); `initial` is its starting state. */
export function memoryLabStore(initial: SavedLab = emptySavedLab()): LabStore {
  let current = structuredClone(initial);
  return {
    persistent: false,
    read: () => structuredClone(current),
    write(saved) {
      current = structuredClone(saved);
      return true;
    },
    onOtherTab: () => () => undefined,
  };
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

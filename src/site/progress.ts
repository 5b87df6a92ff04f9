/**
 * Learner progress: which lessons are done, kept in localStorage on this device only.
 *
 * API (browser only; safe to import anywhere, it touches nothing until called):
 *   markLessonDone(slug)      mark a lesson done (the lab island calls this when all of a lab's goals pass)
 *   markLessonNotDone(slug)   undo it
 *   isLessonDone(slug)        true when done
 *   doneLessons()             every done slug, as a Set
 *   resetProgress()           forget everything
 *   onProgressChange(fn)      subscribe; returns an unsubscribe function
 *
 * Every change dispatches `progress-change` (PROGRESS_CHANGE_EVENT) on `window`, a CustomEvent whose
 * detail is a ProgressChange; it also fires when another tab changes progress. A slug is the lesson's
 * file name without `.mdx` (`fd-inheritance`); lesson pages expose it as `data-lesson-slug` on <main>.
 * If localStorage is unavailable (private mode, blocked storage), progress lives for this page only.
 */

/** localStorage key; the value is a JSON array of slugs. */
export const PROGRESS_STORAGE_KEY = 'sa-course:progress';

/** Name of the event dispatched on `window` after every change. */
export const PROGRESS_CHANGE_EVENT = 'progress-change';

/** The `detail` of a `progress-change` event. `slug` is null after a reset or a change in another tab. */
export interface ProgressChange {
  slug: string | null;
  done: boolean;
  doneLessons: string[];
}

let memoryFallback: string[] = [];

function read(): string[] {
  let raw: string | null;
  try {
    if (!globalThis.localStorage) return [...memoryFallback];
    raw = globalThis.localStorage.getItem(PROGRESS_STORAGE_KEY);
  } catch {
    return [...memoryFallback];
  }
  try {
    const parsed: unknown = JSON.parse(raw ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return []; // Corrupt value: start over rather than break the page.
  }
}

function write(slugs: string[]): void {
  memoryFallback = slugs;
  try {
    globalThis.localStorage?.setItem(PROGRESS_STORAGE_KEY, JSON.stringify(slugs));
  } catch {
    // Storage is full or blocked: keep the in-memory copy for this page.
  }
}

function announce(slug: string | null, done: boolean): void {
  const detail: ProgressChange = { slug, done, doneLessons: read() };
  globalThis.dispatchEvent?.(new CustomEvent<ProgressChange>(PROGRESS_CHANGE_EVENT, { detail }));
}

/** Every lesson marked done, as a Set of slugs. */
export function doneLessons(): Set<string> {
  return new Set(read());
}

/** True when the lesson `slug` is marked done. */
export function isLessonDone(slug: string): boolean {
  return read().includes(slug);
}

/** Marks the lesson `slug` done and dispatches `progress-change` (no event if it already was). */
export function markLessonDone(slug: string): void {
  const slugs = read();
  if (slugs.includes(slug)) return;
  write([...slugs, slug]);
  announce(slug, true);
}

/** Marks the lesson `slug` not done and dispatches `progress-change` (no event if it was not done). */
export function markLessonNotDone(slug: string): void {
  const slugs = read();
  if (!slugs.includes(slug)) return;
  write(slugs.filter((item) => item !== slug));
  announce(slug, false);
}

/** Forgets all progress and dispatches `progress-change`. */
export function resetProgress(): void {
  write([]);
  announce(null, false);
}

let storageBridgeInstalled = false;

/** Re-announces changes made in other tabs (the `storage` event) as `progress-change`, once per page. */
function installStorageBridge(): void {
  if (storageBridgeInstalled) return;
  storageBridgeInstalled = true;
  globalThis.addEventListener('storage', (event: StorageEvent) => {
    if (event.key === PROGRESS_STORAGE_KEY || event.key === null) announce(null, false);
  });
}

/** Calls `listener` after every change (this tab or another); returns a function that unsubscribes. */
export function onProgressChange(listener: (change: ProgressChange) => void): () => void {
  installStorageBridge();
  const onChange = (event: Event) => listener((event as CustomEvent<ProgressChange>).detail);
  globalThis.addEventListener(PROGRESS_CHANGE_EVENT, onChange);
  return () => globalThis.removeEventListener(PROGRESS_CHANGE_EVENT, onChange);
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  PROGRESS_CHANGE_EVENT,
  PROGRESS_STORAGE_KEY,
  doneLessons,
  isLessonDone,
  markLessonDone,
  markLessonNotDone,
  onProgressChange,
  resetProgress,
  type ProgressChange,
} from '../../src/site/progress.ts';

/** A window-like global: an EventTarget with localStorage, as progress.ts expects in a browser. */
function installFakeWindow(): void {
  const target = new EventTarget();
  const store = new Map<string, string>();
  vi.stubGlobal('addEventListener', target.addEventListener.bind(target));
  vi.stubGlobal('removeEventListener', target.removeEventListener.bind(target));
  vi.stubGlobal('dispatchEvent', target.dispatchEvent.bind(target));
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => void store.set(key, value),
    removeItem: (key: string) => void store.delete(key),
  });
}

describe('progress store', () => {
  beforeEach(installFakeWindow);
  afterEach(() => vi.unstubAllGlobals());

  it('marks, reads and unmarks lessons in localStorage', () => {
    markLessonDone('fd-inheritance');
    markLessonDone('the-problem');
    expect(isLessonDone('fd-inheritance')).toBe(true);
    expect(JSON.parse(localStorage.getItem(PROGRESS_STORAGE_KEY) ?? '[]')).toEqual(['fd-inheritance', 'the-problem']);
    markLessonNotDone('fd-inheritance');
    expect([...doneLessons()]).toEqual(['the-problem']);
  });

  it('announces each change with a progress-change event, once', () => {
    const changes: ProgressChange[] = [];
    const stop = onProgressChange((change) => changes.push(change));
    markLessonDone('sshd');
    markLessonDone('sshd');
    resetProgress();
    stop();
    markLessonDone('dbus');
    expect(changes).toEqual([
      { slug: 'sshd', done: true, doneLessons: ['sshd'] },
      { slug: null, done: false, doneLessons: [] },
    ]);
    expect(PROGRESS_CHANGE_EVENT).toBe('progress-change');
  });

  it('treats corrupt storage as no progress', () => {
    localStorage.setItem(PROGRESS_STORAGE_KEY, '{not json');
    expect(doneLessons().size).toBe(0);
    markLessonDone('cups');
    expect(isLessonDone('cups')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { filesWithEdits, labStorageKey, readSavedLab, writeSavedLab } from '../../src/lab/island/lab-storage.ts';

/** A Storage-like map. */
function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (key: string) => map.get(key) ?? null, setItem: (key: string, value: string) => void map.set(key, value), map };
}

describe('lab persistence', () => {
  it('round-trips edits, goals and history under one key per lab', () => {
    const storage = memoryStorage();
    writeSavedLab('myapp', { files: { '/a': 'x' }, goals: { one: true }, history: ['ls'], runtime: 'in-page' }, storage);
    expect([...storage.map.keys()]).toEqual([labStorageKey('myapp')]);
    expect(readSavedLab('myapp', storage)).toEqual({
      files: { '/a': 'x' },
      goals: { one: true },
      history: ['ls'],
      runtime: 'in-page',
      solutionShown: false,
    });
    expect(readSavedLab('other', storage)).toEqual({ files: {}, goals: {}, history: [] });
  });

  it('treats unreadable or blocked storage as empty', () => {
    expect(readSavedLab('myapp', { getItem: () => '{not json' })).toEqual({ files: {}, goals: {}, history: [] });
    expect(readSavedLab('myapp', { getItem: () => { throw new Error('blocked'); } }).files).toEqual({});
    expect(() => writeSavedLab('myapp', { files: {}, goals: {}, history: [] }, { setItem: () => { throw new Error('full'); } })).not.toThrow();
  });

  it('applies saved edits only to editable files', () => {
    const files = { '/etc/a.socket': 'old', '/opt/app': 'program' };
    expect(filesWithEdits(files, ['/etc/a.socket'], { '/etc/a.socket': 'new', '/opt/app': 'hacked' })).toEqual({
      '/etc/a.socket': 'new',
      '/opt/app': 'program',
    });
  });
});

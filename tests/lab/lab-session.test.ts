/**
 * The lab session without a browser: Reset, switching runtimes, Show solution and its undo, the
 * confirmations before the learner's work is replaced, the "machine restarted" state after a
 * reload, files changed from the shell or another tab, and a lab without storage.
 */
import { describe, expect, it } from 'vitest';
import type { LabDefinition } from '../../src/lab/definition/lab-definition.ts';
import type { GoalResult } from '../../src/lab/definition/goal-checks.ts';
import type { LabRuntime } from '../../src/lab/runtime/lab-runtime.ts';
import type { RuntimePreference } from '../../src/lab/runtime/choose-runtime.ts';
import { createLabSession, SESSION_TEXT, type Confirmation, type LabSessionData } from '../../src/lab/island/lab-session.ts';
import { emptySavedLab, labStorageKey, memoryLabStore, openLabStore, type LabStore, type SavedLab } from '../../src/lab/island/lab-storage.ts';

const SOCKET = '/etc/systemd/system/myapp.socket';
const PROGRAM = '/opt/myapp/myapp';

const data: LabSessionData = {
  id: 'myapp',
  lesson: 'socket-and-service-units',
  files: { [SOCKET]: '[Socket]\n', [PROGRAM]: 'program' },
  editable: [SOCKET],
  solution: { [SOCKET]: '[Socket]\nListenStream=8080\n' },
  solutionSteps: ['systemctl daemon-reload'],
  runtimeMode: 'auto',
};

/** A runtime that keeps its files in a map. */
function fakeRuntime(kind: 'in-page' | 'webcontainer', files: Record<string, string>) {
  const machine = new Map(Object.entries(files));
  let disposed = false;
  const runtime: LabRuntime = {
    info: { kind, reason: `${kind} runtime: test.` },
    boot: async () => undefined,
    run: () => ({ exit: Promise.resolve(0), interrupt: () => undefined, write: () => undefined }),
    readFile: async (path) => machine.get(path),
    writeFile: async (path, contents) => void machine.set(path, contents),
    completions: async () => ({ commands: [], units: [] }),
    snapshot: async () => ({ units: [], journal: [] }) as unknown as Awaited<ReturnType<LabRuntime['snapshot']>>,
    subscribe: () => () => undefined,
    dispose: () => void (disposed = true),
  };
  return { runtime, machine, isDisposed: () => disposed };
}

/** A session on a fake view, fake runtimes and `store`; `answers` are the learner's replies to confirmations. */
function setup(options: { saved?: SavedLab; store?: LabStore; answers?: boolean[]; goals?: (files: Map<string, string>) => GoalResult[] } = {}) {
  const store = options.store ?? memoryLabStore(options.saved);
  const saved = options.saved ?? store.read();
  const asked: Confirmation[] = [];
  const answers = [...(options.answers ?? [])];
  const editor = { files: {} as Record<string, string>, note: undefined as string | undefined, unsaved: new Set<string>() };
  const started: { preference: RuntimePreference; files: Record<string, string>; fake: ReturnType<typeof fakeRuntime> }[] = [];
  const attached: { runtime: LabRuntime; banner?: string }[] = [];
  /** How many runtimes had been attached at each detach. */
  const detached: number[] = [];
  const done: string[] = [];
  const session = createLabSession({
    data,
    store,
    saved,
    view: {
      loadFiles(files, note) {
        editor.files = { ...files };
        editor.note = note;
      },
      updateFile(path, text) {
        if (editor.unsaved.has(path)) return false;
        editor.files[path] = text;
        return true;
      },
      flushEditor: async () => undefined,
      attachRuntime: (runtime, banner) => void attached.push({ runtime, banner }),
      detachRuntime: () => void detached.push(attached.length),
      async confirm(question) {
        asked.push(question);
        return answers.shift() ?? false;
      },
    },
    async startRuntime(preference, files) {
      const fake = fakeRuntime(preference === 'webcontainer' ? 'webcontainer' : 'in-page', files);
      started.push({ preference, files, fake });
      return fake.runtime;
    },
    loadDefinition: async () => ({ goals: [] }) as unknown as LabDefinition,
    checkGoals: async (_definition, runtime) => {
      const fake = started.find((entry) => entry.fake.runtime === runtime) ?? first;
      return (options.goals ?? (() => [{ id: 'listens', passed: true }]))(fake.fake.machine);
    },
    markLessonDone: (lesson) => void done.push(lesson),
  });
  const first = { preference: 'auto' as RuntimePreference, files: session.files(), fake: fakeRuntime('in-page', session.files()) };
  const begin = () => session.start(Promise.resolve(first.fake.runtime));
  return { session, store, asked, editor, started, attached, detached, done, first, begin };
}

describe('lab session', () => {
  it('attaches the booting runtime and says which runs', async () => {
    const { session, attached, first, begin } = setup();
    expect(session.state().phase).toBe('starting');
    await begin();
    expect(session.state()).toMatchObject({ phase: 'ready', runtimeKind: 'in-page', runtimeLine: 'in-page runtime: test.' });
    expect(attached.map((entry) => entry.runtime)).toEqual([first.fake.runtime]);
  });

  it('a runtime that cannot boot is an error state that names the cause, and Reset tries again', async () => {
    const { session, started } = setup();
    await session.start(Promise.reject(new Error('worker crashed')));
    expect(session.state().phase).toBe('error');
    expect(session.state().runtimeLine).toBe('The lab machine could not start: worker crashed. Press Reset to try again.');
    expect(await session.reset()).toBe(true);
    expect(started).toHaveLength(1);
    expect(session.state().phase).toBe('ready');
  });

  it('an editor save is kept in storage at once and written to the machine', async () => {
    const { session, store, first, begin } = setup();
    await begin();
    await session.saveFile(SOCKET, '[Socket]\nListenStream=9090\n');
    expect(store.read().files).toEqual({ [SOCKET]: '[Socket]\nListenStream=9090\n' });
    expect(first.fake.machine.get(SOCKET)).toBe('[Socket]\nListenStream=9090\n');
    // Back to the starting text: nothing left to keep.
    await session.saveFile(SOCKET, '[Socket]\n');
    expect(store.read().files).toEqual({});
    // Read-only files are never saved.
    await session.saveFile(PROGRAM, 'hacked');
    expect(first.fake.machine.get(PROGRAM)).toBe('program');
  });

  it('Reset without edits asks nothing, clears goals and boots a fresh machine with the starting files', async () => {
    const { session, asked, started, attached, detached, first, begin, editor } = setup();
    await begin();
    await session.check();
    expect(session.state().goals).toEqual({ listens: { mark: 'pass', detail: undefined } });
    expect(await session.reset()).toBe(true);
    expect(asked).toEqual([]);
    expect(first.fake.isDisposed()).toBe(true);
    // The terminal let go of the old machine before the new one was attached.
    expect(detached).toEqual([1]);
    expect(attached).toHaveLength(2);
    expect(started[0].files).toEqual(data.files);
    expect(attached.at(-1)?.banner).toBe(SESSION_TEXT.resetBanner);
    expect(editor.files).toEqual(data.files);
    expect(session.state()).toMatchObject({ goals: {}, checkStatus: SESSION_TEXT.reset, phase: 'ready' });
  });

  it('Reset with edits asks first; "Cancel" keeps everything', async () => {
    const { session, asked, started, store, begin } = setup({ answers: [false] });
    await begin();
    await session.saveFile(SOCKET, 'mine');
    expect(await session.reset()).toBe(false);
    expect(asked).toHaveLength(1);
    expect(asked[0].message).toContain(SOCKET);
    expect(started).toEqual([]);
    expect(store.read().files).toEqual({ [SOCKET]: 'mine' });
  });

  it('Reset with edits, confirmed, drops them', async () => {
    const { session, store, started, begin } = setup({ answers: [true] });
    await begin();
    await session.saveFile(SOCKET, 'mine');
    expect(await session.reset()).toBe(true);
    expect(store.read().files).toEqual({});
    expect(started[0].files[SOCKET]).toBe('[Socket]\n');
  });

  it('Show solution over untouched files asks nothing, writes the solution to the machine and the editor', async () => {
    const { session, asked, editor, first, begin, store } = setup();
    await begin();
    expect(await session.showSolution()).toBe(true);
    expect(asked).toEqual([]);
    expect(first.fake.machine.get(SOCKET)).toBe(data.solution[SOCKET]);
    expect(editor).toMatchObject({ files: { [SOCKET]: data.solution[SOCKET], [PROGRAM]: 'program' }, note: 'solution loaded' });
    expect(session.state()).toMatchObject({ solutionShown: true });
    expect(store.read().solutionShown).toBe(true);
  });

  it('Show solution over edits asks; declined, nothing changes', async () => {
    const { session, asked, first, begin } = setup({ answers: [false] });
    await begin();
    await session.saveFile(SOCKET, 'mine');
    expect(await session.showSolution()).toBe(false);
    expect(asked[0].title).toBe('Replace your files with the solution?');
    expect(first.fake.machine.get(SOCKET)).toBe('mine');
    expect(session.state().solutionShown).toBe(false);
  });

  it('Show solution over edits, confirmed, can be undone with "Restore my files", also after a reload', async () => {
    const { session, editor, first, begin, store } = setup({ answers: [true] });
    await begin();
    await session.saveFile(SOCKET, 'mine');
    await session.showSolution();
    expect(session.state().canRestore).toBe(true);
    expect(store.read().beforeSolution).toEqual({ [SOCKET]: 'mine' });

    // The page reloads: the restore is still offered.
    const again = setup({ store, saved: store.read() });
    expect(again.session.state()).toMatchObject({ canRestore: true, solutionShown: true });

    await session.restoreEdits();
    expect(first.fake.machine.get(SOCKET)).toBe('mine');
    expect(editor.files[SOCKET]).toBe('mine');
    expect(store.read()).toMatchObject({ files: { [SOCKET]: 'mine' }, solutionShown: false });
    expect(store.read().beforeSolution).toBeUndefined();
    expect(session.state()).toMatchObject({ canRestore: false, solutionShown: false, checkStatus: SESSION_TEXT.restored });
  });

  it('switching runtimes keeps the files, boots the other runtime, and marks passed goals as from before the restart', async () => {
    const { session, started, first, begin, store, attached } = setup();
    await begin();
    await session.saveFile(SOCKET, 'mine');
    await session.check();
    await session.switchRuntime('webcontainer');
    expect(first.fake.isDisposed()).toBe(true);
    expect(started[0]).toMatchObject({ preference: 'webcontainer', files: { [SOCKET]: 'mine', [PROGRAM]: 'program' } });
    expect(session.state()).toMatchObject({ runtimeKind: 'webcontainer', preference: 'webcontainer', goals: { listens: { mark: 'stale' } }, notice: SESSION_TEXT.switched });
    expect(attached.at(-1)?.banner).toBe('Switched runtime (webcontainer).');
    expect(store.read().runtime).toBe('webcontainer');
    await session.switchRuntime('auto');
    expect(store.read().runtime).toBeUndefined();
  });

  it('after a reload, goals that passed are "done before the restart" with a notice, until the next check', async () => {
    const saved: SavedLab = { ...emptySavedLab(), goals: { listens: true, enabled: false } };
    const { session, begin } = setup({ saved, goals: () => [{ id: 'listens', passed: false, detail: 'not listening' }, { id: 'enabled', passed: true }] });
    expect(session.state().goals).toEqual({ listens: { mark: 'stale' } });
    expect(session.state().notice).toBe(SESSION_TEXT.restarted);
    await begin();
    await session.check();
    expect(session.state().goals).toEqual({ listens: { mark: 'fail', detail: 'not listening' }, enabled: { mark: 'pass', detail: undefined } });
    expect(session.state().notice).toBe('');
    expect(session.state().checkStatus).toBe('1 of 2 goals done.');
  });

  it('all goals passing marks the lesson done', async () => {
    const { session, done, begin } = setup();
    await begin();
    await session.check();
    expect(done).toEqual(['socket-and-service-units']);
    expect(session.state().checkStatus).toBe('All 1 goals done. This lesson is marked as done.');
  });

  it('a file changed from the shell shows in the editor and is saved as the learner\'s version', async () => {
    const { session, editor, first, begin, store } = setup();
    await begin();
    first.fake.machine.set(SOCKET, '[Socket]\nListenStream=7070\n');
    await session.syncFromMachine();
    expect(editor.files[SOCKET]).toBe('[Socket]\nListenStream=7070\n');
    expect(store.read().files[SOCKET]).toBe('[Socket]\nListenStream=7070\n');
    expect(session.state().conflict).toBeUndefined();
  });

  it('a shell change to a file with unsaved editor edits is a conflict, and nothing is overwritten until the learner chooses', async () => {
    const { session, editor, first, begin, store } = setup();
    await begin();
    editor.files[SOCKET] = 'typing…';
    editor.unsaved.add(SOCKET);
    first.fake.machine.set(SOCKET, 'from the shell');
    await session.syncFromMachine();
    expect(session.state().conflict).toEqual({ path: SOCKET, machineText: 'from the shell' });
    expect(editor.files[SOCKET]).toBe('typing…');
    expect(first.fake.machine.get(SOCKET)).toBe('from the shell');
    await session.resolveConflict('machine');
    expect(session.state().conflict).toBeUndefined();
    expect(store.read().files[SOCKET]).toBe('from the shell');
    expect(editor.files[SOCKET]).toBe('from the shell');

    editor.unsaved.add(SOCKET);
    first.fake.machine.set(SOCKET, 'shell again');
    await session.syncFromMachine();
    await session.resolveConflict('editor', 'editor wins');
    expect(first.fake.machine.get(SOCKET)).toBe('editor wins');
    expect(store.read().files[SOCKET]).toBe('editor wins');
  });

  it('an editor save never overwrites a machine change it has not seen (a command still running wrote the file)', async () => {
    const { session, first, begin, store } = setup();
    await begin();
    first.fake.machine.set(SOCKET, 'written by a running command');
    await session.saveFile(SOCKET, 'typed in the editor');
    expect(first.fake.machine.get(SOCKET)).toBe('written by a running command');
    expect(session.state().conflict).toEqual({ path: SOCKET, machineText: 'written by a running command' });
    // Nothing the learner typed is lost either: storage has it until they choose.
    expect(store.read().files[SOCKET]).toBe('typed in the editor');
    await session.resolveConflict('editor', 'typed in the editor');
    expect(first.fake.machine.get(SOCKET)).toBe('typed in the editor');
    expect(session.state().conflict).toBeUndefined();
  });

  it('after a reload with edits but no checked goals, the notice says the machine restarted', () => {
    const { session } = setup({ saved: { ...emptySavedLab(), files: { [SOCKET]: 'mine' } } });
    expect(session.state().notice).toBe(SESSION_TEXT.restartedNoGoals);
    session.dismissNotice();
    expect(session.state().notice).toBe('');
    expect(setup().session.state().notice).toBe('');
  });

  it('without storage the lab runs and says progress will not be kept', async () => {
    const blocked = {
      setItem() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
      getItem() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
      removeItem() {},
    } as unknown as Storage;
    const store = openLabStore('myapp', blocked);
    expect(store.persistent).toBe(false);
    const { session, begin } = setup({ store });
    expect(session.state()).toMatchObject({ persistent: false, storageNotice: SESSION_TEXT.noStorage });
    await begin();
    await session.saveFile(SOCKET, 'mine');
    await session.check();
    expect(session.state().phase).toBe('ready');
    expect(openLabStore('myapp', undefined).persistent).toBe(false);
  });

  it('a save from another tab of the lab comes into the editor and this tab\'s machine, with a notice', async () => {
    const map = new Map<string, string>();
    const storage = {
      getItem: (key: string) => map.get(key) ?? null,
      setItem: (key: string, value: string) => void map.set(key, value),
      removeItem: (key: string) => void map.delete(key),
    } as unknown as Storage;
    const handlers: ((event: { key: string | null; newValue: string | null }) => void)[] = [];
    const events = { addEventListener: (_: 'storage', handler: (typeof handlers)[number]) => void handlers.push(handler), removeEventListener: () => undefined };
    const store = openLabStore('myapp', storage, events);
    expect(store.persistent).toBe(true);
    const { session, editor, first, begin } = setup({ store });
    await begin();
    const other: SavedLab = { ...emptySavedLab(), files: { [SOCKET]: 'from the other tab' } };
    for (const handler of handlers) handler({ key: labStorageKey('myapp'), newValue: JSON.stringify(other) });
    await Promise.resolve();
    expect(editor.files[SOCKET]).toBe('from the other tab');
    expect(first.fake.machine.get(SOCKET)).toBe('from the other tab');
    expect(session.state().notice).toContain('Saved in another tab of this lab and loaded here');
    session.dispose();
  });
});

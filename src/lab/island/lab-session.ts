/**
 * One lab's session without any DOM: the learner's files, goal marks, the runtime in use, and the
 * flows that change them (Reset, switching runtimes, Show solution and its undo, Check my work,
 * saves from the editor, files changed from the shell or in another tab). The island (lab-island.ts)
 * renders its state and forwards clicks; tests drive it with a fake runtime and a fake view.
 * TutorialKit draws the same line: a store with no UI, and components that render it.
 */
import type { LabDefinition } from '../definition/lab-definition.ts';
import type { GoalResult } from '../definition/goal-checks.ts';
import type { LabRuntime } from '../runtime/lab-runtime.ts';
import type { RuntimePreference } from '../runtime/choose-runtime.ts';
import { filesWithEdits, type LabStore, type SavedLab } from './lab-storage.ts';

/** The lab's data the session needs (a subset of LabPageData). */
export interface LabSessionData {
  id: string;
  lesson: string;
  files: Record<string, string>;
  editable: string[];
  solution: Record<string, string>;
  solutionSteps: string[];
  runtimeMode: 'auto' | 'in-page';
}

/** A goal's mark. `stale`: it passed on a machine that has since restarted (a reload, a runtime switch). */
export type GoalMark = 'unchecked' | 'pass' | 'fail' | 'stale';

/** What the island shows. */
export interface LabSessionState {
  phase: 'starting' | 'ready' | 'error';
  /** The runtime line: which runtime runs and why, or what is happening. */
  runtimeLine: string;
  runtimeKind?: LabRuntime['info']['kind'];
  /** The runtime choice the select shows. */
  preference: RuntimePreference;
  goals: Record<string, { mark: GoalMark; detail?: string }>;
  checking: boolean;
  /** The status line under the goals. */
  checkStatus: string;
  solutionShown: boolean;
  /** "Show solution" replaced edits that "Restore my files" can bring back. */
  canRestore: boolean;
  /** False when this browser keeps nothing for the page (storage blocked): said once, in `storageNotice`. */
  persistent: boolean;
  storageNotice: string;
  /** A notice about the machine (restarted after a reload, files changed in another tab). */
  notice: string;
  /** A file the shell (or another tab) changed while the editor held unsaved edits of it. */
  conflict?: { path: string; machineText: string };
}

/** A question before work is replaced; resolves true to go ahead. */
export interface Confirmation {
  title: string;
  message: string;
  confirm: string;
}

/** What the session needs from the island's view (the editor and the terminal). */
export interface LabSessionView {
  /** Replaces every file in the editor (Reset, Show solution, Restore). */
  loadFiles(files: Record<string, string>, note?: string): void;
  /** Puts a file's new text (changed on the machine or in another tab) into the editor; false when the editor holds unsaved edits of it. */
  updateFile(path: string, text: string): boolean;
  /** Saves what the editor has not saved yet. */
  flushEditor(): Promise<void>;
  /** Connects the terminal (and the editor's check) to a booted runtime. */
  attachRuntime(runtime: LabRuntime, banner?: string): void;
  /** The runtime in use is going away (Reset, a switch): what the learner types meanwhile waits for the next one. */
  detachRuntime(): void;
  /** Asks the learner; resolves true to go ahead. */
  confirm(question: Confirmation): Promise<boolean>;
}

/** What the session uses from the rest of the lab. */
export interface LabSessionOptions {
  data: LabSessionData;
  store: LabStore;
  /** The state read when the page loaded (the loader already booted with its files). */
  saved: SavedLab;
  view: LabSessionView;
  /** Creates and boots a runtime with `files` mounted. */
  startRuntime(preference: RuntimePreference, files: Record<string, string>): Promise<LabRuntime>;
  loadDefinition(): Promise<LabDefinition>;
  checkGoals(definition: LabDefinition, runtime: LabRuntime): Promise<GoalResult[]>;
  markLessonDone(lesson: string): void;
}

/** The session's public face. */
export interface LabSession {
  state(): LabSessionState;
  /** Calls `listener` after every change; returns an unsubscribe function. */
  subscribe(listener: (state: LabSessionState) => void): () => void;
  /** The runtime in use, once booted. */
  runtime(): LabRuntime | undefined;
  /** The files the machine boots with: the lab's files with the learner's edits. */
  files(): Record<string, string>;
  /** Attaches the runtime the loader started when "Start lab" was pressed. */
  start(booting: Promise<LabRuntime>): Promise<void>;
  /** Saves an editor edit to storage (at once) and to the machine. */
  saveFile(path: string, contents: string): Promise<void>;
  /** Reads the machine's editable files and brings changes made from the shell into the editor. */
  syncFromMachine(): Promise<void>;
  /** Settles a conflict: keep the machine's text (`machine`) or write the editor's over it (`editor`). */
  resolveConflict(keep: 'machine' | 'editor', editorText?: string): Promise<void>;
  /** Hides the notice (the learner has read it). */
  dismissNotice(): void;
  /** Records the terminal history. */
  recordHistory(history: readonly string[]): void;
  check(): Promise<void>;
  /** Back to the starting files on a fresh machine, after a confirmation when the learner has edits. */
  reset(): Promise<boolean>;
  /** Loads the solution files, after a confirmation when they replace the learner's edits. */
  showSolution(): Promise<boolean>;
  /** Brings back the edits "Show solution" replaced. */
  restoreEdits(): Promise<void>;
  switchRuntime(preference: RuntimePreference): Promise<void>;
  /** Writes pending saves to storage (the page is being hidden or unloaded). */
  flush(): Promise<void>;
  dispose(): void;
}

/** Longest history line kept in storage: a pasted 100 KB line must not push the learner's edits out of the quota. */
export const MAX_SAVED_HISTORY_LINE = 4096;

/** Words of the notices, in one place. */
export const SESSION_TEXT = {
  starting: 'Starting the lab machine…',
  restarted:
    'The lab machine restarted when this page loaded: your files are kept, but units you started or enabled are back to how the files leave them. Goals marked “done before the restart” need Check my work again.',
  restartedNoGoals:
    'The lab machine restarted when this page loaded: your files are kept, but units you started or enabled are back to how the files leave them.',
  switched: 'The lab machine restarted on the other runtime: your files are kept; goals need Check my work again.',
  noStorage: 'This browser does not let the lab keep anything (storage is blocked here, as in some embedded pages): your edits and progress last until you leave the page.',
  reset: 'The lab was reset to its starting files.',
  resetBanner: 'Lab reset: starting files restored, machine rebooted.',
  restored: 'Your files from before “Show solution” are back in the editor and on the machine.',
} as const;

/** Creates the session of one lab. */
export function createLabSession(options: LabSessionOptions): LabSession {
  const { data, store, view } = options;
  const saved: SavedLab = structuredClone(options.saved);
  const listeners = new Set<(state: LabSessionState) => void>();
  let runtime: LabRuntime | undefined;
  let definition: Promise<LabDefinition> | undefined;
  /** What the machine held at the last sync, per editable file: a difference is a change made from the shell. */
  let machineTexts: Record<string, string> = {};
  let disposed = false;

  // Every goal that passed before this page loaded did so on a machine that is gone.
  const initialGoals: LabSessionState['goals'] = {};
  for (const [id, passed] of Object.entries(saved.goals)) if (passed) initialGoals[id] = { mark: 'stale' };
  // Any earlier visit (edits, commands, checks) ran on a machine this page has replaced.
  const visitedBefore = Object.keys(initialGoals).length > 0 || Object.keys(saved.files).length > 0 || saved.history.length > 0;

  let state: LabSessionState = {
    phase: 'starting',
    runtimeLine: SESSION_TEXT.starting,
    preference: data.runtimeMode === 'in-page' ? 'in-page' : (saved.runtime ?? 'auto'),
    goals: initialGoals,
    checking: false,
    checkStatus: '',
    solutionShown: saved.solutionShown === true,
    canRestore: saved.beforeSolution !== undefined,
    persistent: store.persistent,
    storageNotice: store.persistent ? '' : SESSION_TEXT.noStorage,
    notice: !visitedBefore ? '' : Object.keys(initialGoals).length > 0 ? SESSION_TEXT.restarted : SESSION_TEXT.restartedNoGoals,
  };

  const set = (change: Partial<LabSessionState>) => {
    state = { ...state, ...change };
    for (const listener of listeners) listener(state);
  };

  const persist = () => {
    if (!store.write(saved) && state.persistent) set({ persistent: false, storageNotice: 'The browser did not keep the last change (its storage is full or blocked): it lasts until you leave the page.' });
  };

  const currentFiles = () => filesWithEdits(data.files, data.editable, saved.files);

  /** Records `text` as the learner's version of an editable file. */
  const remember = (path: string, text: string) => {
    if (text === data.files[path]) delete saved.files[path];
    else saved.files[path] = text;
  };

  const goalsOf = (results: GoalResult[]): LabSessionState['goals'] =>
    Object.fromEntries(results.map((result) => [result.id, { mark: result.passed ? 'pass' : 'fail', detail: result.detail }]));

  /** Goals that passed are now "done before the restart"; the rest are unchecked. */
  const staleGoals = (): LabSessionState['goals'] =>
    Object.fromEntries(
      Object.entries(state.goals)
        .filter(([, goal]) => goal.mark === 'pass' || goal.mark === 'stale')
        .map(([id]) => [id, { mark: 'stale' as const }]),
    );

  const attach = (next: LabRuntime, banner?: string) => {
    if (disposed) return next.dispose();
    runtime = next;
    machineTexts = Object.fromEntries(data.editable.map((path) => [path, currentFiles()[path] ?? '']));
    set({ phase: 'ready', runtimeLine: next.info.reason, runtimeKind: next.info.kind });
    // The runtime may say more later (a WebContainer warmed up in the background is ready to switch to).
    void next.info.update?.then((reason) => {
      if (runtime === next) set({ runtimeLine: reason });
    });
    view.attachRuntime(next, banner);
  };

  /** Stops the runtime in use and boots another with the current files. */
  const reboot = async (preference: RuntimePreference, banner: string) => {
    view.detachRuntime();
    runtime?.dispose();
    runtime = undefined;
    set({ phase: 'starting', runtimeLine: SESSION_TEXT.starting, conflict: undefined });
    try {
      attach(await options.startRuntime(preference, currentFiles()), banner);
    } catch (error) {
      fail(error);
    }
  };

  const fail = (error: unknown) => {
    set({
      phase: 'error',
      runtimeLine: `The lab machine could not start: ${error instanceof Error ? error.message : String(error)}. Press Reset to try again.`,
    });
  };

  /** The learner's edits that `replacement` would overwrite. */
  const editsLostTo = (replacement: Record<string, string>) =>
    Object.keys(saved.files).filter((path) => saved.files[path] !== (replacement[path] ?? data.files[path]));

  const session: LabSession = {
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    runtime: () => runtime,
    files: currentFiles,

    async start(booting) {
      try {
        attach(await booting);
      } catch (error) {
        fail(error);
        return;
      }
      definition = options.loadDefinition();
      definition.catch((error: unknown) => {
        set({ checkStatus: `This lab's goals could not be loaded: ${error instanceof Error ? error.message : String(error)}` });
      });
    },

    async saveFile(path, contents) {
      if (!data.editable.includes(path)) return;
      remember(path, contents);
      persist();
      const target = runtime;
      if (!target) return;
      // The machine's copy changed since the editor last saw it (a command still running wrote it):
      // the editor does not overwrite it silently; the learner chooses.
      const onMachine = await target.readFile(path);
      if (target !== runtime) return;
      const known = machineTexts[path];
      if (onMachine !== undefined && known !== undefined && onMachine !== known && onMachine !== contents) {
        machineTexts[path] = onMachine;
        set({ conflict: { path, machineText: onMachine } });
        return;
      }
      await target.writeFile(path, contents);
      machineTexts[path] = contents;
    },

    async syncFromMachine() {
      const target = runtime;
      if (!target) return;
      for (const path of data.editable) {
        const text = await target.readFile(path);
        if (target !== runtime) return;
        if (text === undefined || text === machineTexts[path]) continue;
        machineTexts[path] = text;
        if (view.updateFile(path, text)) {
          remember(path, text);
          persist();
        } else {
          set({ conflict: { path, machineText: text } });
        }
      }
    },

    async resolveConflict(keep, editorText) {
      const conflict = state.conflict;
      if (!conflict) return;
      set({ conflict: undefined });
      if (keep === 'machine') {
        remember(conflict.path, conflict.machineText);
        persist();
        machineTexts[conflict.path] = conflict.machineText;
        await runtime?.writeFile(conflict.path, conflict.machineText);
        view.loadFiles(currentFiles());
      } else if (editorText !== undefined) {
        machineTexts[conflict.path] = conflict.machineText;
        await session.saveFile(conflict.path, editorText);
      }
    },

    dismissNotice() {
      set({ notice: '' });
    },

    recordHistory(history) {
      saved.history = history.filter((line) => line.length <= MAX_SAVED_HISTORY_LINE).slice(-100);
      persist();
    },

    async check() {
      const target = runtime;
      if (!target || state.checking) return;
      set({ checking: true, checkStatus: 'Checking…' });
      try {
        await view.flushEditor();
        await session.syncFromMachine();
        const results = await options.checkGoals(await (definition ??= options.loadDefinition()), target);
        saved.goals = Object.fromEntries(results.map((result) => [result.id, result.passed]));
        persist();
        const passed = results.filter((result) => result.passed).length;
        const all = passed === results.length;
        if (all) options.markLessonDone(data.lesson);
        set({
          goals: goalsOf(results),
          notice: '',
          checkStatus: all ? `All ${results.length} goals done. This lesson is marked as done.` : `${passed} of ${results.length} goals done.`,
        });
      } catch (error) {
        set({ checkStatus: `The check could not run: ${error instanceof Error ? error.message : String(error)}` });
      } finally {
        set({ checking: false });
      }
    },

    async reset() {
      const lost = Object.keys(saved.files);
      if (
        lost.length > 0 &&
        !(await view.confirm({
          title: 'Reset the lab?',
          message: `Reset puts back the lab's starting files and reboots the machine. Your changes to ${lost.join(', ')} will be lost.`,
          confirm: 'Reset and lose my changes',
        }))
      ) {
        return false;
      }
      saved.files = {};
      saved.goals = {};
      saved.solutionShown = false;
      delete saved.beforeSolution;
      persist();
      view.loadFiles(data.files);
      set({ goals: {}, solutionShown: false, canRestore: false, notice: '', checkStatus: SESSION_TEXT.reset });
      await reboot(state.preference, SESSION_TEXT.resetBanner);
      return true;
    },

    async showSolution() {
      await view.flushEditor();
      const lost = editsLostTo(data.solution);
      if (
        lost.length > 0 &&
        !(await view.confirm({
          title: 'Replace your files with the solution?',
          message: `The solution replaces your changes to ${lost.join(', ')}. “Restore my files” brings them back afterwards.`,
          confirm: 'Show the solution',
        }))
      ) {
        return false;
      }
      if (!saved.solutionShown) saved.beforeSolution = { ...saved.files };
      for (const [path, text] of Object.entries(data.solution)) {
        remember(path, text);
        machineTexts[path] = text;
        await runtime?.writeFile(path, text);
      }
      saved.solutionShown = true;
      persist();
      view.loadFiles(currentFiles(), 'solution loaded');
      set({
        solutionShown: true,
        canRestore: saved.beforeSolution !== undefined,
        checkStatus: data.solutionSteps.length
          ? 'Solution files loaded into the editor. Run the solution steps below in the terminal.'
          : 'Solution files loaded into the editor. Run systemctl daemon-reload, then follow the goals in the terminal.',
      });
      return true;
    },

    async restoreEdits() {
      const before = saved.beforeSolution;
      if (!before) return;
      saved.files = { ...before };
      delete saved.beforeSolution;
      saved.solutionShown = false;
      persist();
      const files = currentFiles();
      for (const path of Object.keys(data.solution)) {
        const text = files[path];
        if (text === undefined) continue;
        machineTexts[path] = text;
        await runtime?.writeFile(path, text);
      }
      view.loadFiles(files);
      set({ solutionShown: false, canRestore: false, checkStatus: SESSION_TEXT.restored });
    },

    async switchRuntime(preference) {
      saved.runtime = preference === 'auto' ? undefined : preference;
      persist();
      await view.flushEditor();
      set({ preference, goals: staleGoals(), notice: Object.keys(staleGoals()).length ? SESSION_TEXT.switched : state.notice });
      await reboot(preference, `Switched runtime (${preference}).`);
    },

    async flush() {
      await view.flushEditor();
      persist();
    },

    dispose() {
      disposed = true;
      runtime?.dispose();
      runtime = undefined;
      listeners.clear();
    },
  };

  // Another tab of this lab saved: its edits come here too (the editor and this tab's machine).
  const stopListening = store.onOtherTab((other) => {
    if (disposed) return;
    const changed = data.editable.filter((path) => (other.files[path] ?? data.files[path]) !== currentFiles()[path]);
    saved.history = other.history;
    saved.solutionShown = other.solutionShown;
    saved.beforeSolution = other.beforeSolution;
    for (const path of changed) {
      const text = other.files[path] ?? data.files[path] ?? '';
      if (!view.updateFile(path, text)) {
        set({ conflict: { path, machineText: text } });
        continue;
      }
      remember(path, text);
      machineTexts[path] = text;
      void runtime?.writeFile(path, text);
    }
    if (changed.length) set({ notice: `Saved in another tab of this lab and loaded here: ${changed.join(', ')}. Each tab runs its own machine; the files are shared.` });
  });
  const dispose = session.dispose;
  session.dispose = () => {
    stopListening();
    dispose();
  };
  return session;
}

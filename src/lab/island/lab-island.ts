/**
 * The lab island: mounts the terminal, live diagram, goals and (lazily) the editor into a
 * server-rendered <Lab> block and renders the lab's session (lab-session.ts: Reset, Show solution,
 * runtime switch, Check, saves; no DOM there). lab-loader.ts imports it when the lab comes near the
 * viewport or is started; the runtime boots in parallel (runtime-start.ts) and the CodeMirror editor
 * arrives in its own chunk (lazy-editor.ts), so the terminal is ready first.
 */
import { loadLabDefinition } from '../definition/lab-catalog.ts';
import { checkGoals, runToEnd } from '../definition/goal-checks.ts';
import type { LabRuntime } from '../runtime/lab-runtime.ts';
import type { RuntimePreference } from '../runtime/choose-runtime.ts';
import { markLessonDone } from '../../site/progress.ts';
import type { EditorPanel } from './editor-panel.ts';
import { mountLazyEditor } from './lazy-editor.ts';
import { mountTerminal, type TerminalPanel } from './terminal-panel.ts';
import { applyDiagramEvent, buildDiagram, diagramStateFrom, type DiagramState } from './diagram-model.ts';
import { renderDiagram } from './diagram-panel.ts';
import { parseVerifyOutput } from './verify-diagnostics.ts';
import { filesWithEdits, pageStorage, type LabStore, type SavedLab } from './lab-storage.ts';
import { createLabSession, type Confirmation, type LabSessionState } from './lab-session.ts';
import { startLabRuntime } from './runtime-start.ts';
import { mountSolutionSteps } from './solution-steps.ts';
import type { LabPageData } from './lab-page-data.ts';
import './lab-island.css';

export type { LabPageData } from './lab-page-data.ts';

/** Finds a required element of the lab block. */
function part<T extends HTMLElement>(root: HTMLElement, selector: string): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`Lab block is missing ${selector}; src/lab/Lab.astro renders it.`);
  return element;
}

/** Unit names the lab's files define (the diagram shows only these and their instances). */
function unitNames(files: Record<string, string>): Set<string> {
  return new Set(
    Object.keys(files)
      .filter((path) => /\/systemd\/system\/[^/]+\.(socket|service|path)$/.test(path))
      .map((path) => path.slice(path.lastIndexOf('/') + 1)),
  );
}

/** Gets ready for a lab near the viewport (the loader warms the Worker; the editor loads when needed, lazy-editor.ts). */
export function prepareLab(): void {}

/** What lab-loader.ts hands over: the page data, the store and its saved state, and the runtime already booting. */
export interface LabStart {
  data: LabPageData;
  store: LabStore;
  saved: SavedLab;
  booting: Promise<LabRuntime>;
}

/** Asks a question in the lab's <dialog>; resolves true when the learner confirms. */
function askIn(dialog: HTMLDialogElement, question: Confirmation): Promise<boolean> {
  part(dialog, '[data-lab-confirm-title]').textContent = question.title;
  part(dialog, '[data-lab-confirm-message]').textContent = question.message;
  part(dialog, '[data-lab-confirm-button]').textContent = question.confirm;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
    dialog.showModal();
  });
}

/** Shows the goal marks of `state` in the server-rendered goal list. */
function renderGoals(root: HTMLElement, goals: LabSessionState['goals']): void {
  for (const item of root.querySelectorAll<HTMLElement>('[data-goal]')) {
    const goal = goals[item.dataset.goal ?? ''];
    const mark = goal?.mark ?? 'unchecked';
    const parts = {
      mark: item.querySelector<HTMLElement>('[data-goal-mark]'),
      status: item.querySelector<HTMLElement>('[data-goal-status]'),
      hint: item.querySelector<HTMLElement>('[data-goal-hint]'),
      detail: item.querySelector<HTMLElement>('[data-goal-detail]'),
    };
    item.dataset.result = mark;
    if (parts.mark) parts.mark.textContent = { unchecked: '○', pass: '✓', fail: '✗', stale: '✓' }[mark];
    if (parts.status) {
      parts.status.textContent = { unchecked: 'not checked', pass: 'done', fail: 'not yet', stale: 'done before the restart: check again' }[mark];
    }
    if (parts.hint) parts.hint.hidden = mark !== 'fail';
    if (parts.detail) {
      parts.detail.textContent = goal?.detail ?? '';
      parts.detail.hidden = mark !== 'fail' || !goal?.detail;
    }
  }
}

/** Where the learner's choice of layout is kept (`stacked` once they turned side by side off). */
const LAYOUT_KEY = 'sa-course:lab-layout';
/** Side by side needs this width (lab.css has the same breakpoint). */
const SPLIT_MEDIA = '(min-width: 75rem)';

/**
 * The "Side by side" toggle of a lab in a lesson: the lab fixed beside the lesson text (lab.css). On
 * by default on a wide screen, unless the learner turned it off before or another lab has it.
 */
function mountLayoutToggle(root: HTMLElement, button: HTMLButtonElement): void {
  if (!root.closest('.lab-area')) return; // the standalone lab page is the whole window already
  button.hidden = false;
  const html = document.documentElement;
  const set = (split: boolean) => {
    for (const other of document.querySelectorAll<HTMLElement>('.lab[data-lab-layout="split"]')) {
      if (other !== root) delete other.dataset.labLayout;
    }
    if (split) root.dataset.labLayout = 'split';
    else delete root.dataset.labLayout;
    // Side by side, a long goal list scrolls in its own box: it takes keyboard focus to scroll.
    const goals = root.querySelector<HTMLElement>('.lab-goals');
    if (goals && split) goals.tabIndex = 0;
    else goals?.removeAttribute('tabindex');
    if (split) html.dataset.labSplit = '';
    else if (!document.querySelector('.lab[data-lab-layout="split"]')) delete html.dataset.labSplit;
    for (const toggle of document.querySelectorAll<HTMLElement>('[data-lab-layout-toggle]')) {
      toggle.setAttribute('aria-pressed', String(toggle.closest('.lab')?.getAttribute('data-lab-layout') === 'split'));
    }
  };
  button.addEventListener('click', () => {
    const split = root.dataset.labLayout !== 'split';
    set(split);
    try {
      pageStorage()?.setItem(LAYOUT_KEY, split ? 'split' : 'stacked');
    } catch {
      // Not kept: the choice lasts for this page.
    }
    if (split) root.scrollTop = 0;
    else root.scrollIntoView({ block: 'start' });
  });
  let stored: string | null = null;
  try {
    stored = pageStorage()?.getItem(LAYOUT_KEY) ?? null;
  } catch {
    stored = null;
  }
  if (stored !== 'stacked' && matchMedia(SPLIT_MEDIA).matches && !document.querySelector('.lab[data-lab-layout="split"]')) set(true);
}

/** Mounts the island into `root` (a `.lab` block) and connects it to the booting runtime. */
export async function mountLab(root: HTMLElement, { data, store, saved, booting }: LabStart): Promise<void> {
  // Measured from the click on "Start lab" (lab-loader.ts), island download included.
  const startedAt = Number(root.dataset.labStartedAt ?? performance.now());

  const workspace = part(root, '[data-lab-workspace]');
  const startButton = part<HTMLButtonElement>(root, '[data-lab-start]');
  const runtimeLine = part(root, '[data-lab-runtime]');
  const runtimeSelect = part<HTMLSelectElement>(root, '[data-lab-runtime-select]');
  const checkButton = part<HTMLButtonElement>(root, '[data-lab-check]');
  const resetButton = part<HTMLButtonElement>(root, '[data-lab-reset]');
  const solutionButton = part<HTMLButtonElement>(root, '[data-lab-solution]');
  const restoreButton = part<HTMLButtonElement>(root, '[data-lab-restore]');
  const checkStatus = part(root, '[data-lab-check-status]');
  const notice = part(root, '[data-lab-notice]');
  const noticeBox = part(root, '[data-lab-notice-box]');
  const storageNotice = part(root, '[data-lab-storage-notice]');
  const conflictBox = part(root, '[data-lab-conflict]');
  const dialog = part<HTMLDialogElement>(root, '[data-lab-confirm]');
  workspace.hidden = false;
  startButton.hidden = true;
  mountLayoutToggle(root, part<HTMLButtonElement>(root, '[data-lab-layout-toggle]'));
  root.dataset.labState = 'starting';

  let diagram: DiagramState = { units: new Map(), pending: new Map() };
  let unsubscribeEvents: (() => void) | undefined;
  const labUnits = unitNames(data.files);
  const figure = part(root, '[data-lab-diagram]');
  const summary = part(root, '[data-lab-diagram-summary]');
  let frame = 0;
  const drawSoon = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      renderDiagram(figure, summary, buildDiagram(diagram, labUnits));
    });
  };
  new ResizeObserver(() => drawSoon()).observe(figure);
  const refreshDiagram = async () => {
    const runtime = session.runtime();
    if (!runtime) return;
    diagram = diagramStateFrom(await runtime.snapshot());
    drawSoon();
  };

  const terminal: TerminalPanel = mountTerminal(part(root, '[data-lab-terminal]'), {
    hostname: data.hostname,
    history: saved.history,
    onHistory: (history) => session.recordHistory(history),
    onCommandEnd() {
      void refreshDiagram();
      // `echo … >> file` in the shell: the editor shows it.
      void session.syncFromMachine();
    },
  });

  const editor: EditorPanel = mountLazyEditor(part(root, '[data-lab-tree]'), part(root, '[data-lab-editor]'), part(root, '[data-lab-editor-status]'), {
    files: filesWithEdits(data.files, data.editable, saved.files),
    editable: data.editable,
    openFile: data.openFile,
    note: saved.solutionShown ? 'solution loaded' : undefined,
    hooks: {
      save: (path, contents) => session.saveFile(path, contents),
      async verify(path) {
        const runtime = session.runtime();
        if (!runtime) return [];
        const result = await runToEnd(runtime, `systemd-analyze verify ${path}`);
        return parseVerifyOutput(`${result.stdout}\n${result.stderr}`, path);
      },
    },
  });
  const solutionSteps = mountSolutionSteps(part(root, '[data-lab-solution-box]'), {
    run: (line) => terminal.type(line),
  });

  const session = createLabSession({
    data,
    store,
    saved,
    startRuntime: (preference, files) => startLabRuntime(data, preference, files),
    loadDefinition: () => loadLabDefinition(data.id),
    checkGoals,
    markLessonDone,
    view: {
      loadFiles: (files, note) => editor.load(files, note),
      updateFile: (path, text) => editor.updateFile(path, text),
      flushEditor: () => editor.flush(),
      confirm: (question) => askIn(dialog, question),
      detachRuntime() {
        unsubscribeEvents?.();
        unsubscribeEvents = undefined;
        terminal.detach();
      },
      attachRuntime(runtime, banner) {
        unsubscribeEvents?.();
        unsubscribeEvents = runtime.subscribe((event) => {
          if (event.type === 'reload') void refreshDiagram();
          else if (applyDiagramEvent(diagram, event)) drawSoon();
        });
        // The prompt first; the diagram's snapshot and the editor's check follow.
        terminal.attach(runtime, banner);
        root.dataset.readyMs ??= String(Math.round(performance.now() - startedAt));
        editor.recheck();
        void refreshDiagram();
      },
    },
  });

  const render = (state: LabSessionState) => {
    runtimeLine.textContent = state.runtimeLine;
    if (state.runtimeKind) root.dataset.runtime = state.runtimeKind;
    root.dataset.labState = state.phase;
    const busy = state.phase !== 'ready';
    checkButton.disabled = busy || state.checking;
    solutionButton.disabled = busy;
    restoreButton.disabled = busy;
    resetButton.disabled = state.phase === 'starting';
    restoreButton.hidden = !state.canRestore;
    runtimeSelect.disabled = busy || data.runtimeMode === 'in-page';
    runtimeSelect.value = state.preference;
    checkStatus.textContent = state.checkStatus;
    notice.textContent = state.notice;
    noticeBox.hidden = !state.notice;
    storageNotice.textContent = state.storageNotice;
    storageNotice.hidden = !state.storageNotice;
    conflictBox.hidden = !state.conflict;
    if (state.conflict) {
      part(conflictBox, '[data-lab-conflict-text]').textContent =
        `${state.conflict.path} was changed on the machine (from the shell or another tab) while the editor held unsaved edits of it. Nothing was overwritten.`;
    }
    if (state.solutionShown) solutionSteps.show();
    else solutionSteps.hide();
    renderGoals(root, state.goals);
  };
  session.subscribe(render);
  render(session.state());

  checkButton.addEventListener('click', async () => {
    await session.check();
    void refreshDiagram();
  });
  resetButton.addEventListener('click', () => void session.reset());
  solutionButton.addEventListener('click', () => void session.showSolution());
  restoreButton.addEventListener('click', () => void session.restoreEdits());
  part(noticeBox, '[data-lab-notice-dismiss]').addEventListener('click', () => session.dismissNotice());
  runtimeSelect.addEventListener('change', () => void session.switchRuntime(runtimeSelect.value as RuntimePreference));
  part(conflictBox, '[data-lab-conflict-machine]').addEventListener('click', () => void session.resolveConflict('machine'));
  part(conflictBox, '[data-lab-conflict-editor]').addEventListener('click', () => {
    const path = session.state().conflict?.path;
    if (path) void session.resolveConflict('editor', editor.contents()[path]);
  });
  // The last edits before a reload or a closed tab: saved at once, not after the editor's delay.
  addEventListener('pagehide', () => void session.flush());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void session.flush();
  });

  await session.start(booting);
}

/**
 * The lab island: mounts the terminal, live diagram, goals and (lazily) the editor into a
 * server-rendered <Lab> block and connects them to a runtime. lab-loader.ts imports it when the lab
 * comes near the viewport or is started; the runtime boots in parallel (runtime-start.ts) and the
 * CodeMirror editor arrives in its own chunk (lazy-editor.ts), so the terminal is ready first.
 */
import type { LabDefinition } from '../definition/lab-definition.ts';
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
import { filesWithEdits, type SavedLab, writeSavedLab } from './lab-storage.ts';
import { startLabRuntime } from './runtime-start.ts';
import { mountSolutionSteps } from './solution-steps.ts';
import type { LabPageData } from './lab-page-data.ts';
import './lab-island.css';

export type { LabPageData } from './lab-page-data.ts';

/** Longest history line kept in storage: a pasted 100 KB line must not push the learner's edits out of the quota. */
const MAX_SAVED_HISTORY_LINE = 4096;

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
      .filter((path) => /\/systemd\/system\/[^/]+\.(socket|service)$/.test(path))
      .map((path) => path.slice(path.lastIndexOf('/') + 1)),
  );
}

/** Gets ready for a lab near the viewport (the loader warms the Worker; the editor loads when needed, lazy-editor.ts). */
export function prepareLab(): void {}

/** What lab-loader.ts hands over: the page data, the saved state and the runtime already booting. */
export interface LabStart {
  data: LabPageData;
  saved: SavedLab;
  booting: Promise<LabRuntime>;
}

/** Mounts the island into `root` (a `.lab` block) and connects it to the booting runtime. */
export async function mountLab(root: HTMLElement, { data, saved, booting }: LabStart): Promise<void> {
  // Measured from the click on "Start lab" (lab-loader.ts), island download included.
  const startedAt = Number(root.dataset.labStartedAt ?? performance.now());
  const persist = () => writeSavedLab(data.id, saved);

  const workspace = part(root, '[data-lab-workspace]');
  const startButton = part<HTMLButtonElement>(root, '[data-lab-start]');
  const runtimeLine = part(root, '[data-lab-runtime]');
  const runtimeSelect = part<HTMLSelectElement>(root, '[data-lab-runtime-select]');
  const checkButton = part<HTMLButtonElement>(root, '[data-lab-check]');
  const resetButton = part<HTMLButtonElement>(root, '[data-lab-reset]');
  const solutionButton = part<HTMLButtonElement>(root, '[data-lab-solution]');
  const checkStatus = part(root, '[data-lab-check-status]');
  workspace.hidden = false;
  startButton.hidden = true;
  root.dataset.labState = 'starting';
  runtimeLine.textContent = 'Starting the lab machine…';

  const definitionPromise: Promise<LabDefinition> = loadLabDefinition(data.id);
  /** Creates and boots a runtime with the learner's current files. */
  const startFor = (preference: RuntimePreference): Promise<LabRuntime> =>
    startLabRuntime(data, preference, filesWithEdits(data.files, data.editable, saved.files));

  let runtime: LabRuntime | undefined;
  let unsubscribe: (() => void) | undefined;
  let diagram: DiagramState = { units: new Map(), pending: new Map() };
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
    if (!runtime) return;
    diagram = diagramStateFrom(await runtime.snapshot());
    drawSoon();
  };

  const terminal: TerminalPanel = mountTerminal(part(root, '[data-lab-terminal]'), {
    hostname: data.hostname,
    history: saved.history,
    onHistory(history) {
      saved.history = history.filter((line) => line.length <= MAX_SAVED_HISTORY_LINE).slice(-100);
      persist();
    },
    onCommandEnd: () => void refreshDiagram(),
  });

  const editor: EditorPanel = mountLazyEditor(part(root, '[data-lab-tree]'), part(root, '[data-lab-editor]'), part(root, '[data-lab-editor-status]'), {
    files: filesWithEdits(data.files, data.editable, saved.files),
    editable: data.editable,
    openFile: data.openFile,
    note: saved.solutionShown ? 'solution loaded' : undefined,
    hooks: {
      async save(path, contents) {
        if (!data.editable.includes(path)) return;
        if (contents === data.files[path]) delete saved.files[path];
        else saved.files[path] = contents;
        persist();
        await runtime?.writeFile(path, contents);
      },
      async verify(path) {
        if (!runtime) return [];
        const result = await runToEnd(runtime, `systemd-analyze verify ${path}`);
        return parseVerifyOutput(`${result.stdout}\n${result.stderr}`, path);
      },
    },
  });
  const solutionSteps = mountSolutionSteps(part(root, '[data-lab-solution-box]'), {
    run: (line) => terminal.type(line),
  });
  if (saved.solutionShown) solutionSteps.show();

  /** Connects the terminal, diagram and editor to a booted runtime. */
  const attach = async (next: LabRuntime, banner?: string) => {
    runtime = next;
    runtimeLine.textContent = next.info.reason;
    void next.info.update?.then((reason) => runtime === next && (runtimeLine.textContent = reason));
    root.dataset.runtime = next.info.kind;
    unsubscribe = next.subscribe((event) => {
      if (event.type === 'reload') void refreshDiagram();
      else if (applyDiagramEvent(diagram, event)) drawSoon();
    });
    // The prompt first; the diagram's snapshot and the editor's check follow.
    terminal.attach(next, banner);
    root.dataset.readyMs ??= String(Math.round(performance.now() - startedAt));
    setBusy(false);
    editor.recheck();
    await refreshDiagram();
  };

  /** Stops the current runtime and starts another (Reset, a runtime switch). */
  const boot = async (preference: RuntimePreference, banner?: string) => {
    unsubscribe?.();
    runtime?.dispose();
    runtime = undefined;
    setBusy(true);
    runtimeLine.textContent = 'Starting the lab machine…';
    await attach(await startFor(preference), banner);
  };

  const setBusy = (busy: boolean) => {
    for (const button of [checkButton, resetButton, solutionButton]) button.disabled = busy;
    runtimeSelect.disabled = busy || data.runtimeMode === 'in-page';
    root.dataset.labState = busy ? 'starting' : 'ready';
  };

  const showGoals = (results: Record<string, boolean>, details: Record<string, string | undefined> = {}) => {
    for (const item of root.querySelectorAll<HTMLElement>('[data-goal]')) {
      const id = item.dataset.goal ?? '';
      const passed = results[id];
      const mark = item.querySelector<HTMLElement>('[data-goal-mark]');
      const status = item.querySelector<HTMLElement>('[data-goal-status]');
      const hint = item.querySelector<HTMLElement>('[data-goal-hint]');
      const detail = item.querySelector<HTMLElement>('[data-goal-detail]');
      item.dataset.result = passed === undefined ? 'unchecked' : passed ? 'pass' : 'fail';
      if (mark) mark.textContent = passed === undefined ? '○' : passed ? '✓' : '✗';
      if (status) status.textContent = passed === undefined ? 'not checked' : passed ? 'done' : 'not yet';
      if (hint) hint.hidden = passed !== false;
      if (detail) {
        detail.textContent = details[id] ?? '';
        detail.hidden = passed !== false || !details[id];
      }
    }
  };
  showGoals(saved.goals);

  checkButton.addEventListener('click', async () => {
    if (!runtime) return;
    checkButton.disabled = true;
    checkStatus.textContent = 'Checking…';
    await editor.flush();
    const definition = await definitionPromise;
    const results = await checkGoals(definition, runtime);
    saved.goals = Object.fromEntries(results.map((result) => [result.id, result.passed]));
    persist();
    showGoals(saved.goals, Object.fromEntries(results.map((result) => [result.id, result.detail])));
    const passed = results.filter((result) => result.passed).length;
    const all = passed === results.length;
    checkStatus.textContent = all
      ? `All ${results.length} goals done. This lesson is marked as done.`
      : `${passed} of ${results.length} goals done.`;
    if (all) markLessonDone(data.lesson);
    checkButton.disabled = false;
    void refreshDiagram();
  });

  resetButton.addEventListener('click', async () => {
    saved.files = {};
    saved.goals = {};
    saved.solutionShown = false;
    persist();
    solutionSteps.hide();
    editor.load(data.files);
    showGoals({});
    checkStatus.textContent = 'The lab was reset to its starting files.';
    await boot(saved.runtime ?? 'auto', 'Lab reset: starting files restored, machine rebooted.');
  });

  solutionButton.addEventListener('click', async () => {
    const files = { ...data.files, ...data.solution };
    for (const [path, text] of Object.entries(data.solution)) {
      saved.files[path] = text;
      await runtime?.writeFile(path, text);
    }
    saved.solutionShown = true;
    persist();
    editor.load(files, 'solution loaded');
    solutionSteps.show();
    checkStatus.textContent = data.solutionSteps.length
      ? 'Solution files loaded into the editor. Run the solution steps below in the terminal.'
      : 'Solution files loaded into the editor. Run systemctl daemon-reload, then follow the goals in the terminal.';
  });

  runtimeSelect.value = data.runtimeMode === 'in-page' ? 'in-page' : (saved.runtime ?? 'auto');
  runtimeSelect.addEventListener('change', () => {
    const choice = runtimeSelect.value as RuntimePreference;
    saved.runtime = choice === 'auto' ? undefined : choice;
    persist();
    void boot(choice, `Switched runtime (${choice}).`);
  });

  setBusy(true);
  try {
    await attach(await booting);
  } catch (error) {
    runtimeLine.textContent = `The lab machine could not start: ${error instanceof Error ? error.message : String(error)}. Press Reset to try again.`;
    resetButton.disabled = false;
    root.dataset.labState = 'error';
    return;
  }
  void definitionPromise.catch((error: unknown) => {
    checkStatus.textContent = `This lab's goals could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
  });
}

/**
 * The editor panel while CodeMirror is not loaded: the file list and the open file as a read-only <pre>,
 * swapped for the real editor (editor-panel.ts, its own chunk) when it arrives. Calls made before then
 * (Reset, Show solution) are kept and applied, so the terminal never waits for the editor.
 *
 * CodeMirror is most of a lab's JavaScript, so it is not fetched with the terminal: it loads when the learner
 * reaches for the files (pointer or focus on the panel, a file picked), or once the page has been idle for a
 * moment after the lab started. Until then, what systemd-analyze verify finds in the open unit file is listed
 * under the text with its line numbers (the editor then marks the lines).
 */
import type { EditorHooks, EditorPanel } from './editor-panel.ts';
import { renderFileTree } from './file-tree.ts';
import { isUnitFile } from './unit-file-path.ts';
import type { FileDiagnostic } from './verify-diagnostics.ts';

type EditorModule = typeof import('./editor-panel.ts');

let editorModule: Promise<EditorModule> | undefined;

/** Fetches the CodeMirror editor's chunk (once); call early to have it ready. */
export function loadEditorModule(): Promise<EditorModule> {
  return (editorModule ??= import('./editor-panel.ts'));
}

/** Options of the editor panel (as editor-panel.ts takes them), plus a note for the status line. */
export interface LazyEditorOptions {
  files: Record<string, string>;
  editable: readonly string[];
  openFile: string;
  note?: string;
  hooks: EditorHooks;
}

/** How long after mounting the editor loads by itself when nothing asked for it earlier. */
export const EDITOR_IDLE_LOAD_MS = 3000;

/** Mounts the placeholder now and the CodeMirror editor when it is needed (see above). */
export function mountLazyEditor(tree: HTMLElement, host: HTMLElement, status: HTMLElement, options: LazyEditorOptions): EditorPanel {
  let files = options.files;
  let note = options.note;
  let openFile = options.openFile;
  let real: EditorPanel | undefined;
  let disposed = false;
  let loading: Promise<void> | undefined;

  /** The file list as editor-panel.ts draws it; picking a file opens it (and loads the editor). */
  const renderTree = () => renderFileTree(tree, Object.keys(files), openFile, options.editable, (path) => {
    openFile = path;
    problems = [];
    showPreview();
    load();
  });

  let problems: FileDiagnostic[] = [];

  const showPreview = () => {
    const pre = document.createElement('pre');
    pre.className = 'lab-editor-preview';
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', `Contents of ${openFile} (the editor loads when you click here)`);
    pre.textContent = files[openFile] ?? '';
    host.replaceChildren(pre);
    if (problems.length > 0) {
      const list = document.createElement('ul');
      list.className = 'lab-editor-problems';
      list.setAttribute('aria-label', `systemd-analyze verify ${openFile}`);
      for (const problem of problems) {
        const item = document.createElement('li');
        item.dataset.severity = problem.severity;
        item.textContent = `line ${problem.line}: ${problem.severity}: ${problem.message}`;
        list.append(item);
      }
      host.append(list);
    }
    status.textContent = `${openFile} · ${loading ? 'loading the editor…' : 'click the file to edit it'}`;
    renderTree();
  };

  /** Fetches CodeMirror (once) and swaps it in. */
  const load = (): Promise<void> => {
    if (loading) return loading;
    status.textContent = `${openFile} · loading the editor…`;
    loading = loadEditorModule().then(({ mountEditor }) => {
      if (disposed) return;
      host.replaceChildren();
      real = mountEditor(tree, host, status, { ...options, files, openFile });
      if (note) real.load(files, note);
    });
    loading.catch((error: unknown) => {
      status.textContent = `The editor could not load (${error instanceof Error ? error.message : String(error)}); reload the page to edit files.`;
    });
    return loading;
  };

  showPreview();
  for (const target of [host, tree]) {
    for (const type of ['pointerenter', 'pointerdown', 'focusin']) target.addEventListener(type, () => void load(), { once: true });
  }
  const idle = setTimeout(() => void load(), EDITOR_IDLE_LOAD_MS);

  return {
    load(next, nextNote) {
      if (real) return real.load(next, nextNote);
      files = next;
      note = nextNote;
      showPreview();
    },
    updateFile(path, text) {
      if (real) return real.updateFile(path, text);
      files = { ...files, [path]: text };
      if (path === options.openFile) showPreview();
      return true;
    },
    contents: () => real?.contents() ?? { ...files },
    flush: () => real?.flush() ?? Promise.resolve(),
    recheck() {
      if (real) return real.recheck();
      // The open unit file's problems, listed under its text until the editor marks them at their lines.
      if (!isUnitFile(openFile)) return;
      const path = openFile;
      void options.hooks.verify(path).then((found) => {
        if (real || path !== openFile) return;
        problems = found;
        showPreview();
      }, () => undefined);
    },
    dispose() {
      disposed = true;
      clearTimeout(idle);
      real?.dispose();
    },
  };
}

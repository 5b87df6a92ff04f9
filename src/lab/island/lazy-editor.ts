/**
 * The editor panel while CodeMirror is still loading: the open file as a read-only <pre>, swapped
 * for the real editor (editor-panel.ts, its own chunk) as soon as it arrives. Calls made before
 * then (Reset, Show solution) are kept and applied, so the terminal never waits for the editor.
 */
import type { EditorHooks, EditorPanel } from './editor-panel.ts';

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

/** Mounts the placeholder now and the CodeMirror editor when its code has loaded. */
export function mountLazyEditor(tree: HTMLElement, host: HTMLElement, status: HTMLElement, options: LazyEditorOptions): EditorPanel {
  let files = options.files;
  let note = options.note;
  let real: EditorPanel | undefined;
  let disposed = false;

  const showPreview = () => {
    const pre = document.createElement('pre');
    pre.className = 'lab-editor-preview';
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', `Contents of ${options.openFile} (the editor is loading)`);
    pre.textContent = files[options.openFile] ?? '';
    host.replaceChildren(pre);
    status.textContent = `${options.openFile} · loading the editor…`;
  };
  showPreview();

  const ready = loadEditorModule().then(({ mountEditor }) => {
    if (disposed) return;
    host.replaceChildren();
    real = mountEditor(tree, host, status, { ...options, files });
    if (note) real.load(files, note);
  });
  ready.catch((error: unknown) => {
    status.textContent = `The editor could not load (${error instanceof Error ? error.message : String(error)}); reload the page to edit files.`;
  });

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
    recheck: () => real?.recheck(),
    dispose() {
      disposed = true;
      real?.dispose();
    },
  };
}

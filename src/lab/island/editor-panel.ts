/**
 * The file tree and editor: CodeMirror 6 with each file's language (file-language.ts; its chunk fetched when a
 * file of it opens, editor-languages.ts) and search fetched on first use (editor-setup.ts). Editable files
 * are saved (debounced) to the runtime and to the lab's storage; unit files are then checked with
 * `systemd-analyze verify` and its messages shown at their lines.
 */
import { EditorView } from '@codemirror/view';
import { Annotation, EditorState, Compartment, type Extension, type Transaction } from '@codemirror/state';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { isolateHistory } from '@codemirror/commands';
import { renderFileTree } from './file-tree.ts';
import { isUnitFile } from './unit-file-path.ts';
import { fileLanguage } from './file-language.ts';
import { loadLanguage } from './editor-languages.ts';
import { systemdUnitLanguage } from './systemd-unit-language.ts';
import { editorSetup, searchOnDemand } from './editor-setup.ts';
import type { FileDiagnostic } from './verify-diagnostics.ts';

/** What the editor needs from the rest of the island. */
export interface EditorHooks {
  /** Saves a learner's edit (runtime + storage). */
  save(path: string, contents: string): Promise<void>;
  /** Checks a saved unit file; resolves with its diagnostics. */
  verify(path: string): Promise<FileDiagnostic[]>;
}

/** The mounted editor. */
export interface EditorPanel {
  /**
   * Replaces every file's text (Reset, Show solution, Restore) as an edit of each open document, so
   * Ctrl+Z in the editor brings the learner's text back; keeps the open file if it still exists.
   */
  load(files: Record<string, string>, note?: string): void;
  /** Puts a file's text changed elsewhere (the shell, another tab) into the editor; false, and nothing changed, while it has unsaved edits. */
  updateFile(path: string, text: string): boolean;
  /** The current text of every file. */
  contents(): Record<string, string>;
  /** Flushes pending saves. */
  flush(): Promise<void>;
  /** Re-checks the open unit file (after the runtime changed). */
  recheck(): void;
  dispose(): void;
}

const SAVE_DELAY_MS = 400;

/** Marks a change that came from outside the editor (the machine, Show solution): it is not saved back. */
const external = Annotation.define<boolean>();

/** The state after replacing the whole document of `state` by `text` (an undoable, external change). */
function replaced(state: EditorState, text: string): Transaction | undefined {
  if (state.doc.toString() === text) return undefined;
  // Its own undo step, never merged with the learner's typing just before it.
  return state.update({ changes: { from: 0, to: state.doc.length, insert: text }, annotations: [external.of(true), isolateHistory.of('full')] });
}

/**
 * Token colours as CSS variables (lab-island.css sets them for the light and the dark theme), so
 * highlighting keeps its contrast on both; it replaces basicSetup's light-only fallback style.
 */
const themedHighlight = syntaxHighlighting(
  HighlightStyle.define([
    { tag: [tags.keyword, tags.heading, tags.propertyName, tags.definitionKeyword, tags.modifier], color: 'var(--lab-code-keyword)' },
    { tag: [tags.string, tags.special(tags.string), tags.regexp], color: 'var(--lab-code-string)' },
    { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--lab-code-comment)', fontStyle: 'italic' },
    { tag: [tags.number, tags.bool, tags.atom, tags.null], color: 'var(--lab-code-number)' },
    { tag: [tags.variableName, tags.function(tags.variableName), tags.className, tags.typeName], color: 'var(--lab-code-name)' },
    { tag: [tags.operator, tags.punctuation, tags.bracket, tags.meta], color: 'var(--lab-code-punctuation)' },
  ]),
);

/** Mounts the file list in `tree` and the editor in `host`. */
export function mountEditor(
  tree: HTMLElement,
  host: HTMLElement,
  status: HTMLElement,
  options: { files: Record<string, string>; editable: readonly string[]; openFile: string; hooks: EditorHooks },
): EditorPanel {
  const states = new Map<string, EditorState>();
  const texts = new Map<string, string>(Object.entries(options.files));
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const saving = new Map<string, Promise<void>>();
  let openPath = options.openFile;
  let note = '';

  // Search, one slot in every document: a stand-in until its chunk arrives, then the real thing everywhere.
  const searchSlot = new Compartment();
  let search: Extension | undefined;
  const installSearch = (extension: Extension) => {
    if (search) return;
    search = extension;
    const effects = searchSlot.reconfigure(extension);
    for (const [path, state] of states) if (path !== openPath) states.set(path, state.update({ effects }).state);
    view.dispatch({ effects });
  };

  const stateFor = (path: string): EditorState => {
    const existing = states.get(path);
    if (existing) return existing;
    const editable = options.editable.includes(path);
    const kind = fileLanguage(path, texts.get(path) ?? '');
    const language = new Compartment();
    const state = EditorState.create({
      doc: texts.get(path) ?? '',
      extensions: [
        themedHighlight,
        editorSetup,
        searchSlot.of(search ?? searchOnDemand(installSearch)),
        // Unit files are highlighted at once (their mode is in this chunk); other languages when their chunk arrives.
        language.of(kind === 'systemd' ? systemdUnitLanguage : []),
        lintGutter(),
        EditorState.readOnly.of(!editable),
        EditorView.editable.of(editable),
        // tabindex: a read-only file is not contenteditable, yet its scrolling region must take keyboard focus.
        EditorView.contentAttributes.of({ 'aria-label': `Contents of ${path}${editable ? '' : ' (read only)'}`, 'data-language': kind, tabindex: '0' }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && !update.transactions.some((transaction) => transaction.annotation(external))) {
            scheduleSave(path, update.state.doc.toString());
          } else if (update.docChanged) texts.set(path, update.state.doc.toString());
        }),
      ],
    });
    states.set(path, state);
    // The language arrives with its chunk: put it into this file's state, open or not.
    if (kind !== 'systemd' && kind !== 'plain') {
      void loadLanguage(kind, editable).then((extension) => {
        const effects = language.reconfigure(extension);
        if (language.get(view.state) !== undefined) view.dispatch({ effects });
        else {
          const stored = states.get(path);
          if (stored && language.get(stored) !== undefined) states.set(path, stored.update({ effects }).state);
        }
      }, () => undefined);
    }
    return state;
  };

  const view = new EditorView({ parent: host, state: stateFor(openPath) });

  const renderStatus = () => {
    const editable = options.editable.includes(openPath);
    status.textContent = `${openPath}${editable ? '' : ' (read only)'}${note ? ` · ${note}` : ''}`;
  };

  const showDiagnostics = (path: string, found: FileDiagnostic[]) => {
    if (path !== openPath) return;
    const doc = view.state.doc;
    const diagnostics: Diagnostic[] = found.map((item) => {
      const line = doc.line(Math.min(Math.max(item.line, 1), doc.lines));
      return { from: line.from, to: line.to, severity: item.severity, message: item.message, source: 'systemd-analyze verify' };
    });
    view.dispatch(setDiagnostics(view.state, diagnostics));
  };

  const check = (path: string) => {
    if (!isUnitFile(path)) return;
    void options.hooks.verify(path).then((found) => showDiagnostics(path, found), () => undefined);
  };

  const save = (path: string, text: string): Promise<void> => {
    timers.delete(path);
    const done = options.hooks.save(path, text).then(() => check(path));
    saving.set(path, done);
    return done;
  };

  function scheduleSave(path: string, text: string) {
    texts.set(path, text);
    clearTimeout(timers.get(path));
    timers.set(path, setTimeout(() => void save(path, text), SAVE_DELAY_MS));
  }

  const renderTree = () => renderFileTree(tree, texts.keys(), openPath, options.editable, open);

  function open(path: string) {
    states.set(openPath, view.state);
    openPath = path;
    view.setState(stateFor(path));
    renderTree();
    renderStatus();
    check(path);
  }

  renderTree();
  renderStatus();
  check(openPath);

  return {
    load(files, newNote) {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      states.set(openPath, view.state);
      for (const path of [...texts.keys()]) if (!(path in files)) (texts.delete(path), states.delete(path));
      for (const [path, text] of Object.entries(files)) {
        texts.set(path, text);
        const existing = states.get(path);
        if (!existing || path === openPath) continue;
        const transaction = replaced(existing, text);
        if (transaction) states.set(path, transaction.state);
      }
      note = newNote ?? '';
      if (!texts.has(openPath)) {
        openPath = options.openFile;
        view.setState(stateFor(openPath));
      } else {
        const transaction = replaced(view.state, texts.get(openPath) ?? '');
        if (transaction) view.dispatch(transaction);
      }
      renderTree();
      renderStatus();
      check(openPath);
    },
    updateFile(path, text) {
      if (timers.has(path)) return false;
      texts.set(path, text);
      if (path === openPath) {
        const transaction = replaced(view.state, text);
        if (transaction) view.dispatch(transaction);
        check(path);
      } else {
        const existing = states.get(path);
        const transaction = existing && replaced(existing, text);
        if (transaction) states.set(path, transaction.state);
      }
      return true;
    },
    contents: () => Object.fromEntries(texts),
    async flush() {
      for (const [path, timer] of timers) {
        clearTimeout(timer);
        void save(path, texts.get(path) ?? '');
      }
      await Promise.all(saving.values());
    },
    recheck: () => check(openPath),
    dispose() {
      for (const timer of timers.values()) clearTimeout(timer);
      view.destroy();
    },
  };
}

/**
 * The editor's extensions, chunked by need. What every file gets is CodeMirror's basicSetup (the `codemirror`
 * package's list, copied as its docs suggest) minus what only some files or some moments need:
 *   - a file's language comes with its own chunk when a file of that language opens (editor-languages.ts), and
 *     with it, for programs, bracket closing and (JavaScript) autocompletion: @codemirror/autocomplete is not
 *     in the editor's chunk;
 *   - search (Ctrl+F, F3, Ctrl+D… and the highlighting of the selection's other matches) is fetched the first
 *     time a search key is pressed or text is selected (searchOnDemand), then works as in basicSetup.
 * basicSetup's fallback highlight style is left out: the editor's own themed style (editor-panel.ts) always applies.
 */
import { lineNumbers, highlightActiveLineGutter, highlightSpecialChars, drawSelection, dropCursor, rectangularSelection, crosshairCursor, highlightActiveLine, keymap, EditorView, type Command, type KeyBinding } from '@codemirror/view';
import { EditorState, type Extension } from '@codemirror/state';
import { foldGutter, indentOnInput, bracketMatching, foldKeymap } from '@codemirror/language';
import { history, defaultKeymap, historyKeymap } from '@codemirror/commands';
import { lintKeymap } from '@codemirror/lint';

/** basicSetup without its language-specific parts and search (see above). */
export const editorSetup: Extension = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  history(),
  foldGutter(),
  drawSelection(),
  dropCursor(),
  EditorState.allowMultipleSelections.of(true),
  indentOnInput(),
  bracketMatching(),
  rectangularSelection(),
  crosshairCursor(),
  highlightActiveLine(),
  keymap.of([...defaultKeymap, ...historyKeymap, ...foldKeymap, ...lintKeymap]),
];

type SearchModule = typeof import('./editor-search.ts');
let searchModule: Promise<SearchModule> | undefined;

/** Fetches the search chunk (once). */
export function loadSearch(): Promise<SearchModule> {
  return (searchModule ??= import('./editor-search.ts'));
}

/** searchKeymap's keys (@codemirror/search), bound here before its chunk is loaded. */
const SEARCH_KEYS: readonly { key: string; shift?: true }[] = [
  { key: 'Mod-f' }, { key: 'F3', shift: true }, { key: 'Mod-g', shift: true }, { key: 'Mod-Shift-l' }, { key: 'Mod-Alt-g' }, { key: 'Mod-d' },
];

/**
 * Stands in for search until it is needed: its keys and the first selection fetch the search chunk, hand its
 * extension to `install` (which puts it in place of this one, in every open document) and run the key's command.
 */
export function searchOnDemand(install: (search: Extension) => void): Extension {
  const fetchSearch = (then?: (module: SearchModule, view: EditorView) => void, view?: EditorView) =>
    void loadSearch().then((module) => {
      install(module.editorSearch);
      if (then && view) then(module, view);
    }, () => undefined);
  const bound = (key: string, shifted: boolean): Command => (view) => {
    fetchSearch((module, target) => {
      const binding = module.searchKeymap.find((candidate) => candidate.key === key);
      (shifted ? binding?.shift : binding?.run)?.(target);
    }, view);
    return true;
  };
  const bindings: KeyBinding[] = SEARCH_KEYS.map(({ key, shift }) => ({ key, run: bound(key, false), shift: shift ? bound(key, true) : undefined, preventDefault: true }));
  return [
    keymap.of(bindings),
    EditorView.updateListener.of((update) => {
      if (update.selectionSet && update.state.selection.ranges.some((range) => !range.empty)) fetchSearch();
    }),
  ];
}

/**
 * The editor's extensions, chunked by need: CodeMirror's basicSetup as its own list (the `codemirror`
 * package's, copied as its docs suggest), and the JavaScript language — with the autocompletion that only its
 * completion sources feed — fetched the first time a JavaScript file opens, so a lab that shows only unit
 * files never downloads it.
 */
import { lineNumbers, highlightActiveLineGutter, highlightSpecialChars, drawSelection, dropCursor, rectangularSelection, crosshairCursor, highlightActiveLine, keymap } from '@codemirror/view';
import { EditorState, type Extension } from '@codemirror/state';
import { foldGutter, indentOnInput, syntaxHighlighting, defaultHighlightStyle, bracketMatching, foldKeymap } from '@codemirror/language';
import { history, defaultKeymap, historyKeymap } from '@codemirror/commands';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { lintKeymap } from '@codemirror/lint';

/** basicSetup without autocompletion (that comes with the JavaScript language, loadJavaScript()). */
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
  syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
  bracketMatching(),
  closeBrackets(),
  rectangularSelection(),
  crosshairCursor(),
  highlightActiveLine(),
  highlightSelectionMatches(),
  keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, ...lintKeymap]),
];

let javaScript: Promise<Extension> | undefined;

/** The JavaScript language with autocompletion (its own chunk, fetched once). */
export function loadJavaScript(): Promise<Extension> {
  return (javaScript ??= Promise.all([import('@codemirror/lang-javascript'), import('@codemirror/autocomplete')]).then(([js, complete]) => [
    js.javascript(),
    complete.autocompletion(),
    keymap.of(complete.completionKeymap),
  ]));
}

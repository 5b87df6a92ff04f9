/**
 * The JavaScript language of the editor, its own chunk: the Lezer parser (highlighting, folding), the syntax check
 * (javascript-lint.ts), autocompletion (lang-javascript's sources; its keymap comes with autocompletion()) and
 * bracket closing.
 */
import { javascript } from '@codemirror/lang-javascript';
import { autocompletion } from '@codemirror/autocomplete';
import type { Extension } from '@codemirror/state';
import { javascriptLint } from './javascript-lint.ts';
import { programEditing } from './program-editing.ts';

/** Everything a JavaScript file gets. */
export const javascriptLanguage: Extension = [javascript(), javascriptLint, autocompletion(), programEditing];

/** The editor's search, its own chunk (editor-setup.ts fetches it on first use): basicSetup's search parts. */
import { keymap } from '@codemirror/view';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import type { Extension } from '@codemirror/state';

export { searchKeymap } from '@codemirror/search';

/** Search panel, its keys and the highlighting of the selection's other matches, as basicSetup has them. */
export const editorSearch: Extension = [search(), highlightSelectionMatches(), keymap.of(searchKeymap)];

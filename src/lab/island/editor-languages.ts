/**
 * The editor's languages, each fetched the first time a file of it opens (its own chunk). Unit files are the
 * exception: their small mode is in the editor's chunk, since every lab opens one first.
 *
 * A program the learner may edit gets what typing needs: bracket closing (program-editing.ts) and, for
 * JavaScript, the Lezer parser with its syntax check (javascript-lint.ts) and autocompletion. A read-only
 * program (most labs show their service's code without letting it change) only needs to be read: highlighting
 * by a legacy mode (a few KB instead of the ~40 KB parser) and folding at brackets.
 */
import { foldService, matchBrackets, StreamLanguage, type StreamParser } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import type { FileLanguage } from './file-language.ts';
import { systemdUnitLanguage } from './systemd-unit-language.ts';

/** Folds a line that ends with an opening bracket up to its closing one (what Lezer's grammars fold in code). */
export const bracketFolding = foldService.of((state, lineStart) => {
  const line = state.doc.lineAt(lineStart);
  const text = line.text.trimEnd();
  if (!/[{[(]$/.test(text)) return null;
  const open = line.from + text.length;
  const match = matchBrackets(state, open - 1, 1);
  if (!match?.matched || !match.end || match.end.from <= line.to) return null;
  return { from: open, to: match.end.from };
});

/** A legacy-modes parser as a language with bracket folding, and bracket closing when the file is editable. */
const legacy = (parser: Promise<StreamParser<unknown>>, editable: boolean): Promise<Extension> =>
  Promise.all([parser, editable ? import('./program-editing.ts').then((module) => module.programEditing) : []]).then(([mode, editing]) => [
    StreamLanguage.define(mode),
    bracketFolding,
    editing,
  ]);

const LOADERS: Record<FileLanguage, (editable: boolean) => Promise<Extension>> = {
  systemd: () => Promise.resolve(systemdUnitLanguage),
  shell: (editable) => legacy(import('@codemirror/legacy-modes/mode/shell').then((mode) => mode.shell), editable),
  python: (editable) => legacy(import('@codemirror/legacy-modes/mode/python').then((mode) => mode.python), editable),
  c: (editable) => legacy(import('@codemirror/legacy-modes/mode/clike').then((mode) => mode.c), editable),
  go: (editable) => legacy(import('@codemirror/legacy-modes/mode/go').then((mode) => mode.go), editable),
  javascript: (editable) =>
    editable
      ? import('./javascript-language.ts').then((module) => module.javascriptLanguage)
      : legacy(import('@codemirror/legacy-modes/mode/javascript').then((mode) => mode.javascript), false),
  plain: () => Promise.resolve([]),
};

const loaded = new Map<string, Promise<Extension>>();

/** The editor extension of `language` for an editable or a read-only file (fetched once each). */
export function loadLanguage(language: FileLanguage, editable: boolean): Promise<Extension> {
  const key = `${language}:${editable}`;
  let extension = loaded.get(key);
  if (!extension) {
    extension = LOADERS[language](editable);
    loaded.set(key, extension);
    // A failed fetch (offline) is tried again the next time a file of that language opens.
    extension.catch(() => loaded.delete(key));
  }
  return extension;
}

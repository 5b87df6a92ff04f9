/**
 * The editor's languages, each fetched the first time a file of it opens (its own chunk): unit files are the
 * exception, their small mode is in the editor's chunk since every lab opens one first. Programs also get
 * bracket closing (program-editing.ts); JavaScript gets its parser, syntax check and autocompletion.
 */
import { StreamLanguage, type StreamParser } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import type { FileLanguage } from './file-language.ts';
import { systemdUnitLanguage } from './systemd-unit-language.ts';

/** A legacy-modes parser as a language, with bracket closing. */
const program = (parser: Promise<StreamParser<unknown>>): Promise<Extension> =>
  Promise.all([parser, import('./program-editing.ts')]).then(([mode, editing]) => [StreamLanguage.define(mode), editing.programEditing]);

const LOADERS: Record<FileLanguage, () => Promise<Extension>> = {
  systemd: () => Promise.resolve(systemdUnitLanguage),
  shell: () => program(import('@codemirror/legacy-modes/mode/shell').then((mode) => mode.shell)),
  python: () => program(import('@codemirror/legacy-modes/mode/python').then((mode) => mode.python)),
  c: () => program(import('@codemirror/legacy-modes/mode/clike').then((mode) => mode.c)),
  go: () => program(import('@codemirror/legacy-modes/mode/go').then((mode) => mode.go)),
  javascript: () => import('./javascript-language.ts').then((module) => module.javascriptLanguage),
  plain: () => Promise.resolve([]),
};

const loaded = new Map<FileLanguage, Promise<Extension>>();

/** The editor extension of `language` (fetched once). */
export function loadLanguage(language: FileLanguage): Promise<Extension> {
  let extension = loaded.get(language);
  if (!extension) {
    extension = LOADERS[language]();
    loaded.set(language, extension);
    // A failed fetch (offline) is tried again the next time a file of that language opens.
    extension.catch(() => loaded.delete(language));
  }
  return extension;
}

/**
 * Which language an editor file is in, from its path and first line (no CodeMirror here): unit files and drop-ins,
 * shell (`*.sh`, /etc/default/*, a sh/bash shebang), JavaScript (`*.js`, a node shebang), Python, C and Go; other
 * files are plain text. The editor loads each language's chunk only when a file of it opens (editor-languages.ts).
 */
import { isUnitFile } from './unit-file-path.ts';

/** A language the editor highlights; `plain` is none. */
export type FileLanguage = 'systemd' | 'shell' | 'javascript' | 'python' | 'c' | 'go' | 'plain';

const BY_EXTENSION: Record<string, FileLanguage> = {
  sh: 'shell', bash: 'shell',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript',
  py: 'python',
  c: 'c', h: 'c',
  go: 'go',
};

/** The interpreter a `#!` line names (`#!/usr/bin/env node` → node, `#!/bin/sh -e` → sh). */
function interpreter(firstLine: string): string | undefined {
  const match = /^#!\s*(\S+)(?:\s+(?:-\S+\s+)*(\S+))?/.exec(firstLine);
  if (!match) return undefined;
  const program = match[1].slice(match[1].lastIndexOf('/') + 1);
  return program === 'env' ? match[2]?.slice(match[2].lastIndexOf('/') + 1) : program;
}

/** The language of the file at `path` whose text is `text`. */
export function fileLanguage(path: string, text: string): FileLanguage {
  if (isUnitFile(path)) return 'systemd';
  const name = path.slice(path.lastIndexOf('/') + 1);
  const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  if (BY_EXTENSION[extension]) return BY_EXTENSION[extension];
  const program = interpreter(text.split('\n', 1)[0]);
  if (program) {
    if (/^(node|nodejs|deno|bun)$/.test(program)) return 'javascript';
    if (/^python[\d.]*$/.test(program)) return 'python';
    if (/^(sh|bash|dash|zsh|ksh)$/.test(program)) return 'shell';
  }
  // Debian's /etc/default/* files are sourced by shell scripts.
  if (path.startsWith('/etc/default/')) return 'shell';
  return 'plain';
}

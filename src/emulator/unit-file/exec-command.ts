/** Exec*= command lines, split as systemd's config_parse_exec() does (src/core/load-fragment.c). */
import type { ExecCommand } from './unit-types.ts';
import { extractFirstWord } from './extract-word.ts';
import { expandSpecifiers, SpecifierError, type SpecifierContext } from './specifiers.ts';

/** A message config_parse_exec() would log; `fatal` makes the unit fail to load. */
export interface ExecMessage {
  message: string;
  fatal: boolean;
}

/** The result of parsing one Exec*= value: commands to append (empty value → reset) and messages. */
export interface ExecParseResult {
  reset: boolean;
  commands: ExecCommand[];
  messages: ExecMessage[];
}

const SAFE = /^[^\x00-\x1f\x7f"'\\]*$/;

/** path_is_valid() / filename_is_valid() for the executable. */
function validExecutable(path: string): boolean {
  if (path.startsWith('/')) return path.length < 4096 && path.split('/').every((c) => c.length <= 255);
  return path !== '.' && path !== '..' && !path.includes('/') && path.length <= 255;
}

/** extract_first_word_and_warn() with EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE, retried relaxed as systemd does. */
function nextWord(p: string, rvalue: string, messages: ExecMessage[]): { word: string; rest: string } | null | 'failed' {
  const r = extractFirstWord(p, { unquote: true, cunescape: true });
  if (r === null || !('error' in r)) return r;
  const relaxed = extractFirstWord(p, { unquote: true, cunescape: true, relaxEscape: true });
  if (relaxed && !('error' in relaxed)) {
    messages.push({ message: `Ignoring unknown escape sequences: "${relaxed.word}"`, fatal: false });
    return relaxed;
  }
  if (relaxed === null) return null;
  messages.push({ message: `Unbalanced quoting, ignoring: "${rvalue}"`, fatal: true });
  return 'failed';
}

/** Parses an Exec*= value; `;`-separated commands each become one ExecCommand. */
export function parseExecLine(rvalue: string, spec: SpecifierContext): ExecParseResult {
  const result: ExecParseResult = { reset: false, commands: [], messages: [] };
  if (rvalue.trim() === '') return { ...result, reset: true };
  let p = rvalue;
  let semicolon: boolean;
  do {
    semicolon = false;
    const first = nextWord(p, rvalue, result.messages);
    if (first === 'failed') {
      // Unbalanced quoting in the first word is fatal only without '-' (unknown yet): systemd returns 0 here.
      result.messages[result.messages.length - 1].fatal = false;
      return result;
    }
    if (first === null) return result;
    p = first.rest;
    if (first.word === ';') {
      semicolon = true;
      continue;
    }
    let f = first.word;
    let ignore = false;
    let separateArgv0 = false;
    let noEnv = false;
    let privileged = 0; // 1 '+', 2 '!', 3 '!!'
    for (;;) {
      const c = f[0];
      if (c === '-' && !ignore) ignore = true;
      else if (c === '@' && !separateArgv0) separateArgv0 = true;
      else if (c === ':' && !noEnv) noEnv = true;
      else if (c === '+' && privileged === 0) privileged = 1;
      else if (c === '!' && privileged === 0) privileged = 2;
      else if (c === '!' && privileged === 2) privileged = 3;
      else break;
      f = f.slice(1);
    }
    const fail = (message: string): ExecParseResult => {
      result.messages.push({ message, fatal: !ignore });
      return result;
    };
    const ignoring = ignore ? ', ignoring' : '';
    let path: string;
    try {
      path = expandSpecifiers(f, spec);
    } catch (e) {
      if (e instanceof SpecifierError) return fail(`Failed to resolve unit specifiers in '${f}'${ignoring}: ${e.message}`);
      throw e;
    }
    if (path === '') return fail(`Empty path in command line${ignoring}: '${rvalue}'`);
    if (!SAFE.test(path)) return fail(`Executable name contains special characters${ignoring}: ${path}`);
    if (path.endsWith('/')) return fail(`Executable path specifies a directory${ignoring}: ${path}`);
    if (!validExecutable(path)) return fail(`Neither a valid executable name nor an absolute path${ignoring}: ${path}`);
    const argv: string[] = separateArgv0 ? [] : [path];
    while (p !== '') {
      if (p[0] === ';' && (p.length === 1 || ' \t\n\r'.includes(p[1]))) {
        p = p.slice(1).replace(/^[ \t\n\r]+/, '');
        semicolon = true;
        break;
      }
      if (p[0] === '\\' && p[1] === ';' && (p.length === 2 || ' \t\n\r'.includes(p[2]))) {
        p = p.slice(2).replace(/^[ \t\n\r]+/, '');
        argv.push(';');
        continue;
      }
      const w = nextWord(p, rvalue, result.messages);
      if (w === 'failed') {
        result.messages[result.messages.length - 1].fatal = !ignore;
        return result;
      }
      if (w === null) {
        p = '';
        break;
      }
      p = w.rest;
      try {
        argv.push(expandSpecifiers(w.word, spec));
      } catch (e) {
        if (e instanceof SpecifierError) return fail(`Failed to resolve unit specifiers in ${w.word}${ignoring}: ${e.message}`);
        throw e;
      }
    }
    if (argv.length === 0) return fail(`Empty executable name or zeroeth argument${ignoring}: ${rvalue}`);
    const simplified = path.replace(/\/+/g, '/').replace(/(?<=.)\/$/, '').replace(/\/\.(?=\/|$)/g, '');
    result.commands.push({ path: simplified, argv, ignoreFailure: ignore, text: rvalue });
  } while (semicolon);
  return result;
}

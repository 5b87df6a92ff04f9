/**
 * Node's report of a program that dies of an error, as the journal shows it: the program's file and
 * line, the source line, a caret under the place, a blank line, the error and its stack (the program's
 * own frames), and the version line:
 *
 *   /opt/greeter/greeter:12
 *     const x = ;
 *               ^
 *
 *   SyntaxError: Unexpected token ';'
 *
 *   Node.js v22.12.0
 *
 * A syntax error thrown by `new Function` carries no position in the browser (V8 gives one only to
 * Node's own compiler), so locateSyntaxError finds it by compiling growing prefixes of the program
 * with the same compiler until V8 reports the same error: where the error first appears is where
 * V8 stopped. No parser beyond the one that runs the program, and the message stays V8's.
 */
import { formatArgs } from './console-format.ts';
import { SANDBOX_NODE_VERSION } from './node/node-process.ts';

/** Where V8 stopped: 1-based line, 0-based column, and the width of the offending token (Node's ^^^). */
export interface SyntaxLocation {
  file: string;
  line: number;
  column: number;
  length: number;
}

/** Syntax errors with the place their program's compilation stopped. */
const syntaxLocations = new WeakMap<object, SyntaxLocation>();

/** Compiles a program's text; throws the SyntaxError V8 throws. */
export type Compile = (code: string) => unknown;

/** Programs larger than this are not searched (each step compiles a prefix). */
const MAX_SEARCHED_LINES = 3000;

/** The message of the SyntaxError compiling `code` throws, or undefined when it compiles. */
function syntaxMessage(compile: Compile, code: string): string | undefined {
  try {
    compile(code);
    return undefined;
  } catch (error) {
    return error instanceof SyntaxError ? error.message : undefined;
  }
}

/** The offending token that ends just before `end` in `text`: a word, a string literal, or one character. */
function tokenBefore(text: string, end: number, message: string): { column: number; length: number } {
  const last = text[end - 1] ?? '';
  if (/[\w$]/.test(last)) {
    let start = end - 1;
    while (start > 0 && /[\w$]/.test(text[start - 1])) start--;
    return { column: start, length: end - start };
  }
  if (last === '"' || last === "'" || last === '`') {
    const open = text.lastIndexOf(last, end - 2);
    // An unterminated string: Node marks it from its quote to the end of the line.
    if (message === 'Invalid or unexpected token') return { column: end - 1, length: text.length - (end - 1) };
    const start = open >= 0 ? open : end - 1;
    return { column: start, length: end - start };
  }
  return { column: Math.max(end - 1, 0), length: 1 };
}

/**
 * Finds the line and column where compiling `body` fails with `message`: the first prefix of lines,
 * then of characters, whose compilation throws that same error.
 */
export function locateSyntaxError(body: string, message: string, compile: Compile): Omit<SyntaxLocation, 'file'> | undefined {
  const lines = body.split('\n');
  if (lines.length > MAX_SEARCHED_LINES) return undefined;
  if (message === 'Unexpected end of input') {
    // V8 reaches the end still inside a block: Node points past the last line.
    return { line: lines.length, column: lines.at(-1)?.length ?? 0, length: 0 };
  }
  for (let line = 1; line <= lines.length; line++) {
    const before = lines.slice(0, line - 1).join('\n');
    const prefix = before === '' && line === 1 ? '' : `${before}\n`;
    if (syntaxMessage(compile, prefix + lines[line - 1]) !== message) continue;
    const text = lines[line - 1];
    for (let end = 1; end <= text.length; end++) {
      if (syntaxMessage(compile, prefix + text.slice(0, end)) === message) return { line, ...tokenBefore(text, end, message) };
    }
    return { line, column: 0, length: 1 };
  }
  return undefined;
}

/**
 * Notes where a program's compilation stopped on `error` (a SyntaxError from compiling `body`, the
 * program as run: same lines as its file); returns the error, for `throw`.
 */
export function withSyntaxLocation(error: unknown, file: string, body: string, compile: Compile): unknown {
  if (!(error instanceof SyntaxError)) return error;
  const program = body.replace(/\n\/\/# sourceURL=[^\n]*$/, '');
  const found = locateSyntaxError(program, error.message, compile);
  if (found) syntaxLocations.set(error, { file, ...found });
  return error;
}

/** The source line and caret lines of Node's report. */
function sourceLines(text: string, column: number, length: number): string[] {
  return [text, length === 0 ? '' : ' '.repeat(column) + '^'.repeat(length)];
}

/**
 * Node's report of an uncaught exception: the program's line, the source text with a caret, the stack
 * limited to the program's own frames (line numbers corrected for the wrapper), and the version line.
 * `files` holds the programs' sources by path.
 */
export function formatUncaught(error: unknown, files: Map<string, string>): string[] {
  if (!(error instanceof Error)) return [`Uncaught ${formatArgs([error])}`, '', `Node.js ${SANDBOX_NODE_VERSION}`];
  const out: string[] = [];
  const syntax = syntaxLocations.get(error);
  if (syntax) {
    const text = files.get(syntax.file)?.split('\n')[syntax.line - 1] ?? '';
    out.push(`${syntax.file}:${syntax.line}`, ...sourceLines(text.replace(/^#!.*/, ''), syntax.column, syntax.length), '');
    out.push(...`${error.name}: ${error.message}`.split('\n'), '', `Node.js ${SANDBOX_NODE_VERSION}`);
    return out;
  }
  const frames: string[] = [];
  let first: { file: string; line: number; column: number } | undefined;
  for (const raw of (error.stack ?? '').split('\n').slice(1)) {
    const m = /^\s*at (?:(.*?) \()?(\/[^():]+):(\d+):(\d+)\)?$/.exec(raw);
    if (!m || !files.has(m[2])) continue;
    // The wrapper function's header takes two lines before the program's first.
    const line = Number(m[3]) - 2;
    const fn = !m[1] || m[1] === 'eval' ? 'Object.<anonymous>' : m[1];
    first ??= { file: m[2], line, column: Number(m[4]) - 1 };
    frames.push(`    at ${fn} (${m[2]}:${line}:${m[4]})`);
  }
  if (first) {
    const text = files.get(first.file)!.split('\n')[first.line - 1] ?? '';
    // V8 places a thrown error at its `throw` statement, where the stack names the `new Error(…)`.
    const thrown = /throw\s+$/.exec(text.slice(0, first.column));
    const column = thrown ? thrown.index : Math.min(first.column, Math.max(text.length - 1, 0));
    out.push(`${first.file}:${first.line}`, ...sourceLines(text, column, 1), '');
  }
  out.push(...`${error.name}: ${error.message}`.split('\n'), ...frames);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (error as { syscall?: unknown }).syscall) {
    const e = error as unknown as Record<string, unknown>;
    const extra = ['code', 'errno', 'syscall', 'address', 'port'].filter((k) => e[k] !== undefined).map((k) => `${k}: ${typeof e[k] === 'string' ? `'${e[k]}'` : e[k]}`);
    out[out.length - 1] += ' {';
    out.push(...extra.map((x, i) => `  ${x}${i < extra.length - 1 ? ',' : ''}`), '}');
  }
  out.push('', `Node.js ${SANDBOX_NODE_VERSION}`);
  return out;
}

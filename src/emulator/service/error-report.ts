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
 *   Node.js v18.20.4
 *
 * A syntax error thrown by `new Function` carries no position in the browser (V8 gives one only to
 * Node's own compiler), so locateSyntaxError finds it by compiling growing prefixes of the program
 * with the same compiler until V8 reports the same error: where the error first appears is where
 * V8 stopped. No parser beyond the one that runs the program, and the message stays V8's.
 */
import { formatArgs } from './console-format.ts';
import { looksLikeEsm } from './esm-to-cjs.ts';
import { originalColumn } from './preempt.ts';
import { ENTRY_FRAMES, LAB_NODE_VERSION, STACK_TRACE_LIMIT, UNHANDLED_ERROR_EVENT_SOURCE, type EntryPoint } from './node/node-internals.ts';

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

/** Where Node's internals made an error: their frames above the program's, and where it is emitted as 'error'. */
export interface NodeErrorOrigin {
  /** Node's own frames, innermost first. */
  frames: string[];
  /** Whether the program's frames at the making follow (a synchronous call), or none (Node made it later, from its event loop). */
  withProgram: boolean;
  /** Where the program had been entered when it made the call. */
  entry?: EntryPoint;
  /** The emitter's class and the frames of the place that emits the 'error' event. */
  emitted?: { on: string; frames: string[] };
  /** Where Node's own code threw it (`node:internal/fs/utils:356`, its line, the caret), printed above the error. */
  source?: string[];
}

const origins = new WeakMap<object, NodeErrorOrigin>();
const entries = new WeakMap<object, EntryPoint>();
const unhandledEvents = new WeakMap<object, { on: string | undefined; stack: string | undefined }>();

/** Notes where Node's internals made `error` (node-net's errors); returns it. */
export function noteNodeOrigin<T>(error: T, origin: NodeErrorOrigin): T {
  if (typeof error === 'object' && error !== null) origins.set(error, origin);
  return error;
}

/** Notes where Node's internals entered the program that threw `error` (the first note wins). */
export function noteEntry(error: unknown, entry: EntryPoint | undefined): void {
  if (entry && typeof error === 'object' && error !== null && !entries.has(error)) entries.set(error, entry);
}

/** Notes that `error` was thrown because an 'error' event had no listener (`on`: the emitter's class; `stack`: the emit call's). */
export function noteUnhandledErrorEvent(error: unknown, on: string | undefined, stack: string | undefined): void {
  if (typeof error === 'object' && error !== null && !unhandledEvents.has(error)) unhandledEvents.set(error, { on, stack });
}

/** A frame of the program's own code, from a V8 stack line. */
interface ProgramFrame {
  fn: string | undefined;
  file: string;
  line: number;
  column: number;
}

/** The column of the program's own text that V8's column in the program as run (instrumented, preempt.ts) stands for. */
function sourceColumn(source: string, line: number, column: number): number {
  if (looksLikeEsm(source)) return column;
  try {
    return originalColumn(source.replace(/^#!.*/, ''), line, column);
  } catch {
    return column;
  }
}

/** The program's frames of a V8 stack (line numbers corrected for the wrapper), innermost first. */
function programFrames(stack: string | undefined, files: Map<string, string>): ProgramFrame[] {
  const frames: ProgramFrame[] = [];
  for (const raw of (stack ?? '').split('\n').slice(1)) {
    const m = /^\s*at (?:(.*?) \()?(\/[^():]+):(\d+):(\d+)\)?$/.exec(raw);
    if (!m || !files.has(m[2])) continue;
    // The wrapper function's header takes two lines before the program's first; the preemption checks moved columns.
    const line = Number(m[3]) - 2;
    frames.push({ fn: m[1], file: m[2], line, column: sourceColumn(files.get(m[2])!, line, Number(m[4])) });
  }
  return frames;
}

/** Whether V8 named a frame's function as anonymous (the module wrapper, an arrow, a function expression). */
const anonymous = (fn: string | undefined): boolean => !fn || fn === 'eval' || fn === 'anonymous' || /(^|\.)<anonymous>$/.test(fn);

/**
 * The program's frames as Node prints them: a named function keeps its name; the outermost frame, which Node's
 * internals called, takes the name V8 gives it there (`Object.<anonymous>` for the module, `Timeout._onTimeout`…);
 * another anonymous function has none (`at /file:line:col`), as in V8.
 */
function printedProgramFrames(frames: ProgramFrame[], entry: EntryPoint | undefined): string[] {
  return frames.map((frame, index) => {
    // V8 names a function made by `new Function` (and its anonymous callbacks) 'eval' where Node's loader gives '<anonymous>'.
    const f = { ...frame, fn: frame.fn?.replace(/\.eval$/, '.<anonymous>') };
    const outermost = index === frames.length - 1;
    const bare = !f.fn || f.fn === 'eval' || f.fn === 'anonymous';
    const fn = outermost && anonymous(f.fn) ? (entry ? ENTRY_FRAMES[entry].name : 'Object.<anonymous>') : bare ? undefined : f.fn;
    return fn ? `${fn} (${f.file}:${f.line}:${f.column})` : `${f.file}:${f.line}:${f.column}`;
  });
}

/** A property value as util.inspect prints it in an error's `{ … }` block. */
function inspectValue(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[ ${value.map(inspectValue).join(', ')} ]`;
  return formatArgs([value]);
}

/** The `{ code: …, errno: … }` block of an error's own properties, in the order they were set; none when it has none. */
function propertyBlock(error: Error): string[] {
  const keys = Object.keys(error).filter((key) => key !== 'stack' && key !== 'message');
  return keys.map((key, i) => `  ${key}: ${inspectValue((error as unknown as Record<string, unknown>)[key])}${i < keys.length - 1 ? ',' : ''}`);
}

/**
 * Node's report of an uncaught exception, as the lab machine's Node.js 18 prints it: the place it was thrown (the
 * program's line with a caret, or events.js's `throw er` for an 'error' event nobody listens to), the error and its
 * stack (Node's own frames where Node made the error, the program's frames, the frames of Node's internals that
 * called the program; at most 10), where the event was emitted, the error's properties, and the version line.
 * `files` holds the programs' sources by path.
 */
export function formatUncaught(error: unknown, files: Map<string, string>): string[] {
  if (!(error instanceof Error)) return [`Uncaught ${formatArgs([error])}`, '', `Node.js ${LAB_NODE_VERSION}`];
  const out: string[] = [];
  const syntax = syntaxLocations.get(error);
  if (syntax) {
    const text = files.get(syntax.file)?.split('\n')[syntax.line - 1] ?? '';
    out.push(`${syntax.file}:${syntax.line}`, ...sourceLines(text.replace(/^#!.*/, ''), syntax.column, syntax.length), '');
    out.push(...`${error.name}: ${error.message}`.split('\n'), '', `Node.js ${LAB_NODE_VERSION}`);
    return out;
  }
  const origin = origins.get(error);
  const entry = origin ? origin.entry : entries.get(error);
  const own = origin && !origin.withProgram ? [] : programFrames(error.stack, files);
  const frames = [...(origin?.frames ?? []), ...printedProgramFrames(own, entry), ...(own.length > 0 && entry ? ENTRY_FRAMES[entry].frames : [])].slice(0, STACK_TRACE_LIMIT);
  const unhandled = unhandledEvents.get(error);
  if (unhandled) out.push(...UNHANDLED_ERROR_EVENT_SOURCE, '');
  else if (origin?.source) out.push(...origin.source, '');
  else if (own.length > 0) {
    const first = own[0];
    const text = files.get(first.file)!.split('\n')[first.line - 1] ?? '';
    const column = first.column - 1;
    // V8 places a thrown error at its `throw` statement, where the stack names the `new Error(…)`.
    const thrown = /throw\s+$/.exec(text.slice(0, column));
    const at = thrown ? thrown.index : Math.min(column, Math.max(text.length - 1, 0));
    out.push(`${first.file}:${first.line}`, ...sourceLines(text, at, 1), '');
  }
  out.push(...`${error.name}: ${error.message}`.split('\n'), ...frames.map((frame) => `    at ${frame}`));
  if (unhandled) {
    const emitted = origin?.emitted;
    const on = emitted?.on ?? unhandled.on;
    const emitFrames = emitted ? emitted.frames : printedProgramFrames(programFrames(unhandled.stack, files), undefined);
    out.push(`Emitted 'error' event${on && on !== 'EventEmitter' ? ` on ${on} instance` : ''} at:`, ...emitFrames.map((frame) => `    at ${frame}`));
  }
  const block = propertyBlock(error);
  if (block.length > 0) {
    out[out.length - 1] += ' {';
    out.push(...block, '}');
  }
  out.push('', `Node.js ${LAB_NODE_VERSION}`);
  return out;
}

/**
 * Preemption for the in-memory kernel's processes: a program that never gives the event loop back (a
 * `while (true) {}`, a `for (;;)` that prints, a promise chain that feeds itself) must not freeze the
 * machine. Every program shares one thread with the kernel, so the kernel cannot take the CPU away by
 * force; instead the program's source is rewritten before it runs so that every loop test and every
 * function or block body first calls a check (`__saPreempt()`). The check measures how long program
 * code has run since the kernel last had control (the "slice"); past SLICE budget the process is marked
 * hung and the check throws, unwinding the program's stack back to the kernel. From then on the process
 * is what a spinning process is on Linux: alive, holding its sockets, never running another callback.
 * SIGKILL ends it, and so do the signals whose default action terminates when it set no handler; a
 * handler it set cannot run (its event loop never turns), so `systemctl stop` waits for TimeoutStopSec=
 * and kills it, exactly as systemd does with a Node service stuck in a loop.
 *
 * Why this and not one Worker per process: a Worker per program would need every synchronous call of the
 * Node surface (fs.readFileSync, server.address(), socket state, process.env) to cross a thread, which
 * needs SharedArrayBuffer + Atomics.wait, i.e. a cross-origin isolated page — and the in-page runtime is
 * exactly the one that runs where isolation is missing (wiki iframes, GitHub Pages). It would also lose
 * the virtual clock that makes the tests deterministic, and add a Worker script per process to the page's
 * CSP surface. The rewrite keeps the sandbox as it is (same realm, same shadowed globals) and costs one
 * counter increment per loop iteration. What it cannot stop: code compiled at run time by the program
 * itself (`eval`, `Function(...)`), and one native call that never returns (a catastrophic regex).
 *
 * The rewrite is a small tokenizer, not a parser: it finds `while (…)`, `for (…;…;…)`, and `{` that opens
 * a function or block body, and only ever inserts text inside a line, so line numbers stay right.
 */

/** How long program code may run without returning to the kernel before its process counts as hung. */
export const DEFAULT_SLICE_MS = 1000;

/** The name of the check inside the rewritten source (a parameter of the sandbox's wrapper). */
export const PREEMPT_CHECK = '__saPreempt';

/** Thrown by the check of a hung process; the process table treats it like an exit signal, not a crash. */
export class ProcessHungSignal {
  readonly hung = true;
}

const now: () => number = typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();
/** When the kernel last handed control to program code (realm-wide: every program shares the thread). */
let sliceStart = now();

/** The kernel calls this each time it enters or leaves program code: a new slice starts. */
export function startSlice(): void {
  sliceStart = now();
}

/** A process's check: `onHung` marks the process; returns true so it fits in `while (check() && (…))`. */
export function createPreemptCheck(budgetMs: number, isHung: () => boolean, onHung: () => void): () => true {
  let calls = 0;
  return () => {
    if (isHung()) throw new ProcessHungSignal();
    // Reading the clock costs more than the loop body of a busy loop: look every 1024 calls.
    if ((++calls & 1023) !== 0) return true;
    if (now() - sliceStart > budgetMs) {
      onHung();
      throw new ProcessHungSignal();
    }
    return true;
  };
}

interface Token {
  kind: 'word' | 'punct' | 'string' | 'template' | 'regex' | 'number';
  value: string;
  start: number;
  end: number;
}

/** Keywords after which a `/` starts a regular expression. */
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

/** Splits JavaScript into tokens (comments and white space dropped); tolerant of anything it does not know. */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  /** One entry per open `{`: true when it is a template literal's `${`. */
  const braces: boolean[] = [];
  let i = 0;
  const n = source.length;
  const push = (kind: Token['kind'], start: number, end: number) => tokens.push({ kind, value: source.slice(start, end), start, end });
  /** Scans template text from i (just after ` or }) to the closing ` or the next ${. */
  const templateText = (start: number): void => {
    while (i < n) {
      const c = source[i];
      if (c === '\\') i += 2;
      else if (c === '`') {
        i++;
        push('template', start, i);
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        i += 2;
        braces.push(true);
        push('template', start, i);
        return;
      } else i++;
    }
    push('template', start, n);
  };
  while (i < n) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '/' && source[i + 1] === '/') {
      while (i < n && source[i] !== '\n') i++;
    } else if (c === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === '#' && i === 0 && source[1] === '!') {
      while (i < n && source[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      const start = i++;
      while (i < n && source[i] !== c && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
      i++;
      push('string', start, Math.min(i, n));
    } else if (c === '`') {
      const start = i++;
      templateText(start);
    } else if (c === '}' && braces[braces.length - 1] === true) {
      braces.pop();
      const start = i++;
      templateText(start);
    } else if (/[A-Za-z_$\u0080-\uffff]/.test(c)) {
      const start = i;
      while (i < n && /[\w$\u0080-\uffff]/.test(source[i])) i++;
      push('word', start, i);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const start = i;
      while (i < n && /[\w.]/.test(source[i])) i++;
      push('number', start, i);
    } else if (c === '/' && regexAllowed(tokens[tokens.length - 1])) {
      const start = i++;
      let inClass = false;
      while (i < n && source[i] !== '\n') {
        const d = source[i];
        if (d === '\\') i++;
        else if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        i++;
      }
      i++;
      while (i < n && /[a-z]/i.test(source[i])) i++;
      push('regex', start, Math.min(i, n));
    } else {
      const start = i;
      const three = source.slice(i, i + 3);
      const two = source.slice(i, i + 2);
      if (three === '...' || three === '===' || three === '!==' || three === '**=' || three === '>>>' || three === '<<=' || three === '>>=' || three === '&&=' || three === '||=' || three === '??=') i += 3;
      else if (['=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '**', '<<', '>>'].includes(two)) i += 2;
      else i++;
      if (c === '{') braces.push(false);
      else if (c === '}') braces.pop();
      push('punct', start, i);
    }
  }
  return tokens;
}

/** Whether a `/` after `previous` starts a regular expression rather than a division. */
function regexAllowed(previous: Token | undefined): boolean {
  if (!previous) return true;
  if (previous.kind === 'word') return REGEX_AFTER_WORD.has(previous.value);
  if (previous.kind === 'punct') return previous.value !== ')' && previous.value !== ']' && previous.value !== '++' && previous.value !== '--';
  return false;
}

/**
 * Inserts the preemption check into `source`: in every `while (…)` and `for (…;…;…)` test and at the
 * start of every function and block body. Only inserts text inside lines (line numbers are kept).
 */
export function instrumentSource(source: string): string {
  let out = source;
  for (const { at, text } of preemptInserts(source).sort((a, b) => b.at - a.at)) out = out.slice(0, at) + text + out.slice(at);
  return out;
}

/**
 * The column in `source` of a column (1-based) that V8 reports in the instrumented line `line` (1-based): the
 * inserted checks moved it right. A column inside an inserted check maps to the place of the insert.
 */
export function originalColumn(source: string, line: number, column: number): number {
  const lineStart = source.split('\n').slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
  const lineEnd = lineStart + (source.split('\n')[line - 1]?.length ?? 0);
  let shift = 0;
  for (const { at, text } of preemptInserts(source).filter((i) => i.at >= lineStart && i.at <= lineEnd).sort((a, b) => a.at - b.at)) {
    const start = at - lineStart + shift;
    if (column - 1 < start) break;
    if (column - 1 < start + text.length) return at - lineStart + 1;
    shift += text.length;
  }
  return column - shift;
}

/** Where instrumentSource inserts its checks (offsets in `source`) and what. */
function preemptInserts(source: string): Array<{ at: number; text: string }> {
  const tokens = tokenize(source);
  const match = new Map<number, number>();
  const stack: number[] = [];
  tokens.forEach((token, index) => {
    if (token.kind !== 'punct') return;
    if (token.value === '(' || token.value === '[' || token.value === '{') stack.push(index);
    else if (token.value === ')' || token.value === ']' || token.value === '}') {
      const open = stack.pop();
      if (open !== undefined) {
        match.set(open, index);
        match.set(index, open);
      }
    }
  });
  const inserts: Array<{ at: number; text: string }> = [];
  const check = `${PREEMPT_CHECK}()`;
  let classPending = false;
  const isProperty = (index: number) => index > 0 && tokens[index - 1].kind === 'punct' && (tokens[index - 1].value === '.' || tokens[index - 1].value === '?.');
  tokens.forEach((token, index) => {
    if (token.kind === 'word' && token.value === 'class' && !isProperty(index)) classPending = true;
    if (token.kind === 'word' && token.value === 'while' && !isProperty(index)) {
      const open = tokens[index + 1];
      const close = match.get(index + 1);
      if (open?.value !== '(' || close === undefined) return;
      inserts.push({ at: open.end, text: `${check} && (` }, { at: tokens[close].start, text: ')' });
    }
    if (token.kind === 'word' && token.value === 'for' && !isProperty(index)) {
      const openIndex = tokens[index + 1]?.value === 'await' ? index + 2 : index + 1;
      const close = match.get(openIndex);
      if (tokens[openIndex]?.value !== '(' || close === undefined) return;
      const semicolons: number[] = [];
      for (let k = openIndex + 1; k < close; k++) {
        const inner = match.get(k);
        if (inner !== undefined && inner > k) k = inner;
        else if (tokens[k].value === ';') semicolons.push(k);
      }
      if (semicolons.length !== 2) return;
      const [first, second] = semicolons;
      if (second === first + 1) inserts.push({ at: tokens[first].end, text: ` ${check} ` });
      else inserts.push({ at: tokens[first + 1].start, text: `${check} && (` }, { at: tokens[second].start, text: ')' });
    }
    if (token.kind === 'punct' && token.value === '{') {
      const previous = tokens[index - 1];
      if (classPending) {
        classPending = false;
        return;
      }
      if (!previous || previous.kind !== 'punct') return;
      if (previous.value === ')') {
        const open = match.get(index - 1);
        const before = open !== undefined ? tokens[open - 1] : undefined;
        if (before?.kind === 'word' && before.value === 'switch') return;
      } else if (previous.value !== '=>') return;
      inserts.push({ at: token.end, text: `${check};` });
    }
  });
  return inserts;
}

/**
 * The terminal's line discipline as plain logic (no xterm, no DOM): a line buffer with a cursor,
 * history (↑/↓), Tab completion and the keys a learner uses. It turns terminal input into actions
 * and the escape sequences that redraw the line, so it can be unit-tested.
 */

/** What the terminal must do after a key. */
export type LineAction =
  | { type: 'submit'; line: string }
  | { type: 'interrupt' }
  | { type: 'clear-screen' }
  | { type: 'complete'; line: string; cursor: number }
  | { type: 'eof' };

/** Result of feeding input: text to write to the terminal, actions to perform, and input not read yet. */
export interface LineEditResult {
  echo: string;
  actions: LineAction[];
  /** With `stopAfterSubmit`, the input after the first submitted line (the rest of a paste); else ''. */
  rest: string;
}

/** Options of LineEditor.feed. */
export interface FeedOptions {
  /** Stop after the first submitted line and return the rest, to be fed when the prompt is back. */
  stopAfterSubmit?: boolean;
}

/** xterm's bracketed-paste markers (after the terminal was sent CSI ?2004h). */
export const PASTE_START = '\x1b[200~';
export const PASTE_END = '\x1b[201~';

/** A line editor with history. */
export interface LineEditor {
  /** Handles one chunk of input from the terminal (xterm's onData). */
  feed(data: string, options?: FeedOptions): LineEditResult;
  /** Forgets an unfinished bracketed paste (its rest was dropped by Ctrl+C). */
  endPaste(): void;
  /** Inserts completed text at the cursor, returning the echo. */
  insert(text: string): string;
  /** The current line. */
  readonly line: string;
  /** Starts a fresh empty line (after the prompt has been written). */
  reset(): void;
  /** Past submitted lines, oldest first. */
  readonly history: readonly string[];
}

const CSI = '\x1b[';
/** A run of printable characters (no C0 or C1 control, no DEL: xterm would act on them). */
const PRINTABLE_RUN = /[^\x00-\x1f\x7f-\x9f]+/y;

/**
 * Index after the escape sequence at `index` (which holds ESC): CSI (ESC [ params final byte),
 * SS3 (ESC O x) or ESC + one character (Alt+key). Bounded, so garbage cannot swallow later input.
 */
function skipEscape(data: string, index: number): number {
  const next = data[index + 1];
  if (next === undefined) return index + 1;
  if (next === 'O') return Math.min(data.length, index + 3);
  if (next !== '[') return index + 2;
  let at = index + 2;
  while (at < data.length && /[\x20-\x3f]/.test(data[at])) at += 1;
  return Math.min(data.length, at + 1);
}

/** Creates a line editor; `initialHistory` comes from a previous visit. */
export function createLineEditor(initialHistory: readonly string[] = [], maxHistory = 200): LineEditor {
  const history = [...initialHistory];
  let buffer = '';
  let cursor = 0;
  let historyIndex = history.length;
  let draft = '';
  let pasting = false;

  /** Redraws from the cursor to the end after an edit in the middle, then moves back. */
  const redrawTail = (from: number, erased = 0): string => {
    const tail = buffer.slice(from);
    const back = tail.length + erased - (cursor - from);
    return tail + ' '.repeat(erased) + (back > 0 ? `${CSI}${back}D` : '');
  };

  /** Replaces the whole line (history recall). */
  const replaceLine = (text: string): string => {
    const moveHome = cursor > 0 ? `${CSI}${cursor}D` : '';
    const erase = ' '.repeat(buffer.length) + (buffer.length > 0 ? `${CSI}${buffer.length}D` : '');
    buffer = text;
    cursor = text.length;
    return moveHome + erase + text;
  };

  const insert = (text: string): string => {
    const printable = text.replace(/[\x00-\x1f\x7f-\x9f]/g, '');
    if (printable === '') return '';
    buffer = buffer.slice(0, cursor) + printable + buffer.slice(cursor);
    const from = cursor;
    cursor += printable.length;
    return redrawTail(from);
  };

  const backspace = (): string => {
    if (cursor === 0) return '';
    buffer = buffer.slice(0, cursor - 1) + buffer.slice(cursor);
    cursor -= 1;
    return `\b${redrawTail(cursor, 1)}`;
  };

  const deleteForward = (): string => {
    if (cursor >= buffer.length) return '';
    buffer = buffer.slice(0, cursor) + buffer.slice(cursor + 1);
    return redrawTail(cursor, 1);
  };

  const move = (to: number): string => {
    const target = Math.max(0, Math.min(buffer.length, to));
    const delta = target - cursor;
    cursor = target;
    if (delta === 0) return '';
    return delta > 0 ? `${CSI}${delta}C` : `${CSI}${-delta}D`;
  };

  const recall = (direction: -1 | 1): string => {
    const next = historyIndex + direction;
    if (next < 0 || next > history.length) return '';
    if (historyIndex === history.length) draft = buffer;
    historyIndex = next;
    return replaceLine(next === history.length ? draft : history[next]);
  };

  // Escape sequences xterm sends for the keys we handle (normal and application cursor modes).
  const sequences: Record<string, () => string | LineAction> = {
    '\x1b[A': () => recall(-1),
    '\x1bOA': () => recall(-1),
    '\x1b[B': () => recall(1),
    '\x1bOB': () => recall(1),
    '\x1b[C': () => move(cursor + 1),
    '\x1bOC': () => move(cursor + 1),
    '\x1b[D': () => move(cursor - 1),
    '\x1bOD': () => move(cursor - 1),
    '\x1b[H': () => move(0),
    '\x1bOH': () => move(0),
    '\x1b[1~': () => move(0),
    '\x1b[F': () => move(buffer.length),
    '\x1bOF': () => move(buffer.length),
    '\x1b[4~': () => move(buffer.length),
    '\x1b[3~': () => deleteForward(),
  };

  const submit = (): LineAction => {
    const line = buffer;
    if (line.trim() !== '' && history.at(-1) !== line) {
      history.push(line);
      if (history.length > maxHistory) history.shift();
    }
    historyIndex = history.length;
    draft = '';
    return { type: 'submit', line };
  };

  return {
    get line() {
      return buffer;
    },
    get history() {
      return history;
    },
    reset() {
      buffer = '';
      cursor = 0;
      historyIndex = history.length;
    },
    insert,
    endPaste() {
      pasting = false;
    },
    feed(data, options = {}) {
      let echo = '';
      const actions: LineAction[] = [];
      let index = 0;
      while (index < data.length) {
        if (options.stopAfterSubmit && actions.some((action) => action.type === 'submit')) {
          return { echo, actions, rest: data.slice(index) };
        }
        // Printable text (typed or pasted, however long) is inserted as one run.
        PRINTABLE_RUN.lastIndex = index;
        const run = PRINTABLE_RUN.exec(data);
        if (run) {
          echo += insert(run[0]);
          index += run[0].length;
          continue;
        }
        if (data[index] === '\x1b') {
          if (data.startsWith(PASTE_START, index) || data.startsWith(PASTE_END, index)) {
            pasting = data.startsWith(PASTE_START, index);
            index += PASTE_START.length;
            continue;
          }
          const sequence = pasting ? undefined : Object.keys(sequences).find((key) => data.startsWith(key, index));
          if (sequence) {
            const result = sequences[sequence]();
            if (typeof result === 'string') echo += result;
            index += sequence.length;
          } else index = skipEscape(data, index);
          continue;
        }
        const char = data[index];
        index += 1;
        if (char === '\n' && data[index - 2] === '\r') continue; // \r\n is one line end
        if (pasting && char !== '\r' && char !== '\n') {
          // Pasted control characters are text, not keys: a tab becomes a space, the rest is dropped.
          if (char === '\t') echo += insert(' ');
          continue;
        }
        switch (char) {
          case '\r':
          case '\n':
            echo += '\r\n';
            actions.push(submit());
            // Anything after Enter (a pasted block) becomes the next line(s).
            buffer = '';
            cursor = 0;
            break;
          case '\x7f':
          case '\b':
            echo += backspace();
            break;
          case '\x03': // Ctrl+C
            echo += '^C\r\n';
            buffer = '';
            cursor = 0;
            historyIndex = history.length;
            actions.push({ type: 'interrupt' });
            break;
          case '\x04': // Ctrl+D on an empty line
            if (buffer === '') actions.push({ type: 'eof' });
            else echo += deleteForward();
            break;
          case '\x0c': // Ctrl+L
            actions.push({ type: 'clear-screen' });
            break;
          case '\x01': // Ctrl+A
            echo += move(0);
            break;
          case '\x05': // Ctrl+E
            echo += move(buffer.length);
            break;
          case '\x15': {
            // Ctrl+U: erase before the cursor
            const removed = cursor;
            buffer = buffer.slice(cursor);
            echo += move(0);
            echo += redrawTail(0, removed);
            break;
          }
          case '\t':
            actions.push({ type: 'complete', line: buffer, cursor });
            break;
          default:
          // Other control characters do nothing at a prompt.
        }
      }
      return { echo, actions, rest: '' };
    },
  };
}

/** Tab completion: the word under the cursor completed from commands (first word) or unit names (later words). */
export function completeWord(
  line: string,
  cursor: number,
  names: { commands: readonly string[]; units: readonly string[]; verbs?: Record<string, readonly string[]> },
): { insert: string; candidates: string[] } {
  const before = line.slice(0, cursor);
  const start = before.search(/\S*$/);
  const word = before.slice(start);
  const previousWords = before.slice(0, start).trim().split(/\s+/).filter(Boolean);
  let pool: readonly string[];
  if (previousWords.length === 0) pool = names.commands;
  else if (previousWords.length === 1 && names.verbs?.[previousWords[0]] && !word.startsWith('-')) {
    pool = names.verbs[previousWords[0]];
  } else pool = names.units;
  const candidates = [...new Set(pool.filter((name) => name.startsWith(word)))].sort();
  if (candidates.length === 0) return { insert: '', candidates };
  if (candidates.length === 1) return { insert: `${candidates[0].slice(word.length)} `, candidates };
  let common = candidates[0];
  for (const candidate of candidates) {
    while (!candidate.startsWith(common)) common = common.slice(0, -1);
  }
  return { insert: common.slice(word.length), candidates };
}

/** Commands of the lab shell that read the terminal when they start a command line without a file to read. */
const TERMINAL_READERS = new Set(['nc', 'netcat', 'cat']);

/**
 * Whether a command line reads what is typed while it runs (`nc host port`, `cat` with no file), like a
 * program reading the tty. Otherwise typed-ahead text stays for the shell, as bash reads it at the next prompt.
 */
export function readsTerminalInput(line: string): boolean {
  let words = line.trim().split(/\s+/);
  if (words[0] === 'sudo') words = words.slice(words[1] === '-u' ? 3 : 1); // the command sudo runs reads the tty
  const name = words[0]?.replace(/^.*\//, '') ?? '';
  if (!TERMINAL_READERS.has(name)) return false;
  if (name === 'cat') return words.slice(1).every((word) => word.startsWith('-') && word !== '-');
  return true;
}

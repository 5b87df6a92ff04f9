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

/** Result of feeding input: text to write to the terminal and actions to perform. */
export interface LineEditResult {
  echo: string;
  actions: LineAction[];
}

/** A line editor with history. */
export interface LineEditor {
  /** Handles one chunk of input from the terminal (xterm's onData). */
  feed(data: string): LineEditResult;
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

/** Creates a line editor; `initialHistory` comes from a previous visit. */
export function createLineEditor(initialHistory: readonly string[] = [], maxHistory = 200): LineEditor {
  const history = [...initialHistory];
  let buffer = '';
  let cursor = 0;
  let historyIndex = history.length;
  let draft = '';

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
    const printable = text.replace(/[\x00-\x1f\x7f]/g, '');
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
    feed(data) {
      let echo = '';
      const actions: LineAction[] = [];
      let index = 0;
      while (index < data.length) {
        const sequence = Object.keys(sequences).find((key) => data.startsWith(key, index));
        if (sequence) {
          const result = sequences[sequence]();
          if (typeof result === 'string') echo += result;
          index += sequence.length;
          continue;
        }
        const char = data[index];
        index += 1;
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
          case '\x1b':
            // An escape sequence we do not handle: skip it whole.
            while (index < data.length && !/[A-Za-z~]/.test(data[index])) index += 1;
            index += 1;
            break;
          default:
            echo += insert(char);
        }
      }
      return { echo, actions };
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

/**
 * The lab terminal: xterm.js with a bash-like prompt, line editing and history (line-editor.ts),
 * Ctrl+C, Ctrl+L / clear, Tab completion of commands and unit names, and output streamed from the
 * runtime. xterm's DOM renderer (the default without the webgl addon) keeps the visible text in the
 * DOM, and screenReaderMode adds its accessible live buffer.
 */
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { LabRuntime, RunningCommand } from '../runtime/lab-runtime.ts';
import { completeWord, createLineEditor, readsTerminalInput, type LineAction } from './line-editor.ts';
import { createCookedInput } from './tty-line-discipline.ts';

/** The systemctl verbs offered by Tab after `systemctl `. */
const SYSTEMCTL_VERBS = [
  'cat', 'daemon-reload', 'disable', 'enable', 'is-active', 'is-enabled', 'list-sockets', 'list-units',
  'restart', 'show', 'start', 'status', 'stop',
];

/** The mounted terminal. */
export interface TerminalPanel {
  /** Switches to another runtime (after Reset or a runtime change) and prints a fresh prompt. */
  attach(runtime: LabRuntime, banner?: string): void;
  /** Lets go of the runtime (it is being replaced): input typed until the next attach is kept for it. */
  detach(): void;
  /** Types a command line and Enter, as the learner would (runs after the command in progress). */
  type(line: string): void;
  focus(): void;
  dispose(): void;
}

/** Shows control characters the way a tty echoes them (^C, ^[), so pasted bytes cannot drive the terminal. */
export function printableEcho(data: string): string {
  return data
    .replace(/\r\n?|\n/g, '\r\n')
    .replace(/[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]/g, (char) => (char === '\x7f' ? '^?' : `^${String.fromCharCode(char.charCodeAt(0) + 64)}`));
}

/** What fitting needs of xterm's internals (the renderer's cell size, the viewport's scrollbar), as @xterm/addon-fit reads them. */
interface TerminalCore {
  _renderService?: { dimensions?: { css: { cell: { width: number; height: number } } }; clear?(): void };
  viewport?: { scrollBarWidth?: number };
}

/**
 * The columns and rows of `term`'s cells that fit in the element it was opened in (its parent's size less the
 * terminal's padding and scrollbar); undefined while the renderer has not measured its cells (hidden panel).
 */
function fittingSize(term: Terminal): { cols: number; rows: number } | undefined {
  const core = (term as unknown as { _core?: TerminalCore })._core;
  const cell = core?._renderService?.dimensions?.css.cell;
  const parent = term.element?.parentElement;
  if (!cell || cell.width === 0 || cell.height === 0 || !term.element || !parent) return undefined;
  const outer = getComputedStyle(parent);
  const inner = getComputedStyle(term.element);
  const px = (style: CSSStyleDeclaration, name: string) => parseInt(style.getPropertyValue(name)) || 0;
  const scrollbar = term.options.scrollback === 0 ? 0 : (core?.viewport?.scrollBarWidth ?? 0);
  const width = Math.max(0, px(outer, 'width')) - px(inner, 'padding-left') - px(inner, 'padding-right') - scrollbar;
  const height = px(outer, 'height') - px(inner, 'padding-top') - px(inner, 'padding-bottom');
  return { cols: Math.max(2, Math.floor(width / cell.width)), rows: Math.max(1, Math.floor(height / cell.height)) };
}

/** Resizes `term` to fill its element (what @xterm/addon-fit's fit() does, without the addon's bundle). */
function fitTerminal(term: Terminal): void {
  const size = fittingSize(term);
  if (!size || (size.cols === term.cols && size.rows === term.rows)) return;
  (term as unknown as { _core?: TerminalCore })._core?._renderService?.clear?.();
  term.resize(size.cols, size.rows);
}

/** Mounts a terminal in `container` (which carries role="region" and aria-label="Terminal"). */
export function mountTerminal(
  container: HTMLElement,
  options: { hostname: string; history: string[]; onHistory(history: readonly string[]): void; onCommandEnd(): void },
): TerminalPanel {
  const prompt = `\x1b[1;32mroot@${options.hostname}\x1b[0m:\x1b[1;34m~\x1b[0m# `;
  const styles = getComputedStyle(container);
  const term = new Terminal({
    convertEol: true,
    cursorBlink: true,
    screenReaderMode: true,
    scrollback: 2000,
    fontFamily: styles.getPropertyValue('--lab-mono').trim() || 'ui-monospace, "DejaVu Sans Mono", monospace',
    fontSize: 14,
    // The DOM renderer clips each row to floor(glyph height × lineHeight) device pixels: at 1.0 and a
    // device pixel ratio of 1 the underscore, drawn at the very bottom of the cell, fell outside it
    // (LISTEN_FDS read as "LISTEN FDS"). 1.2 leaves room below the descender at every zoom level.
    lineHeight: 1.2,
    theme: { background: '#101418', foreground: '#e6edf3', cursor: '#e6edf3' },
  });
  term.open(container);
  term.textarea?.setAttribute('aria-label', 'Terminal input');
  const resize = new ResizeObserver(() => {
    try {
      fitTerminal(term);
    } catch {
      // Not laid out yet (hidden panel): the next resize fits it.
    }
  });
  resize.observe(container);

  const editor = createLineEditor(options.history);
  let runtime: LabRuntime | undefined;
  let current: RunningCommand | undefined;
  // Input that arrived for the shell while a command ran (the rest of a pasted block, a "Run" button):
  // fed to the line editor, one line per prompt, when the prompt is back.
  let pendingInput = '';
  // What was typed while a command ran that does not read the terminal: bash gets it at the next prompt.
  let typedAhead = '';
  let currentReadsInput = false;
  // A command that reads the terminal gets whole lines, as from a tty in canonical mode.
  const cooked = createCookedInput();

  // Whether the last output ended its line (xterm parses writes later, so its cursor cannot tell yet).
  let atLineStart = true;
  const write = (text: string) => {
    if (text !== '') atLineStart = text.endsWith('\n');
    term.write(text);
  };

  const showPrompt = () => {
    editor.reset();
    atLineStart = false;
    // Not busy once the prompt is on screen (parsed and rendered), so readers of the text see it all.
    term.write(prompt, () =>
      requestAnimationFrame(() => {
        if (!current) container.setAttribute('aria-busy', 'false');
      }),
    );
  };

  const runLine = (line: string) => {
    if (!runtime) return;
    options.onHistory(editor.history);
    const trimmed = line.trim();
    if (trimmed === '') return showPrompt();
    if (trimmed === 'clear' || trimmed === 'reset') {
      term.clear();
      term.write('\x1b[2J\x1b[H');
      return showPrompt();
    }
    container.setAttribute('aria-busy', 'true');
    atLineStart = true; // the echoed Enter ended the command line
    const command = runtime.run(line, write, { columns: term.cols });
    current = command;
    currentReadsInput = readsTerminalInput(line);
    cooked.clear();
    void command.exit.then(() => {
      if (current !== command) return;
      current = undefined;
      // Output that did not end its last line gets one, as bash's prompt would start on a new line.
      if (!atLineStart) term.write('\r\n');
      options.onCommandEnd();
      showPrompt();
      const next = typedAhead + pendingInput;
      typedAhead = '';
      pendingInput = '';
      if (next) typeAtPrompt(next);
    });
  };

  const perform = (action: LineAction) => {
    if (action.type === 'submit') runLine(action.line);
    else if (action.type === 'interrupt') showPrompt();
    else if (action.type === 'clear-screen') {
      term.clear();
      term.write(`\x1b[2J\x1b[H${prompt}${editor.line}`);
    } else if (action.type === 'complete') void complete(action.line, action.cursor);
  };

  /** Feeds input to the prompt one line at a time: each line is echoed once, after its own prompt. */
  function typeAtPrompt(data: string) {
    let rest = data;
    while (rest !== '' && !current && runtime) {
      const result = editor.feed(rest, { stopAfterSubmit: true });
      rest = result.rest;
      if (result.echo) term.write(result.echo);
      for (const action of result.actions) perform(action);
    }
    pendingInput += rest;
  }

  const complete = async (line: string, cursor: number) => {
    if (!runtime) return;
    const names = await runtime.completions();
    const { insert, candidates } = completeWord(line, cursor, { ...names, verbs: { systemctl: SYSTEMCTL_VERBS } });
    if (insert !== '') term.write(editor.insert(insert));
    else if (candidates.length > 1) {
      term.write(`\r\n${candidates.join('  ')}\r\n${prompt}${editor.line}`);
    }
  };

  // Bracketed paste: xterm marks pasted text, so the line editor treats its control bytes as text.
  term.write('\x1b[?2004h');

  term.onData((data) => {
    if (current) {
      // A command is running: Ctrl+C interrupts it, Ctrl+D closes its stdin, lines go to its stdin.
      if (data === '\x03') {
        write('^C\r\n');
        pendingInput = '';
        typedAhead = '';
        editor.endPaste();
        cooked.clear();
        current.interrupt();
        return;
      }
      if (data === '\x04' && !currentReadsInput) {
        current.write(null);
        return;
      }
      if (pendingInput) {
        // The shell has input waiting (a paste): what follows it belongs to the shell too.
        pendingInput += data;
        return;
      }
      const text = data.replace(/\x1b\[20[01]~/g, '');
      if (currentReadsInput) {
        const { echo, send, eof } = cooked.feed(text);
        write(echo);
        for (const chunk of send) current.write(chunk);
        if (eof) current.write(null);
        return;
      }
      write(printableEcho(text.replace(/\r\n?/g, '\n')));
      typedAhead += data; // as typed (Enter is \r): replayed at the prompt like a keystroke
      return;
    }
    typeAtPrompt(data);
  });

  return {
    attach(next, banner) {
      current?.interrupt();
      current = undefined;
      runtime = next;
      if (banner) term.write(`\r\n\x1b[2m${banner}\x1b[0m\r\n`);
      showPrompt();
      // What the learner typed while the machine booted is not lost.
      const typed = pendingInput;
      pendingInput = '';
      if (typed) typeAtPrompt(typed);
    },
    detach() {
      current?.interrupt();
      current = undefined;
      runtime = undefined;
    },
    type(line) {
      const text = `${line.replace(/[\r\n]+/g, ' ')}\r`;
      if (current || pendingInput) pendingInput += text;
      else typeAtPrompt(text);
      term.focus();
    },
    focus: () => term.focus(),
    dispose() {
      resize.disconnect();
      term.dispose();
    },
  };
}

/**
 * The lab terminal: xterm.js with a bash-like prompt, line editing and history (line-editor.ts),
 * Ctrl+C, Ctrl+L / clear, Tab completion of commands and unit names, and output streamed from the
 * runtime. xterm's DOM renderer (the default without the webgl addon) keeps the visible text in the
 * DOM, and screenReaderMode adds its accessible live buffer.
 */
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import type { LabRuntime, RunningCommand } from '../runtime/lab-runtime.ts';
import { completeWord, createLineEditor } from './line-editor.ts';

/** The systemctl verbs offered by Tab after `systemctl `. */
const SYSTEMCTL_VERBS = [
  'cat', 'daemon-reload', 'disable', 'enable', 'is-active', 'is-enabled', 'list-sockets', 'list-units',
  'restart', 'show', 'start', 'status', 'stop',
];

/** The mounted terminal. */
export interface TerminalPanel {
  /** Switches to another runtime (after Reset or a runtime change) and prints a fresh prompt. */
  attach(runtime: LabRuntime, banner?: string): void;
  /** Runs a command line as if typed (used by nothing but tests and demos). */
  focus(): void;
  dispose(): void;
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
    theme: { background: '#101418', foreground: '#e6edf3', cursor: '#e6edf3' },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(container);
  term.textarea?.setAttribute('aria-label', 'Terminal input');
  const resize = new ResizeObserver(() => {
    try {
      fit.fit();
    } catch {
      // Not laid out yet (hidden panel): the next resize fits it.
    }
  });
  resize.observe(container);

  const editor = createLineEditor(options.history);
  let runtime: LabRuntime | undefined;
  let current: RunningCommand | undefined;
  let queue: string[] = [];

  const showPrompt = () => {
    editor.reset();
    term.write(prompt);
    container.setAttribute('aria-busy', 'false');
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
    const command = runtime.run(line, (text) => term.write(text), { columns: term.cols });
    current = command;
    void command.exit.then(() => {
      if (current !== command) return;
      current = undefined;
      // Output that did not end its last line gets one, as bash's prompt would start on a new line.
      if (term.buffer.active.cursorX !== 0) term.write('\r\n');
      options.onCommandEnd();
      showPrompt();
      const next = queue.shift();
      if (next !== undefined) {
        term.write(`${next}\r\n`);
        runLine(next);
      }
    });
  };

  const complete = async (line: string, cursor: number) => {
    if (!runtime) return;
    const names = await runtime.completions();
    const { insert, candidates } = completeWord(line, cursor, { ...names, verbs: { systemctl: SYSTEMCTL_VERBS } });
    if (insert !== '') term.write(editor.insert(insert));
    else if (candidates.length > 1) {
      term.write(`\r\n${candidates.join('  ')}\r\n${prompt}${editor.line}`);
    }
  };

  term.onData((data) => {
    if (current) {
      // A command is running: Ctrl+C interrupts it, Ctrl+D closes its stdin, lines go to its stdin.
      if (data === '\x03') {
        term.write('^C\r\n');
        queue = [];
        current.interrupt();
        return;
      }
      if (data === '\x04') {
        current.write(null);
        return;
      }
      const text = data.replace(/\r/g, '\n');
      term.write(data.replace(/\r/g, '\r\n'));
      current.write(text);
      return;
    }
    const { echo, actions } = editor.feed(data);
    if (echo) term.write(echo);
    for (const action of actions) {
      if (action.type === 'submit') {
        if (current) queue.push(action.line);
        else runLine(action.line);
      } else if (action.type === 'interrupt') showPrompt();
      else if (action.type === 'clear-screen') {
        term.clear();
        term.write(`\x1b[2J\x1b[H${prompt}${editor.line}`);
      } else if (action.type === 'complete') void complete(action.line, action.cursor);
    }
  });

  return {
    attach(next, banner) {
      current?.interrupt();
      current = undefined;
      queue = [];
      runtime = next;
      if (banner) term.write(`\r\n\x1b[2m${banner}\x1b[0m\r\n`);
      showPrompt();
    },
    focus: () => term.focus(),
    dispose() {
      resize.disconnect();
      term.dispose();
    },
  };
}

/**
 * The terminal's canonical mode (the kernel's n_tty line discipline with ICANON and ECHO set), for
 * a command that reads the terminal (`nc`, `cat`): typed characters are echoed and kept in a line
 * buffer, Backspace and Ctrl+U edit it, and the program reads the line only when Enter is pressed.
 * Without it each keystroke went to the program on its own, and an echoing server's answer was
 * interleaved with the typing ("tTyYpPeEd").
 */

/** What one piece of input did: text to echo, lines for the program's stdin, and whether Ctrl+D on an empty line closed it. */
export interface CookedResult {
  echo: string;
  send: string[];
  eof: boolean;
}

/** A line buffer in canonical mode. */
export interface CookedInput {
  feed(data: string): CookedResult;
  /** Drops the buffered line (Ctrl+C, a new command). */
  clear(): void;
}

const ERASE = '\b \b';

/** Shows a control character the way ECHOCTL does (^A). */
const controlEcho = (char: string) => `^${String.fromCharCode(char.charCodeAt(0) + 64)}`;

/** A new canonical-mode line buffer. */
export function createCookedInput(): CookedInput {
  let line: string[] = [];
  /** Columns the echo of each buffered character took (2 for ^A). */
  let widths: number[] = [];
  return {
    feed(data) {
      const result: CookedResult = { echo: '', send: [], eof: false };
      for (const char of data.replace(/\r\n/g, '\r')) {
        if (char === '\r' || char === '\n') {
          result.echo += '\r\n';
          result.send.push(`${line.join('')}\n`);
          line = [];
          widths = [];
        } else if (char === '\x7f' || char === '\b') {
          if (line.length === 0) continue;
          line.pop();
          result.echo += ERASE.repeat(widths.pop() ?? 1);
        } else if (char === '\x15') {
          result.echo += widths.map((width) => ERASE.repeat(width)).join('');
          line = [];
          widths = [];
        } else if (char === '\x04') {
          // Ctrl+D: the line so far is read without a newline; on an empty line it is end of file.
          if (line.length === 0) {
            result.eof = true;
            break;
          }
          result.send.push(line.join(''));
          line = [];
          widths = [];
        } else if (char < ' ' && char !== '\t') {
          line.push(char);
          widths.push(2);
          result.echo += controlEcho(char);
        } else {
          line.push(char);
          widths.push(1);
          result.echo += char;
        }
      }
      return result;
    },
    clear() {
      line = [];
      widths = [];
    },
  };
}

/**
 * EnvironmentFile= parsing as load_env_file() does it (src/basic/env-file.c parse_env_file_internal):
 * a character state machine, not line splitting. `#`/`;` start a comment only where a key may start;
 * whitespace around keys and unquoted values is trimmed; `'…'` is literal; `"…"` unescapes only
 * `" \ $ \``; a backslash-newline continues the value; quoted values may span lines. Assignments
 * whose name is not a valid variable name (`export FOO=…`, `1X=…`) are dropped, as
 * strv_env_clean_with_callback() does, and reported in `invalid`.
 */

/** What an environment file holds: valid assignments in file order (later ones win) and the dropped ones. */
export interface EnvironmentFileContents {
  assignments: Array<[string, string]>;
  /** `KEY=VALUE` texts dropped because KEY is not a valid variable name. */
  invalid: string[];
}

const WHITESPACE = ' \t\n\r';
const NEWLINE = '\n\r';
const SHELL_NEED_ESCAPE = '"\\`$';

/** True for a name bash accepts: letters, digits and `_`, not starting with a digit (env_name_is_valid()). */
export function isValidEnvironmentName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

type State = 'pre-key' | 'key' | 'pre-value' | 'value' | 'value-escape' | 'single' | 'double' | 'double-escape' | 'comment' | 'comment-escape';

/** Parses an environment file's text. */
export function parseEnvironmentFile(text: string): EnvironmentFileContents {
  const out: EnvironmentFileContents = { assignments: [], invalid: [] };
  let state: State = 'pre-key';
  let key = '';
  let value = '';
  // Where trailing whitespace of the key / unquoted value starts (-1: none pending).
  let keyWhitespace = -1;
  let valueWhitespace = -1;

  const push = (chompValue: boolean): void => {
    const k = keyWhitespace >= 0 ? key.slice(0, keyWhitespace) : key;
    const v = chompValue && valueWhitespace >= 0 ? value.slice(0, valueWhitespace) : value;
    if (isValidEnvironmentName(k)) {
      const existing = out.assignments.findIndex(([name]) => name === k);
      if (existing >= 0) out.assignments.splice(existing, 1);
      out.assignments.push([k, v]);
    } else out.invalid.push(`${k}=${v}`);
    key = '';
    value = '';
  };

  for (const c of text) {
    switch (state) {
      case 'pre-key':
        if (c === '#' || c === ';') state = 'comment';
        else if (!WHITESPACE.includes(c)) {
          state = 'key';
          keyWhitespace = -1;
          key = c;
        }
        break;
      case 'key':
        if (NEWLINE.includes(c)) {
          // A line without `=` is ignored.
          state = 'pre-key';
          key = '';
        } else if (c === '=') {
          state = 'pre-value';
          valueWhitespace = -1;
        } else {
          if (!WHITESPACE.includes(c)) keyWhitespace = -1;
          else if (keyWhitespace < 0) keyWhitespace = key.length;
          key += c;
        }
        break;
      case 'pre-value':
        if (NEWLINE.includes(c)) {
          state = 'pre-key';
          push(false);
        } else if (c === "'") state = 'single';
        else if (c === '"') state = 'double';
        else if (c === '\\') state = 'value-escape';
        else if (!WHITESPACE.includes(c)) {
          state = 'value';
          value += c;
        }
        break;
      case 'value':
        if (NEWLINE.includes(c)) {
          state = 'pre-key';
          push(true);
        } else if (c === '\\') {
          state = 'value-escape';
          valueWhitespace = -1;
        } else {
          if (!WHITESPACE.includes(c)) valueWhitespace = -1;
          else if (valueWhitespace < 0) valueWhitespace = value.length;
          value += c;
        }
        break;
      case 'value-escape':
        state = 'value';
        // An escaped newline is eaten entirely (continuation line).
        if (!NEWLINE.includes(c)) value += c;
        break;
      case 'single':
        if (c === "'") state = 'pre-value';
        else value += c;
        break;
      case 'double':
        if (c === '"') state = 'pre-value';
        else if (c === '\\') state = 'double-escape';
        else value += c;
        break;
      case 'double-escape':
        state = 'double';
        if (SHELL_NEED_ESCAPE.includes(c)) value += c;
        else if (c !== '\n') value += `\\${c}`;
        break;
      case 'comment':
        if (c === '\\') state = 'comment-escape';
        else if (NEWLINE.includes(c)) state = 'pre-key';
        break;
      case 'comment-escape':
        state = 'comment';
        break;
    }
  }
  if (state === 'pre-value' || state === 'value' || state === 'value-escape' || state === 'single' || state === 'double' || state === 'double-escape') {
    push(state === 'value');
  }
  return out;
}

/**
 * Parses a command line the way bash does for what a learner types in a lab: words with single and double
 * quotes and backslash escapes, `$VAR` / `${VAR}` / `$?` expansion, command substitution `$(…)` (run when its
 * command runs, see run-command-line.ts), comments, `;`, `&&`, `||`, pipes and redirections (`>`, `>>`, `<`, `2>`,
 * `2>>`, `2>&1`, `&>`). No globbing, subshells, backquotes, here-documents or background jobs. Errors carry bash's text ("syntax error near unexpected token `|'").
 */

/** A redirection of one command. */
export interface Redirection {
  fd: 0 | 1 | 2;
  op: '>' | '>>' | '<' | '>&1' | '&>';
  target: string;
}

/** A simple command: argv plus redirections and leading NAME=value assignments. */
export interface SimpleCommand {
  argv: string[];
  assignments: Array<[string, string]>;
  redirections: Redirection[];
}

/** Commands joined by `|`. */
export interface Pipeline {
  commands: SimpleCommand[];
}

/** A list: pipelines joined by `;`, `&&`, `||` (the operator is the one BEFORE the pipeline). */
export interface CommandList {
  items: Array<{ op: ';' | '&&' | '||'; pipeline: Pipeline }>;
}

/** A parse failure; `message` is bash's text without the `bash: ` prefix. */
export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

type Token = { kind: 'word'; value: string } | { kind: 'op'; value: string };

/** Stands for `$?` in parsed words until the command runs (see expandLastStatus). */
export const LAST_STATUS = '\uE000';

/** Replaces the `$?` placeholder with the status of the previous command. */
export function expandLastStatus(word: string, status: number): string {
  return word.split(LAST_STATUS).join(String(status));
}

/** Open and close marks of a command substitution left in a word: OPEN, 'q' (quoted) or 'u', the command, CLOSE. */
export const SUBSTITUTION_OPEN = '\uE001';
export const SUBSTITUTION_CLOSE = '\uE002';

/** A piece of a word: literal text, or a command substitution to run (quoted: no field splitting). */
export type WordPart = { text: string } | { command: string; quoted: boolean };

/** Splits a parsed word into its literal text and its command substitutions. */
export function wordParts(word: string): WordPart[] {
  const parts: WordPart[] = [];
  let at = 0;
  for (let open = word.indexOf(SUBSTITUTION_OPEN); open >= 0; open = word.indexOf(SUBSTITUTION_OPEN, at)) {
    if (open > at) parts.push({ text: word.slice(at, open) });
    const close = word.indexOf(SUBSTITUTION_CLOSE, open);
    parts.push({ command: word.slice(open + 2, close), quoted: word[open + 1] === 'q' });
    at = close + 1;
  }
  if (at < word.length || parts.length === 0) parts.push({ text: word.slice(at) });
  return parts;
}

/** The end of the `$(…)` whose `(` is at `start` (the index of its `)`), skipping quotes and nested parentheses. */
function substitutionEnd(line: string, start: number): number {
  let depth = 0;
  for (let i = start; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (c === "'") {
      i = line.indexOf("'", i + 1);
      if (i < 0) break;
    } else if (c === '"') {
      for (i++; i < line.length && line[i] !== '"'; i++) if (line[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new ShellSyntaxError("unexpected EOF while looking for matching `)'");
}

const OPERATORS = ['&&', '||', ';;', '2>&1', '2>>', '&>', '>>', '2>', '|&', '|', ';', '>', '<', '&', '(', ')'];

/** Splits a line into words (expanded) and operators. `env` supplies $VAR values; `status` is $? (a placeholder when undefined). */
export function tokenize(line: string, env: Record<string, string>, status?: number): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const push = (): void => {
    if (inWord) tokens.push({ kind: 'word', value: word });
    word = '';
    inWord = false;
  };
  const variable = (quoted = false): string | undefined => {
    // At line[i] === '$'.
    const rest = line.slice(i + 1);
    if (rest.startsWith('(')) {
      const end = substitutionEnd(line, i + 1);
      const command = line.slice(i + 2, end);
      i = end + 1;
      return `${SUBSTITUTION_OPEN}${quoted ? 'q' : 'u'}${command}${SUBSTITUTION_CLOSE}`;
    }
    let m: RegExpExecArray | null;
    if ((m = /^\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(rest))) {
      i += m[0].length + 1;
      return Object.hasOwn(env, m[1]) ? env[m[1]] : ''; // not the prototype's: $constructor is empty as in bash
    }
    if (rest.startsWith('{')) throw new ShellSyntaxError(`${rest.slice(0, rest.indexOf('}') + 1 || undefined)}: bad substitution`);
    if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) {
      i += m[0].length + 1;
      return Object.hasOwn(env, m[0]) ? env[m[0]] : '';
    }
    if (rest.startsWith('?')) {
      // Expanded when the command runs (bash expands each command of a list just before running it).
      i += 2;
      return status === undefined ? LAST_STATUS : String(status);
    }
    if (rest.startsWith('$')) {
      i += 2;
      return '1';
    }
    return undefined;
  };
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      push();
      i++;
      continue;
    }
    if (c === '#' && !inWord) break;
    if (c === '\\') {
      if (i + 1 < line.length) word += line[i + 1];
      inWord = true;
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `''");
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      inWord = true;
      i++;
      for (;;) {
        if (i >= line.length) throw new ShellSyntaxError('unexpected EOF while looking for matching `"\'');
        const d = line[i];
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < line.length && '$`"\\\n'.includes(line[i + 1])) {
          word += line[i + 1];
          i += 2;
          continue;
        }
        if (d === '$') {
          const value = variable(true);
          if (value !== undefined) {
            word += value;
            continue;
          }
        }
        word += d;
        i++;
      }
      continue;
    }
    if (c === '$') {
      const value = variable();
      if (value !== undefined && value.startsWith(SUBSTITUTION_OPEN)) {
        // Split into fields when it runs (run-command-line.ts).
        word += value;
        inWord = true;
        continue;
      }
      if (value !== undefined) {
        // Unquoted expansion: split into fields on whitespace.
        const parts = value.split(/[ \t\n]+/);
        parts.forEach((part, n) => {
          if (n > 0) push();
          if (part !== '') {
            word += part;
            inWord = true;
          }
        });
        continue;
      }
    }
    // After a word of digits, `>` and `<` would make an fd redirection (only `2>` is modelled, below); `;`, `|`, `&`
    // and parentheses end the word whatever it is (`echo 1; echo 2`).
    const found = OPERATORS.find((o) => line.startsWith(o, i));
    const op = !inWord || !/^[0-9]+$/.test(word) || (found !== undefined && !/^[<>]/.test(found)) ? found : undefined;
    const fdOp = inWord && word === '2' ? OPERATORS.find((o) => o.startsWith('2') && line.startsWith(o.slice(1), i)) : undefined;
    if (fdOp) {
      word = '';
      inWord = false;
      tokens.push({ kind: 'op', value: fdOp });
      i += fdOp.length - 1;
      continue;
    }
    if (op && !(op.startsWith('2') && inWord)) {
      push();
      tokens.push({ kind: 'op', value: op });
      i += op.length;
      continue;
    }
    word += c;
    inWord = true;
    i++;
  }
  push();
  return tokens;
}

/** Parses a line into a command list; throws ShellSyntaxError with bash's message. */
export function parseCommandLine(line: string, env: Record<string, string> = {}, status?: number): CommandList {
  const tokens = tokenize(line, env, status);
  const list: CommandList = { items: [] };
  let i = 0;
  const unexpected = (t: Token | undefined): ShellSyntaxError =>
    t ? new ShellSyntaxError(`syntax error near unexpected token \`${t.value}'`) : new ShellSyntaxError('syntax error: unexpected end of file');
  const parseCommand = (): SimpleCommand => {
    const cmd: SimpleCommand = { argv: [], assignments: [], redirections: [] };
    while (i < tokens.length) {
      const t = tokens[i];
      if (t.kind === 'word') {
        const assignment = cmd.argv.length === 0 ? /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(t.value) : null;
        if (assignment) cmd.assignments.push([assignment[1], assignment[2]]);
        else cmd.argv.push(t.value);
        i++;
        continue;
      }
      const redirect: Record<string, Omit<Redirection, 'target'>> = { '>': { fd: 1, op: '>' }, '>>': { fd: 1, op: '>>' }, '<': { fd: 0, op: '<' }, '2>': { fd: 2, op: '>' }, '2>>': { fd: 2, op: '>>' }, '&>': { fd: 1, op: '&>' } };
      if (t.value === '2>&1') {
        cmd.redirections.push({ fd: 2, op: '>&1', target: '' });
        i++;
        continue;
      }
      if (redirect[t.value]) {
        const target = tokens[i + 1];
        if (!target || target.kind !== 'word') throw target ? unexpected(target) : new ShellSyntaxError("syntax error near unexpected token `newline'");
        cmd.redirections.push({ ...redirect[t.value], target: target.value });
        i += 2;
        continue;
      }
      break;
    }
    return cmd;
  };
  const parsePipeline = (): Pipeline => {
    const commands: SimpleCommand[] = [];
    for (;;) {
      const start = i;
      const cmd = parseCommand();
      if (i === start) throw unexpected(tokens[i]);
      commands.push(cmd);
      const t = tokens[i];
      if (t?.kind === 'op' && (t.value === '|' || t.value === '|&')) {
        if (t.value === '|&') cmd.redirections.push({ fd: 2, op: '>&1', target: '' });
        i++;
        if (i >= tokens.length) throw unexpected(undefined);
        continue;
      }
      return { commands };
    }
  };
  let op: ';' | '&&' | '||' = ';';
  while (i < tokens.length) {
    list.items.push({ op, pipeline: parsePipeline() });
    const t = tokens[i];
    if (!t) break;
    if (t.value === '&') throw new ShellSyntaxError('background jobs (&) are not supported in this lab shell');
    if (t.value !== ';' && t.value !== '&&' && t.value !== '||') throw unexpected(t);
    op = t.value;
    i++;
    if (i >= tokens.length && op !== ';') throw unexpected(undefined);
  }
  return list;
}

/**
 * Parses a command line the way bash does for what a learner types in a lab: words with single and double
 * quotes and backslash escapes, parameter expansion (`$VAR`, `${VAR}`, `${VAR:-default}` and bash's other operators,
 * `${#VAR}`, `$?`) and command substitution `$(…)`, both left in the words and done when their command runs
 * (run-command-line.ts), comments, `;`, `&&`, `||`, pipes and redirections (`>`, `>>`, `<`, `2>`,
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

/**
 * Expansions are left in the parsed words and done when their command runs (bash expands each command of a list
 * just before running it, so `X=1; echo $X` prints 1): each is EXPANSION_OPEN, its JSON (marks inside escaped),
 * EXPANSION_CLOSE. QUOTED_EMPTY stands for an empty '' or "" in a word with expansions (it keeps the word, even
 * when everything else in it expands to nothing).
 */
export const EXPANSION_OPEN = '\uE001';
export const EXPANSION_CLOSE = '\uE002';
export const QUOTED_EMPTY = '\uE003';

/** A parameter expansion's operator: ${NAME:-word}, ${NAME-word}, :=, =, :+, +, :?, ?, and ${#NAME} (length). */
export type ParameterOp = ':-' | '-' | ':=' | '=' | ':+' | '+' | ':?' | '?' | 'length';

/** One expansion in a word: `$(command)`, or `$NAME` / `${NAME…}` (with its operator's word, itself a parsed word). */
export type Expansion =
  | { kind: 'command'; command: string; quoted: boolean }
  | { kind: 'parameter'; name: string; op?: ParameterOp; word?: string; quoted: boolean };

/** A piece of a word: literal text (`quotedEmpty`: it held an empty '' or ""), or an expansion. */
export type WordPart = { text: string; quotedEmpty?: boolean } | Expansion;

/** An expansion as it sits in a parsed word. */
function encodeExpansion(expansion: Expansion): string {
  const json = JSON.stringify(expansion).replace(/[\uE001-\uE003]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  return `${EXPANSION_OPEN}${json}${EXPANSION_CLOSE}`;
}

/** Splits a parsed word into its literal text and its expansions. */
export function wordParts(word: string): WordPart[] {
  const parts: WordPart[] = [];
  const text = (piece: string): void => {
    if (piece === '') return;
    parts.push(piece.includes(QUOTED_EMPTY) ? { text: piece.split(QUOTED_EMPTY).join(''), quotedEmpty: true } : { text: piece });
  };
  let at = 0;
  for (let open = word.indexOf(EXPANSION_OPEN); open >= 0; open = word.indexOf(EXPANSION_OPEN, at)) {
    text(word.slice(at, open));
    const close = word.indexOf(EXPANSION_CLOSE, open);
    parts.push(JSON.parse(word.slice(open + 1, close)) as Expansion);
    at = close + 1;
  }
  text(word.slice(at));
  if (parts.length === 0) parts.push({ text: '' });
  return parts;
}

/**
 * The index of the `close` that ends the bracket `open` at `start` (`$(…)`'s `(`, `${…}`'s `{`), skipping quotes,
 * escapes and nested pairs; bash's "unexpected EOF" when there is none.
 */
function matchingEnd(line: string, start: number, open: '(' | '{', close: ')' | '}'): number {
  let depth = 0;
  for (let i = start; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (c === "'") {
      i = line.indexOf("'", i + 1);
      if (i < 0) break;
    } else if (c === '"') {
      for (i++; i < line.length && line[i] !== '"'; i++) if (line[i] === '\\') i++;
    } else if (c === open) depth++;
    else if (c === close && --depth === 0) return i;
  }
  throw new ShellSyntaxError(`unexpected EOF while looking for matching \`${close}'`);
}

const OPERATORS = ['&&', '||', ';;', '2>&1', '2>>', '&>', '>>', '2>', '|&', '|', ';', '>', '<', '&', '(', ')'];

const SPECIAL_PARAMETER = /^[?$#@*!0-9-]/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Reads the expansion that starts with the `$` at line[i]: its encoded form and the index after it, or undefined
 * for a `$` that starts none (a literal dollar sign).
 */
function readDollar(line: string, i: number, quoted: boolean): { value: string; next: number } | undefined {
  const rest = line.slice(i + 1);
  if (rest.startsWith('(')) {
    const end = matchingEnd(line, i + 1, '(', ')');
    return { value: encodeExpansion({ kind: 'command', command: line.slice(i + 2, end), quoted }), next: end + 1 };
  }
  if (rest.startsWith('{')) {
    const end = matchingEnd(line, i + 1, '{', '}');
    const inner = line.slice(i + 2, end);
    const length = /^#([A-Za-z_][A-Za-z0-9_]*|[?$#@*!0-9-])$/.exec(inner);
    if (length) return { value: encodeExpansion({ kind: 'parameter', name: length[1], op: 'length', quoted }), next: end + 1 };
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[?$#@*!0-9-])(?:(:?[-=+?])([\s\S]*))?$/.exec(inner);
    if (!m) throw new ShellSyntaxError(`\${${inner}}: bad substitution`);
    const expansion: Expansion = { kind: 'parameter', name: m[1], quoted };
    if (m[2] !== undefined) {
      expansion.op = m[2] as ParameterOp;
      expansion.word = lexInnerWord(m[3], quoted);
    }
    return { value: encodeExpansion(expansion), next: end + 1 };
  }
  const name = NAME.exec(rest)?.[0] ?? (SPECIAL_PARAMETER.test(rest) ? rest[0] : undefined);
  if (name === undefined) return undefined;
  return { value: encodeExpansion({ kind: 'parameter', name, quoted }), next: i + 1 + name.length };
}

/** The word of `${NAME:-word}` as a parsed word: quotes removed, its own expansions left in (quoted inside "…"). */
function lexInnerWord(text: string, quoted: boolean): string {
  let out = '';
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length && (!quoted || '$`"\\}'.includes(text[i + 1]))) {
      out += text[i + 1];
      i += 2;
    } else if (c === "'" && !quoted && text.indexOf("'", i + 1) >= 0) {
      const end = text.indexOf("'", i + 1);
      out += text.slice(i + 1, end) || QUOTED_EMPTY;
      i = end + 1;
    } else if (c === '"') {
      i++;
    } else if (c === '$') {
      const dollar = readDollar(text, i, quoted);
      if (dollar) {
        out += dollar.value;
        i = dollar.next;
      } else {
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Splits a line into words and operators; the words keep their expansions for run time (wordParts()). */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const push = (): void => {
    // A word without expansions cannot vanish: its empty-quote marks go.
    if (inWord) tokens.push({ kind: 'word', value: word.includes(EXPANSION_OPEN) ? word : word.split(QUOTED_EMPTY).join('') });
    word = '';
    inWord = false;
  };
  const variable = (quoted = false): string | undefined => {
    const dollar = readDollar(line, i, quoted);
    if (!dollar) return undefined;
    i = dollar.next;
    return dollar.value;
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
      word += line.slice(i + 1, end) || QUOTED_EMPTY;
      inWord = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      inWord = true;
      if (line[i + 1] === '"') word += QUOTED_EMPTY;
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
      if (value !== undefined) {
        // Expanded, and split into fields, when its command runs (run-command-line.ts).
        word += value;
        inWord = true;
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
export function parseCommandLine(line: string): CommandList {
  const tokens = tokenize(line);
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

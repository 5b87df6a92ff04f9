/**
 * Word expansion as bash does it just before a command runs: parameters (`$X`, `${X}`, `${X:-word}` and the other
 * operators, `${#X}`, `$?`, `$0`, `$#`…) and command substitutions `$(…)`, then field splitting of the unquoted
 * results on blanks (an unquoted expansion that is empty vanishes; a quoted one, or '' / "", keeps its word).
 */
import { wordParts, type Expansion } from './parse-command-line.ts';

/** What expansion needs from the shell. */
export interface ExpansionContext {
  /** A variable's value (shell variable or exported), `?` included; undefined when unset. */
  lookup(name: string): string | undefined;
  /** Sets a variable (`${X:=word}`). */
  assign(name: string, value: string): void;
  /** The output of `$(command)`, without its trailing newlines. */
  substitute(command: string): Promise<string>;
}

/** `${X:?message}` with X unset or empty: bash prints `bash: X: message` and does not run the command. */
export class ShellExpansionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellExpansionError';
  }
}

/** The special parameters of an interactive bash without positional parameters (`$?` comes from lookup). */
function special(name: string): string | undefined {
  switch (name) {
    case '$': return '1';
    case '#': return '0';
    case '0': return 'bash';
    case '@': case '*': return '';
    case '-': return 'himBHs';
    default: return undefined;
  }
}

/** A parameter's value: the shell's, or a special parameter's ($1…$9 are unset). */
function parameter(name: string, context: ExpansionContext): string | undefined {
  if (name === '?' || /^[A-Za-z_]/.test(name)) return context.lookup(name);
  return special(name);
}

/** The text of one expansion (before field splitting). */
async function expansionText(expansion: Expansion, context: ExpansionContext): Promise<string> {
  if (expansion.kind === 'command') return context.substitute(expansion.command);
  const value = parameter(expansion.name, context);
  const op = expansion.op;
  if (op === undefined) return value ?? '';
  if (op === 'length') return String([...(value ?? '')].length);
  const word = async (): Promise<string> => (await expandWord(expansion.word ?? '', false, context)).join(' ');
  // With ':' the operator treats an empty value as unset.
  const missing = value === undefined || (op.startsWith(':') && value === '');
  switch (op.replace(':', '')) {
    case '-':
      return missing ? word() : value!;
    case '=': {
      if (!missing) return value!;
      const assigned = await word();
      context.assign(expansion.name, assigned);
      return assigned;
    }
    case '+':
      return missing ? '' : word();
    default: {
      if (!missing) return value!;
      const message = await word();
      throw new ShellExpansionError(`${expansion.name}: ${message || (op === ':?' ? 'parameter null or not set' : 'parameter not set')}`);
    }
  }
}

/**
 * The words a parsed word becomes: an unquoted expansion is split into fields on blanks (and vanishes when empty),
 * a quoted one is kept whole; `split` false keeps it one word (assignments, redirection targets).
 */
export async function expandWord(word: string, split: boolean, context: ExpansionContext): Promise<string[]> {
  const parts = wordParts(word);
  if (parts.length === 1 && 'text' in parts[0]) return [parts[0].text];
  const fields: string[] = [];
  let current = '';
  let started = false;
  for (const part of parts) {
    if ('text' in part) {
      current += part.text;
      started = true;
      continue;
    }
    const output = await expansionText(part, context);
    if (part.quoted || !split) {
      current += output;
      started = started || part.quoted || output !== '';
      continue;
    }
    output.split(/[ \t\n]+/).forEach((piece, n) => {
      if (n > 0 && started) {
        fields.push(current);
        current = '';
        started = false;
      }
      if (piece !== '') {
        current += piece;
        started = true;
      }
    });
  }
  if (started || (!split && fields.length === 0)) fields.push(current);
  return fields;
}

import { describe, expect, it } from 'vitest';
import { expandWord } from '../../../src/emulator/shell/expand-word.ts';
import { parseCommandLine } from '../../../src/emulator/shell/parse-command-line.ts';

/**
 * The argv of each command once its words are expanded against `env` (expansion is done when a command runs, not by
 * the parser: the words keep their expansions, see run-command-line.test.ts for lines that set variables).
 */
const argvs = async (line: string, env: Record<string, string> = {}) => {
  const context = { lookup: (name: string) => (Object.hasOwn(env, name) ? env[name] : undefined), assign: () => {}, substitute: async () => '' };
  const out: string[][][] = [];
  for (const item of parseCommandLine(line).items) {
    const commands: string[][] = [];
    for (const c of item.pipeline.commands) {
      const argv: string[] = [];
      for (const word of c.argv) argv.push(...(await expandWord(word, true, context)));
      commands.push(argv);
    }
    out.push(commands);
  }
  return out;
};

describe('shell parsing', () => {
  it('words, quotes, escapes and variables like bash', async () => {
    expect(await argvs(`echo "hi $HOME" 'no $HOME' a\\ b "\\$x" \${HOME}/x ''`, { HOME: '/root' })).toEqual([[['echo', 'hi /root', 'no $HOME', 'a b', '$x', '/root/x', '']]]);
  });
  it('unquoted expansions split into words, quoted ones do not', async () => {
    expect(await argvs('printf $X "$X"', { X: 'a  b' })).toEqual([[['printf', 'a', 'b', 'a  b']]]);
  });
  it('pipes, lists and comments', () => {
    const list = parseCommandLine('echo hi | nc localhost 8080 && echo ok || echo no; ls # comment');
    expect(list.items.map((i) => i.op)).toEqual([';', '&&', '||', ';']);
    expect(list.items[0].pipeline.commands.map((c) => c.argv)).toEqual([['echo', 'hi'], ['nc', 'localhost', '8080']]);
    expect(list.items[3].pipeline.commands[0].argv).toEqual(['ls']);
  });
  it('redirections and assignments', () => {
    const [cmd] = parseCommandLine('FOO=1 curl -s x >> /tmp/log 2>&1 < /tmp/in').items[0].pipeline.commands;
    expect(cmd.assignments).toEqual([['FOO', '1']]);
    expect(cmd.argv).toEqual(['curl', '-s', 'x']);
    expect(cmd.redirections).toEqual([{ fd: 1, op: '>>', target: '/tmp/log' }, { fd: 2, op: '>&1', target: '' }, { fd: 0, op: '<', target: '/tmp/in' }]);
  });
  it("errors read like bash's", () => {
    const error = (line: string) => {
      try {
        parseCommandLine(line);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(error('| foo')).toBe("syntax error near unexpected token `|'");
    expect(error('echo a | | b')).toBe("syntax error near unexpected token `|'");
    expect(error('echo >')).toBe("syntax error near unexpected token `newline'");
    expect(error('a ;; b')).toBe("syntax error near unexpected token `;;'");
    expect(error("echo 'open")).toBe("unexpected EOF while looking for matching `''");
    expect(error('true &&')).toBe('syntax error: unexpected end of file');
  });
});

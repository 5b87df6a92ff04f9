import { describe, expect, it } from 'vitest';
import { completeWord, createLineEditor, readsTerminalInput } from '../../src/lab/island/line-editor.ts';

describe('terminal line editor', () => {
  it('submits the typed line and echoes it', () => {
    const editor = createLineEditor();
    const result = editor.feed('ls -l\r');
    expect(result.actions).toEqual([{ type: 'submit', line: 'ls -l' }]);
    expect(result.echo).toContain('ls -l');
    expect(editor.history).toEqual(['ls -l']);
  });

  it('edits in the middle of a line with arrows and backspace', () => {
    const editor = createLineEditor();
    editor.feed('systemctl stat');
    editor.feed('\x1b[D\x1b[D\x7f');
    expect(editor.line).toBe('systemctl sat');
    editor.feed('t');
    expect(editor.line).toBe('systemctl stat');
  });

  it('recalls history with up and down and keeps the draft', () => {
    const editor = createLineEditor(['first', 'second']);
    editor.feed('draft');
    editor.feed('\x1b[A');
    expect(editor.line).toBe('second');
    editor.feed('\x1b[A\x1b[A');
    expect(editor.line).toBe('first');
    editor.feed('\x1b[B\x1b[B');
    expect(editor.line).toBe('draft');
  });

  it('does not store blank lines or immediate repeats in history', () => {
    const editor = createLineEditor();
    editor.feed('a\r\r a \ra\r');
    expect(editor.history).toEqual(['a', ' a ', 'a']);
    editor.feed('a\r');
    expect(editor.history).toEqual(['a', ' a ', 'a']);
  });

  it('turns Ctrl+C, Ctrl+L, Tab and Ctrl+D into actions', () => {
    const editor = createLineEditor();
    expect(editor.feed('abc\x03').actions).toEqual([{ type: 'interrupt' }]);
    expect(editor.line).toBe('');
    expect(editor.feed('\x0c').actions).toEqual([{ type: 'clear-screen' }]);
    expect(editor.feed('sys\t').actions).toEqual([{ type: 'complete', line: 'sys', cursor: 3 }]);
    editor.reset();
    expect(editor.feed('\x04').actions).toEqual([{ type: 'eof' }]);
  });

  it('splits a pasted block into several submitted lines', () => {
    const editor = createLineEditor();
    const { actions } = editor.feed('systemctl daemon-reload\rsystemctl start myapp.socket\r');
    expect(actions).toEqual([
      { type: 'submit', line: 'systemctl daemon-reload' },
      { type: 'submit', line: 'systemctl start myapp.socket' },
    ]);
  });
});

describe('Tab completion', () => {
  const names = {
    commands: ['systemctl', 'systemd-analyze', 'ss', 'curl'],
    units: ['myapp.socket', 'myapp.service', 'sockets.target'],
    verbs: { systemctl: ['start', 'status', 'stop', 'enable'] },
  };

  it('completes a command name to the longest common prefix', () => {
    expect(completeWord('sys', 3, names)).toEqual({ insert: 'tem', candidates: ['systemctl', 'systemd-analyze'] });
    expect(completeWord('cu', 2, names)).toEqual({ insert: 'rl ', candidates: ['curl'] });
  });

  it('completes systemctl verbs, then unit names', () => {
    expect(completeWord('systemctl en', 12, names).insert).toBe('able ');
    expect(completeWord('systemctl status myapp.so', 25, names).insert).toBe('cket ');
    expect(completeWord('systemctl status myapp.', 23, names)).toEqual({
      insert: 's',
      candidates: ['myapp.service', 'myapp.socket'],
    });
  });

  it('offers nothing when no name matches', () => {
    expect(completeWord('zzz', 3, names)).toEqual({ insert: '', candidates: [] });
  });
});

describe('pasted input', () => {
  it('hands a pasted block over one line at a time, each echoed once', () => {
    const editor = createLineEditor();
    const first = editor.feed('\x1b[200~echo one\recho two\recho three\x1b[201~', { stopAfterSubmit: true });
    expect(first.actions).toEqual([{ type: 'submit', line: 'echo one' }]);
    expect(first.echo).toBe('echo one\r\n');
    editor.reset();
    const second = editor.feed(first.rest, { stopAfterSubmit: true });
    expect(second.actions).toEqual([{ type: 'submit', line: 'echo two' }]);
    expect(second.echo).toBe('echo two\r\n');
    editor.reset();
    const third = editor.feed(second.rest, { stopAfterSubmit: true });
    expect(third.actions).toEqual([]);
    expect(third.rest).toBe('');
    expect(editor.line).toBe('echo three');
    // The paste has ended: keys work again.
    expect(editor.feed('\x03').actions).toEqual([{ type: 'interrupt' }]);
  });

  it('drops pasted control bytes and escape sequences, keeping the text around them', () => {
    const editor = createLineEditor();
    const garbage = 'ab\x00\x01\x03\x04\x1b[31mc\x1bcd\x7f\x1b]0;t\x07e\x9b\ufffd\u00ff';
    const result = editor.feed(`\x1b[200~${garbage}\x1b[201~`);
    expect(result.actions).toEqual([]);
    // ESC + one character (here ESC c, ESC ]) is dropped whole; C1 controls (\x9b) are dropped.
    expect(editor.line).toBe('abcd0;te\ufffd\u00ff');
    expect(result.echo).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });

  it('takes a 100 KB line whole, in one insert', () => {
    const editor = createLineEditor();
    const long = 'x'.repeat(100_000);
    const result = editor.feed(`${long}\r`);
    expect(result.actions).toEqual([{ type: 'submit', line: long }]);
    expect(result.echo).toBe(`${long}\r\n`);
  });

  it('skips an unknown escape sequence without swallowing the text after it', () => {
    const editor = createLineEditor();
    editor.feed('\x1b[1;5Psystemctl\x1b[15~ status');
    expect(editor.line).toBe('systemctl status');
  });
});

describe('typed-ahead input', () => {
  it('goes to commands that read the terminal (nc, cat with no file), else back to the shell', () => {
    expect(readsTerminalInput('nc localhost 8080')).toBe(true);
    expect(readsTerminalInput('nc -U /run/docker.sock')).toBe(true);
    expect(readsTerminalInput('sudo -u student nc -U /run/docker.sock')).toBe(true);
    expect(readsTerminalInput('cat')).toBe(true);
    expect(readsTerminalInput('cat /etc/systemd/system/myapp.socket')).toBe(false);
    expect(readsTerminalInput('curl http://localhost:8080/')).toBe(false);
    expect(readsTerminalInput('echo hi | nc localhost 8080')).toBe(false);
    expect(readsTerminalInput('systemctl status myapp.service')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { createCookedInput } from '../../src/lab/island/tty-line-discipline.ts';

describe('terminal canonical mode (what nc reads from the lab terminal)', () => {
  it('keystrokes are echoed and reach the program only as a whole line at Enter', () => {
    const tty = createCookedInput();
    const typed = [...'typed line'].map((char) => tty.feed(char));
    expect(typed.map((result) => result.echo).join('')).toBe('typed line');
    expect(typed.flatMap((result) => result.send)).toEqual([]);
    expect(tty.feed('\r')).toEqual({ echo: '\r\n', send: ['typed line\n'], eof: false });
  });

  it('Backspace and Ctrl+U edit the line before the program sees it', () => {
    const tty = createCookedInput();
    tty.feed('helo');
    expect(tty.feed('\x7f').echo).toBe('\b \b');
    tty.feed('lo');
    expect(tty.feed('\r').send).toEqual(['hello\n']);
    tty.feed('wrong');
    expect(tty.feed('\x15').echo).toBe('\b \b'.repeat(5));
    expect(tty.feed('right\r').send).toEqual(['right\n']);
    // Backspace on an empty line erases nothing.
    expect(tty.feed('\x7f').echo).toBe('');
  });

  it('a pasted block sends one line per line end', () => {
    expect(createCookedInput().feed('one\ntwo\r\nthree')).toEqual({ echo: 'one\r\ntwo\r\nthree', send: ['one\n', 'two\n'], eof: false });
  });

  it('Ctrl+D sends the line so far, and on an empty line closes stdin', () => {
    const tty = createCookedInput();
    tty.feed('partial');
    expect(tty.feed('\x04')).toEqual({ echo: '', send: ['partial'], eof: false });
    expect(tty.feed('\x04')).toEqual({ echo: '', send: [], eof: true });
  });

  it('control characters are echoed as ^X and erased as two columns', () => {
    const tty = createCookedInput();
    expect(tty.feed('a\x01').echo).toBe('a^A');
    expect(tty.feed('\x7f').echo).toBe('\b \b\b \b');
    expect(tty.feed('\r').send).toEqual(['a\n']);
  });
});

import { describe, expect, it } from 'vitest';
import { EditorState } from '@codemirror/state';
import { foldable } from '@codemirror/language';
import { bracketFolding } from '../../src/lab/island/editor-languages.ts';

const state = (doc: string) => EditorState.create({ doc, extensions: [bracketFolding] });

describe('bracketFolding (read-only programs without a parser)', () => {
  it('folds a line ending with an opening bracket up to its closing bracket', () => {
    const doc = "const server = net.createServer((socket) => {\n  socket.end('hi');\n});\n";
    const view = state(doc);
    const first = view.doc.line(1);
    expect(foldable(view, first.from, first.to)).toEqual({ from: first.to, to: doc.indexOf('});') });
  });

  it('does not fold a line whose bracket closes on the same line, or a line without one', () => {
    const view = state("f({ a: 1 });\nconsole.log('x');\n");
    for (const number of [1, 2]) {
      const line = view.doc.line(number);
      expect(foldable(view, line.from, line.to)).toBeNull();
    }
  });
});

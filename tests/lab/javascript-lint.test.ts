import { describe, expect, it } from 'vitest';
import { EditorState } from '@codemirror/state';
import { javascript } from '@codemirror/lang-javascript';
import { javascriptSyntaxDiagnostics } from '../../src/lab/island/javascript-lint.ts';

const lint = (doc: string) => javascriptSyntaxDiagnostics(EditorState.create({ doc, extensions: [javascript()] }));

describe('JavaScript lint in the lab editor', () => {
  it('a program that parses has no diagnostics', () => {
    expect(lint("#!/usr/bin/env node\nconst net = require('net');\nnet.createServer((c) => c.end('hi\\n')).listen({ fd: 3 });\n")).toEqual([]);
  });

  it('a syntax error is marked at its token, with the line, in Node\'s words', () => {
    const doc = "const net = require('net');\nconst x = ;\n";
    const [found, ...more] = lint(doc);
    expect(more).toEqual([]);
    expect(found.severity).toBe('error');
    expect(doc.slice(found.from, found.to)).toBe(';');
    expect(found.message).toBe("SyntaxError: Unexpected token ';' (line 2): node will not start this program.");
  });

  it('an unclosed block is reported as the end of input', () => {
    const [found] = lint('function f() {\n  return 1;\n');
    expect(found.message).toMatch(/^SyntaxError: Unexpected end of input/);
  });
});

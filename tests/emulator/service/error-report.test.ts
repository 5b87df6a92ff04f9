/**
 * A program's JavaScript error as Node prints it (checked against Node 22's own output for the same
 * files): file and line, the source line, a caret under the token, the error, the version line.
 */
import { describe, expect, it } from 'vitest';
import { formatUncaught, locateSyntaxError, withSyntaxLocation } from '../../../src/emulator/service/error-report.ts';
import { SANDBOX_NODE_VERSION } from '../../../src/emulator/service/node/node-process.ts';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import { tick } from '../kernel/helpers.ts';

/** Compiles like the sandbox does (a function body). */
const compile = (code: string) => new Function('require', 'module', code);

/** The SyntaxError compiling `body` throws, with its location noted. */
function compileError(file: string, body: string): unknown {
  try {
    compile(body);
  } catch (error) {
    return withSyntaxLocation(error, file, body, compile);
  }
  throw new Error('it compiled');
}

describe('locating a syntax error', () => {
  it('finds the line and the token, as Node marks them', () => {
    expect(locateSyntaxError('const net = 1;\nconst x = ;\nconsole.log(x);', "Unexpected token ';'", compile)).toEqual({ line: 2, column: 10, length: 1 });
    expect(locateSyntaxError('const a = 1;\nconst value = foo bar;', "Unexpected identifier 'bar'", compile)).toEqual({ line: 2, column: 18, length: 3 });
    expect(locateSyntaxError('const a = 1\nconst b = 2 "x";', 'Unexpected string', compile)).toEqual({ line: 2, column: 12, length: 3 });
    expect(locateSyntaxError('const s = "abc;\nconsole.log(s);', 'Invalid or unexpected token', compile)).toEqual({ line: 1, column: 10, length: 5 });
    expect(locateSyntaxError('function f( {\n  return 1;\n}', 'Unexpected number', compile)).toEqual({ line: 2, column: 9, length: 1 });
  });

  it('an unclosed block is reported past the last line', () => {
    expect(locateSyntaxError('function f() {\n  return 1;\n', 'Unexpected end of input', compile)).toEqual({ line: 3, column: 0, length: 0 });
  });
});

describe("Node's report", () => {
  it('a syntax error: file:line, source, caret, the error and the version', () => {
    const source = "const greeting = 'hi';\nconst x = ;\n";
    const error = compileError('/opt/greeter/greeter', `${source}\n//# sourceURL=/opt/greeter/greeter`);
    expect(formatUncaught(error, new Map([['/opt/greeter/greeter', source]]))).toEqual([
      '/opt/greeter/greeter:2',
      'const x = ;',
      '          ^',
      '',
      "SyntaxError: Unexpected token ';'",
      '',
      `Node.js ${SANDBOX_NODE_VERSION}`,
    ]);
  });

  it('a syntax error in a service program reaches its stderr (the journal) with the line and caret', async () => {
    const program = "#!/usr/bin/env node\nconst net = require('net');\nconst server = net.createServer(;\n";
    const k = createMemoryKernel({ files: { '/opt/greeter/greeter': program } });
    const lines: string[] = [];
    let code: number | undefined;
    const proc = k.processes.spawn({ argv: ['/opt/greeter/greeter'], env: {}, setListenPid: false, fds: [], unit: 'greeter.service', onOutput: (line) => lines.push(line), onNotify: () => undefined });
    proc.onExit((status) => (code = 'code' in status ? status.code : undefined));
    await tick(20);
    expect(lines.slice(0, 5)).toEqual(['/opt/greeter/greeter:3', 'const server = net.createServer(;', '                                ^', '', "SyntaxError: Unexpected token ';'"]);
    expect(code).toBe(1);
  });

  it('an uncaught TypeError: the caret at the column V8 names', () => {
    const source = 'const a = 1;\nfunction f() {\n  const o = undefined;\n  return o.name;\n}\nf();\n';
    let error: unknown;
    try {
      new Function(`${source}\n//# sourceURL=/opt/app/rt.js`)();
    } catch (caught) {
      error = caught;
    }
    // new Function's header is two lines: the stack's lines are the program's + 2, and formatUncaught takes them off.
    expect(formatUncaught(error, new Map([['/opt/app/rt.js', source]])).slice(0, 6)).toEqual([
      '/opt/app/rt.js:4',
      '  return o.name;',
      '           ^',
      '',
      "TypeError: Cannot read properties of undefined (reading 'name')",
      '    at f (/opt/app/rt.js:4:12)',
    ]);
  });
});

/** Named tests for reference §4 (syntax) and §2 (addresses), the installed Debian units, and property tests. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, readdirSync } from 'node:fs';
import { parseConfText } from '../../../src/emulator/unit-file/conf-parser.ts';
import { parseSocketAddress } from '../../../src/emulator/unit-file/listen-address.ts';
import { parseBoolean, parseSec } from '../../../src/emulator/unit-file/value-parsers.ts';
import { expandSpecifiers } from '../../../src/emulator/unit-file/specifiers.ts';
import { verifyUnits } from '../../../src/emulator/unit-file/verify-units.ts';
import { loadUnit } from '../../../src/emulator/unit-file/unit-loader.ts';
import { socketServiceName } from '../../../src/emulator/unit-file/unit-name.ts';
import { nodeFileSystem } from './node-fs-fixture.ts';

const SECTIONS = ['Unit', 'Socket', 'Install'];

describe('conf-parser (reference §4)', () => {
  it('skips # and ; comments', () => {
    expect(parseConfText('[Unit]\n# a\n ; b\nDescription=x\n', SECTIONS).filter((e) => e.kind === 'assignment')).toHaveLength(1);
  });
  it('joins a continued line with a space and reports the last line', () => {
    const a = parseConfText('[Unit]\nDescription=a \\\n# skipped\n  b\n', SECTIONS).find((e) => e.kind === 'assignment');
    expect(a).toMatchObject({ value: 'a    b', line: 4 });
  });
  it('a comment ending in \\ does not continue', () => {
    const keys = parseConfText('[Unit]\n# c \\\nDescription=x\n', SECTIONS).flatMap((e) => (e.kind === 'assignment' ? [e.key] : []));
    expect(keys).toEqual(['Description']);
  });
  it('strips whitespace around =', () => {
    expect(parseConfText('[Unit]\n  Description =  x y \n', SECTIONS)[1]).toMatchObject({ key: 'Description', value: 'x y' });
  });
  it('warns about assignments outside a section, missing = and unknown sections; X- sections are silent', () => {
    const msgs = parseConfText('A=1\n[Unit]\nnope\n[Nope]\n[X-Mine]\nB=2\n', SECTIONS).flatMap((e) => (e.kind === 'message' ? [`${e.line}: ${e.message}`] : []));
    expect(msgs).toEqual(['1: Assignment outside of section. Ignoring.', "3: Missing '=', ignoring line.", "4: Unknown section 'Nope'. Ignoring."]);
  });
  it('an invalid section header is fatal', () => {
    expect(parseConfText('[Unit\nA=1\n', SECTIONS)).toEqual([{ kind: 'message', message: "Invalid section header '[Unit'", line: 1, fatal: true }]);
  });
  it('booleans accept 1/yes/y/true/t/on and their opposites in any case', () => {
    expect(['1', 'YES', 'y', 'True', 't', 'on'].map(parseBoolean)).toEqual([true, true, true, true, true, true]);
    expect(['0', 'no', 'N', 'false', 'f', 'OFF'].map(parseBoolean)).toEqual([false, false, false, false, false, false]);
    expect(parseBoolean('maybe')).toBeUndefined();
  });
  it('time spans: 2s, 500ms, 1min 30s, infinity, bare seconds', () => {
    expect([parseSec('2s'), parseSec('500ms'), parseSec('1min 30s'), parseSec('infinity'), parseSec('5'), parseSec('2x')]).toEqual([2000, 500, 90_000, Infinity, 5000, undefined]);
  });
  it('specifiers %n %N %p %i %I %t %% expand for an instance', () => {
    expect(expandSpecifiers('%n %N %p %i %I %t %%', { name: 'foo@a\\x2db.service' })).toBe('foo@a\\x2db.service foo@a\\x2db foo a\\x2db a-b /run %');
  });
});

describe('listen addresses (reference §2)', () => {
  const ok = (text: string) => {
    const a = parseSocketAddress(text, 'stream');
    return typeof a === 'string' ? a : a.text;
  };
  it.each([
    ['/run/foo.sock', '/run/foo.sock'], ['@name', '@name'], ['8080', '[::]:8080'], ['127.0.0.1:8080', '127.0.0.1:8080'],
    ['[::1]:80', '[::1]:80'], ['[fe80::1]:80%lo', '[fe80::1]:80%lo'], ['vsock:2:80', 'vsock:2:80'],
    ['0', 'EINVAL'], ['127.0.0.1:0', 'EINVAL'], ['localhost:80', 'EINVAL'], ['[::1]', 'EINVAL'], ['65536', 'ERANGE'], ['127.0.0.1:65536', 'ERANGE'],
  ])('%s → %s', (input, expected) => expect(ok(input)).toBe(expected));
});

describe('loading units', () => {
  it('the triggered service: same name, Service=, or the template for Accept=yes', () => {
    const fs = nodeFileSystem();
    if (!existsSync('/lib/systemd/system/dbus.socket')) return console.warn('skipped: no /lib/systemd/system/dbus.socket on this machine');
    expect(socketServiceName('dbus.socket', loadUnit('dbus.socket', fs).socket)).toBe('dbus.service');
  });
});

const SYSTEM_DIR = '/lib/systemd/system';
const realUnits = existsSync(SYSTEM_DIR) ? readdirSync(SYSTEM_DIR).filter((f) => /\.(socket|service|path|target)$/.test(f) && !f.includes('@')) : [];
if (realUnits.length === 0) console.warn(`Debian units test skipped: no units in ${SYSTEM_DIR}`);

describe.skipIf(realUnits.length === 0)('real units from Debian packages', () => {
  it(`produce no parse-level line (${realUnits.length} units in ${SYSTEM_DIR})`, () => {
    const fs = nodeFileSystem();
    const parseLines = realUnits.flatMap((name) => loadUnit(name, fs, [SYSTEM_DIR]).diagnostics.filter((d) => d.line !== undefined).map((d) => `${d.file}:${d.line}: ${d.message}`));
    expect(parseLines).toEqual([]);
  });
});

/** A FileSystem holding one unit file, for the property tests. */
function oneFileFs(path: string, text: string) {
  const fs = nodeFileSystem();
  return {
    ...fs,
    readFile: (p: string) => (p === path ? text : fs.readFile(p)),
    lstat: (p: string) => (p === path ? { type: 'file' as const, mode: 0o644, user: 'root', group: 'root', size: text.length, mtimeMs: 0 } : fs.lstat(p)),
    stat: (p: string) => (p === path ? { type: 'file' as const, mode: 0o644, user: 'root', group: 'root', size: text.length, mtimeMs: 0 } : fs.stat(p)),
  };
}

const LINE_SHAPE = /^(\/[^:]+:\d+: .+|[\w@.:-]+\.(socket|service|path|target): .+|Unit [\w@.:\\-]+ (not found\.|is masked\.|has a bad unit file setting\.|failed to load properly, please adjust\/correct and reload service manager: Bad message))$/;

describe('property: random unit text', () => {
  const pieces = fc.constantFrom('[Unit]', '[Socket]', '[Service]', '[Bad', 'ListenStream=', 'Accept=', 'ExecStart=', 'Description=', 'Bogus=', '=', '\\', '\n', '#', ';', ' ', '"', "'", '%', '%n', '8080', '/run/x', 'yes', '@', '-', ':', '[', ']', 'X-');
  const text = fc.array(fc.oneof(pieces, fc.string({ maxLength: 8 })), { maxLength: 60 }).map((a) => a.join(''));
  it('never throws and prints only systemd-shaped lines', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('p.socket', 'p.service'), (t, name) => {
        const path = `/nonexistent-prop-dir/${name}`;
        const r = verifyUnits([path], oneFileFs(path, t));
        for (const line of r.lines) expect(line).toMatch(LINE_SHAPE);
      }),
      { numRuns: 300 },
    );
  });
});

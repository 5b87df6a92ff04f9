/**
 * Bad-input fuzzing of unit files (issue 6 point 3): mutations of the real Debian units, huge lines, NUL bytes,
 * lone UTF-16 surrogates, CR/CRLF line ends, random bytes. The loader and `systemd-analyze verify` never throw
 * and every line they print has a systemd shape. (unit-file-rules.test.ts fuzzes short random text; this
 * extends it to real units and hostile bytes.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import { systemdAnalyze } from '../../../src/emulator/commands/systemd-analyze.ts';
import { loadUnit } from '../../../src/emulator/unit-file/unit-loader.ts';
import { verifyUnits } from '../../../src/emulator/unit-file/verify-units.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/debian-units');
/** Every fixture unit: package, file name, text. */
const UNITS = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(path.join(FIXTURES, d.name)).map((name) => ({ pkg: d.name, name, text: readFileSync(path.join(FIXTURES, d.name, name), 'utf8') })));

const DIR = '/etc/systemd/system';
/** systemd-analyze verify's line shapes: `FILE:LINE: …`, `unit-name: …`, or a load-state line about a unit. */
const LINE_SHAPE = /^(\/[^:\n\r]+:\d+: [^\n\r]+|[^\s/:]+\.(socket|service|path|target): [^\n\r]+|Unit [^\s]+ (not found\.|is masked\.|has a bad unit file setting\.|failed to load properly, please adjust\/correct and reload service manager: [^\n\r]+))$/;

/** Hostile fragments: line ends of every kind, NUL, lone surrogates, a BOM, syntax characters, specifiers. */
const HOSTILE = fc.constantFrom(
  '\0', '\r', '\r\n', '\n\r', '\n\0', '\uD800', '\uDFFF', '\uFEFF', '\u2028', '\\', '\\\n', '=', '[', ']', '[Socket]', '[Unit]',
  '[Service]', '[Install]', '[X-Foo]', '[Bad', '#', ';', '%', '%n', '%i', '%Z', '"', "'", 'ListenStream=', 'Accept=yes', 'Service=',
  'ExecStart=', 'Backlog=-1', 'ListenStream=99999', 'ListenStream=@', 'ListenStream=/', 'Bogus=1', '\t', ' ', '\x7f', '\x1b[31m',
);
const FRAGMENT = fc.oneof(HOSTILE, fc.string({ maxLength: 12, unit: 'binary' }), fc.string({ maxLength: 6 }));

/** One edit of a unit text, at a position given as a fraction of its length. */
type Edit =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicateLine'; at: number }
  | { op: 'hugeLine'; at: number; length: number }
  | { op: 'lineEnds'; to: '\r\n' | '\r' | '\0' | '\n\r' };

const EDIT: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: FRAGMENT }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicateLine' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('hugeLine' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 10_000, max: 200_000 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('lineEnds' as const), to: fc.constantFrom('\r\n' as const, '\r' as const, '\0' as const, '\n\r' as const) }) },
);

/** Applies the edits in order. */
function mutate(text: string, edits: Edit[]): string {
  let t = text;
  for (const e of edits) {
    if (e.op === 'lineEnds') {
      t = t.split('\n').join(e.to);
      continue;
    }
    const at = Math.floor(e.at * t.length);
    if (e.op === 'insert') t = t.slice(0, at) + e.text + t.slice(at);
    else if (e.op === 'delete') t = t.slice(0, at) + t.slice(at + e.length);
    else if (e.op === 'hugeLine') t = t.slice(0, at) + '\nDescription=' + 'x'.repeat(e.length) + '\n' + t.slice(at);
    else {
      const lines = t.split('\n');
      const i = Math.min(lines.length - 1, Math.floor(e.at * lines.length));
      lines.splice(i, 0, lines[i]);
      t = lines.join('\n');
    }
  }
  return t;
}

/** A machine holding the unit's package (so triggered units resolve) with `name` replaced by `text`. */
function machineWith(pkg: string, name: string, text: string) {
  const files: Record<string, string> = {};
  for (const u of UNITS) if (u.pkg === pkg) files[`${DIR}/${u.name}`] = u.text;
  files[`${DIR}/${name}`] = text;
  return createMemoryKernel({ files });
}

/** Checks that loading and verifying `text` as `name` neither throws nor prints a line of another shape. */
async function checkUnit(pkg: string, name: string, text: string): Promise<void> {
  const kernel = machineWith(pkg, name, text);
  const unit = loadUnit(name, kernel.fs);
  expect(unit.name).toBe(name);
  for (const d of unit.diagnostics) expect(typeof d.message).toBe('string');
  const result = verifyUnits([`${DIR}/${name}`], kernel.fs);
  expect([0, 1]).toContain(result.exitCode);
  for (const line of result.lines) expect(line).toMatch(LINE_SHAPE);
  // The command a learner types: its output is the same lines on stderr.
  let stderr = '';
  const code = await systemdAnalyze(['systemd-analyze', 'verify', `${DIR}/${name}`], { stderr: (t) => (stderr += t) }, { kernel });
  expect(code).toBe(result.exitCode);
  expect(stderr).toBe(result.lines.map((l) => l + '\n').join(''));
}

describe('fuzz: unit files', () => {
  it(`the ${UNITS.length} Debian fixture units load and verify with no parse-level line (the baseline the mutations start from)`, () => {
    expect(UNITS.length).toBeGreaterThanOrEqual(8);
    for (const u of UNITS) {
      const kernel = machineWith(u.pkg, u.name, u.text);
      expect(verifyUnits([`${DIR}/${u.name}`], kernel.fs).lines.filter((l) => /:\d+: /.test(l))).toEqual([]);
    }
  });

  it('mutated Debian units (inserts, deletions, duplicated and huge lines, NUL, lone surrogates, CR/CRLF): no throw, only systemd-shaped lines', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...UNITS), fc.array(EDIT, { minLength: 1, maxLength: 8 }), async (u, edits) => {
        await checkUnit(u.pkg, u.name, mutate(u.text, edits));
      }),
      { numRuns: 250 },
    );
  });

  it('random bytes as a unit file (any code point, lone surrogates included): no throw, only systemd-shaped lines', async () => {
    const bytes = fc.array(fc.oneof(HOSTILE, fc.string({ maxLength: 40, unit: 'binary' }), fc.string({ maxLength: 40, unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) })), { maxLength: 40 }).map((a) => a.join(''));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('r.socket', 'r.service', 'r.path', 'r.target'), bytes, async (name, text) => {
        await checkUnit('none', name, text);
      }),
      { numRuns: 250 },
    );
  });

  it('line ends as systemd reads them: \\r, \\0 and \\r\\n end lines, so the line numbers match the real tool', () => {
    // Observed with systemd-analyze 252 on these exact bytes.
    const kernel = machineWith('none', 'n.socket', '[Unit]\nDescription=x\0Bogus=1\n[Socket]\nListenStream=8080\nFoo\0=1\n');
    expect(verifyUnits([`${DIR}/n.socket`], kernel.fs).lines).toEqual([
      "/etc/systemd/system/n.socket:3: Unknown key 'Bogus' in section [Unit], ignoring.",
      "/etc/systemd/system/n.socket:6: Missing '=', ignoring line.",
      "/etc/systemd/system/n.socket:7: Missing key name before '=', ignoring line.",
      'n.socket: service n.service not loaded, socket cannot be started.',
    ]);
    const cr = machineWith('none', 'c.socket', '[Unit]\rDescription=x\rBogus2=1\r[Socket]\nListenStream=8080\n');
    expect(verifyUnits([`${DIR}/c.socket`], cr.fs).lines).toEqual([
      "/etc/systemd/system/c.socket:3: Unknown key 'Bogus2' in section [Unit], ignoring.",
      'c.socket: service c.service not loaded, socket cannot be started.',
    ]);
  });
});

/**
 * Differential test: the emulator's `systemd-analyze verify` against the real systemd-analyze (systemd 252) over a
 * corpus written to a temp dir. Both read the same real files (the emulator through a read-only Node FileSystem),
 * so executables and units on this machine are seen the same way. `--man=no` because the emulator never runs man.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyUnits } from '../../../src/emulator/unit-file/verify-units.ts';
import { nodeFileSystem } from './node-fs-fixture.ts';
import { CORPUS, INSTALLED_UNITS } from './verify-corpus.ts';

const ORACLE = '/usr/bin/systemd-analyze';
const hasOracle = existsSync(ORACLE) && spawnSync(ORACLE, ['--version']).status === 0;
if (!hasOracle) console.warn(`verify-differential: skipped, ${ORACLE} is missing (install systemd 252 to run it)`);

/** Runs the real verify; returns its stderr lines and exit code. */
function realVerify(files: string[]): { lines: string[]; exitCode: number } {
  const r = spawnSync(ORACLE, ['verify', '--man=no', ...files], { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_COLOR: '0', SYSTEMD_PAGER: '' } });
  const lines = (r.stderr + r.stdout).split('\n').filter((l) => l !== '');
  return { lines, exitCode: r.status ?? -1 };
}

describe.skipIf(!hasOracle)('systemd-analyze verify: emulator vs systemd 252', () => {
  const fs = nodeFileSystem();
  for (const testCase of CORPUS) {
    it(testCase.name, () => {
      const dir = mkdtempSync(join(tmpdir(), 'verify-diff-'));
      for (const [name, text] of Object.entries(testCase.files)) {
        mkdirSync(join(dir, name, '..'), { recursive: true });
        if (text.startsWith('->')) symlinkSync(text.slice(2), join(dir, name));
        else writeFileSync(join(dir, name), text);
      }
      const args = testCase.verify.map((f) => join(dir, f));
      const real = realVerify(args);
      const emulated = verifyUnits(args, fs);
      expect(emulated.lines).toEqual(real.lines);
      expect(emulated.exitCode).toBe(real.exitCode);
      realLineCount += real.lines.length;
    });
  }
  // Guards against a vacuous comparison (an oracle that printed nothing at all would make every case "pass").
  it('the oracle printed the corpus messages', () => expect(realLineCount).toBeGreaterThan(60));
});
let realLineCount = 0;

describe.skipIf(!hasOracle)('the oracle runs in this container', () => {
  it('systemd-analyze is systemd 252', () => {
    expect(execFileSync(ORACLE, ['--version'], { encoding: 'utf8' })).toMatch(/^systemd 252/);
  });
});

describe.skipIf(!hasOracle || !INSTALLED_UNITS.every((f) => existsSync(f)))('installed dbus units', () => {
  it('dbus.socket and dbus.service verify identically', () => {
    const real = realVerify(INSTALLED_UNITS);
    const emulated = verifyUnits(INSTALLED_UNITS, nodeFileSystem());
    expect(emulated.lines).toEqual(real.lines);
    expect(emulated.exitCode).toBe(real.exitCode);
  });
});

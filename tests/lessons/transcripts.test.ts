/**
 * Lesson transcripts are real systemd's output: every ```console block whose fence names a scenario
 * (```console scenario="id"```, see tests/oracle) is checked against that scenario's golden file (recorded on
 * Debian 12's systemd 252) after the oracle's normalisation (tests/oracle/normalise.ts: PIDs, times, host names…).
 * Each `$ command` of the block must be a command of the scenario, in the scenario's order, and the lines under it
 * must be that command's output (stdout, then stderr). A line `…` stands for any run of lines; the output of the
 * block's last command may stop early (a lesson quotes the start of a long message and says so).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGolden } from '../oracle/corpus.ts';
import { normaliseRecords, normaliseText, pidsOf } from '../oracle/normalise.ts';

const LESSONS = path.resolve(import.meta.dirname, '../../content/lessons');

/** A console block with a scenario: its commands and the output lines under each. */
interface Transcript {
  file: string;
  line: number;
  scenario: string;
  commands: Array<{ command: string; output: string[] }>;
}

/** The console blocks of a lesson that name a scenario. */
export function transcriptsOf(file: string, text: string): Transcript[] {
  const out: Transcript[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```console\b(.*)$/.exec(lines[i]);
    if (!fence) continue;
    const scenario = /\bscenario="([^"]+)"/.exec(fence[1])?.[1];
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
    if (!scenario) continue;
    const commands: Transcript['commands'] = [];
    for (const line of body) {
      if (line.startsWith('$ ')) commands.push({ command: line.slice(2), output: [] });
      else if (commands.length > 0) commands[commands.length - 1].output.push(line);
    }
    out.push({ file, line: start + 1, scenario, commands });
  }
  return out;
}

/** True when `shown` (with `…` for any run of lines) matches `real`; `prefix` lets `shown` stop early. */
export function matchesOutput(shown: string[], real: string[], prefix: boolean): boolean {
  const match = (s: number, r: number): boolean => {
    if (s === shown.length) return prefix || r === real.length;
    if (shown[s] === '…') {
      for (let k = r; k <= real.length; k++) if (match(s + 1, k)) return true;
      return false;
    }
    return r < real.length && shown[s] === real[r] && match(s + 1, r + 1);
  };
  return match(0, 0);
}

const transcripts = fs
  .readdirSync(LESSONS)
  .filter((name) => name.endsWith('.mdx'))
  .sort()
  .flatMap((name) => transcriptsOf(`content/lessons/${name}`, fs.readFileSync(path.join(LESSONS, name), 'utf8')));

describe('lesson transcripts are systemd 252 output', () => {
  it('at least one lesson block names its scenario', () => {
    expect(transcripts.length).toBeGreaterThan(0);
  });

  it.each(transcripts.map((t) => [`${t.file}:${t.line} (${t.scenario})`, t] as const))('%s', (_, transcript) => {
    const golden = readGolden(transcript.scenario);
    expect(golden, `no golden file tests/oracle/golden/${transcript.scenario}.json: write tests/oracle/scenarios/${transcript.scenario}.ts and run npm run oracle:golden -- ${transcript.scenario}`).toBeDefined();
    const records = normaliseRecords(golden!.records);
    const pids = pidsOf(golden!.records);
    let from = 0;
    transcript.commands.forEach(({ command, output }, index) => {
      const at = records.findIndex((record, i) => i >= from && record.command === command);
      expect(at, `${transcript.file}:${transcript.line}: \`$ ${command}\` is not a command of scenario ${transcript.scenario} (after the previous one)`).toBeGreaterThanOrEqual(0);
      from = at + 1;
      const real = `${records[at].stdout}${records[at].stderr}`.split('\n');
      if (real[real.length - 1] === '') real.pop();
      const shown = normaliseText(output.join('\n'), pids).split('\n').filter((line, i, all) => !(i === all.length - 1 && line === '' && output.length === 0));
      const last = index === transcript.commands.length - 1;
      expect(matchesOutput(output.length === 0 ? [] : shown, real, last), `${transcript.file}:${transcript.line}: the output shown under \`$ ${command}\` is not what systemd 252 prints:\n${real.join('\n')}`).toBe(true);
    });
  });
});

describe('the transcript matcher', () => {
  it('matches equal lines, … for a run, an early stop only where allowed', () => {
    expect(matchesOutput(['a', 'b'], ['a', 'b'], false)).toBe(true);
    expect(matchesOutput(['a', '…', 'd'], ['a', 'b', 'c', 'd'], false)).toBe(true);
    expect(matchesOutput(['a'], ['a', 'b'], false)).toBe(false);
    expect(matchesOutput(['a'], ['a', 'b'], true)).toBe(true);
    expect(matchesOutput(['x'], ['a', 'b'], true)).toBe(false);
  });
});

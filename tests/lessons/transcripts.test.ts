/**
 * Every lesson transcript that names a scenario (```console scenario="id"```) shows what real systemd 252
 * printed: each `$ command` of the block is a command of the scenario's golden file (in order), and the
 * lines under it are that command's stdout and stderr after the oracle's normalisation (PIDs, times,
 * host names, ephemeral ports, inode numbers…, tests/oracle/normalise.ts). Lines the golden file marks
 * unstable (real systemd printed them in one recording and not in the other) are not compared; a CR at a
 * line's end (protocols that end lines in CR LF) and trailing blanks are ignored.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readGolden } from '../oracle/corpus.ts';
import { normaliseText, pidsOf } from '../oracle/normalise.ts';
import type { CommandRecord } from '../oracle/scenario.ts';

interface Block {
  file: string;
  scenario: string;
  commands: Array<{ command: string; output: string[] }>;
}

/** The console blocks with a scenario in every lesson and the FAQ. */
function blocks(): Block[] {
  const files = [...readdirSync('content/lessons').map((name) => `content/lessons/${name}`), 'content/faq.mdx'].filter((file) => file.endsWith('.mdx'));
  const found: Block[] = [];
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(/^```console scenario="([^"]+)"[^\n]*\n([\s\S]*?)^```$/gm)) {
      const commands: Block['commands'] = [];
      for (const line of match[2].replace(/\n$/, '').split('\n')) {
        if (line.startsWith('$ ')) commands.push({ command: line.slice(2), output: [] });
        else if (commands.length > 0) commands[commands.length - 1].output.push(line);
        else throw new Error(`${file}: the transcript of ${match[1]} starts with output, not with a $ command`);
      }
      found.push({ file, scenario: match[1], commands });
    }
  }
  return found;
}

/**
 * Normalised output lines, without a trailing empty line, CRs at line ends or trailing blanks (ss pads its
 * columns to the widest row; a lesson's copy is trimmed).
 */
function lines(text: string, pids: Set<number>): string[] {
  const out = normaliseText(text.replace(/\r$/gm, ''), pids).split('\n').map((line) => line.trimEnd());
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

const all = blocks();

describe('lesson transcripts are real systemd 252 output', () => {
  it('the lessons have transcripts to check', () => {
    expect(all.length).toBeGreaterThan(20);
  });

  it.each(all.map((block) => [`${block.file} ${block.scenario}`, block] as const))('%s', (_name, block) => {
    const golden = readGolden(block.scenario);
    expect(golden, `${block.file}: no golden file tests/oracle/golden/${block.scenario}.json (record it: npm run oracle:golden -- ${block.scenario})`).toBeDefined();
    const records = golden!.records;
    const goldenPids = pidsOf(records);
    // The lesson's own PIDs normalise the same way (they come from the same kind of run).
    const lessonPids = pidsOf(block.commands.map((entry, step): CommandRecord => ({ step, command: entry.command, stdout: entry.output.join('\n'), stderr: '', exitCode: 0 })));
    let next = 0;
    for (const entry of block.commands) {
      const index = records.findIndex((record, at) => at >= next && record.command === entry.command);
      expect(index, `${block.file}: \`${entry.command}\` is not a command of scenario ${block.scenario} (after the ones before it)`).toBeGreaterThanOrEqual(0);
      next = index + 1;
      const record = records[index];
      // Unstable lines are matched without trailing blanks: a lesson's copy of a padded line (ss's header) has none.
      const unstable = new Set([...(record.unstable?.stdout ?? []), ...(record.unstable?.stderr ?? [])].map((line) => line.replace(/(,fd=)(\d+|<pid>)(?=\))/g, '$1<fd>').trimEnd()));
      const stable = (line: string) => !unstable.has(line.trimEnd());
      const expected = [...lines(record.stdout, goldenPids), ...lines(record.stderr, goldenPids)].filter(stable);
      const shown = lines(entry.output.join('\n'), lessonPids).filter(stable);
      expect(shown, `${block.file}: the output under \`${entry.command}\` is not what real systemd printed (scenario ${block.scenario})`).toEqual(expected);
    }
  });
});

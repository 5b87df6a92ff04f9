import { describe, expect, it } from 'vitest';
import type { CommandRecord } from './scenario.ts';
import { normaliseRecords } from './normalise.ts';

const record = (step: number, stdout: string): CommandRecord => ({ step, command: 'journalctl -x -u x.service --no-pager', stdout, stderr: '', exitCode: 0 });

describe('normalise: job ids (rule 11)', () => {
  it('numbers the catalog\'s job ids by first appearance in the run, so shared ids stay shared', () => {
    const out = normaliseRecords([
      record(0, '░░ The job identifier is 87.\n'),
      record(1, '░░ The job identifier is 288 and the job result is done.\n░░ The job identifier is 288.\n░░ The job identifier is 87.\n'),
    ]);
    expect(out.map((r) => r.stdout)).toEqual([
      '░░ The job identifier is <job1>.\n',
      '░░ The job identifier is <job2> and the job result is done.\n░░ The job identifier is <job2>.\n░░ The job identifier is <job1>.\n',
    ]);
  });

  it('leaves other numbers alone', () => {
    expect(normaliseRecords([record(0, 'restart counter is at 87.\n')])[0].stdout).toBe('restart counter is at 87.\n');
  });
});

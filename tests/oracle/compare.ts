/**
 * Compares a machine's records of a scenario with the golden file (real systemd's), command by command, after the
 * normalisation (normalise.ts): lines of stdout and of stderr are matched in order (longest common subsequence),
 * exit codes compared. Differences listed in the accepted-differences file are taken out and counted as accepted.
 */
import { normaliseRecords } from './normalise.ts';
import type { CommandRecord, Kernel } from './scenario.ts';

/** One accepted difference: a line real systemd prints that the emulator does not, or prints otherwise. */
export interface AcceptedLine {
  scenario: string;
  command: string;
  /** Only on this kernel (default: both). */
  kernel?: Kernel;
  stream: 'stdout' | 'stderr';
  /** The normalised line real systemd prints; null when the emulator prints a line real systemd does not. */
  expected: string | null;
  /** The normalised line the emulator prints instead; null when it prints nothing for it. */
  actual: string | null;
  reason: string;
  /** Seen in some of the emulator runs that wrote the list, not all (timing): not required to match every run. */
  intermittent?: boolean;
}

/** An accepted difference of exit codes. */
export interface AcceptedExit {
  scenario: string;
  command: string;
  kernel?: Kernel;
  exitCode: { expected: number; actual: number };
  reason: string;
  intermittent?: boolean;
}

export type AcceptedDifference = AcceptedLine | AcceptedExit;

/** A difference found. */
export interface LineDifference {
  scenario: string;
  kernel: Kernel;
  command: string;
  step: number;
  stream: 'stdout' | 'stderr';
  expected: string | null;
  actual: string | null;
}

export interface ExitDifference {
  scenario: string;
  kernel: Kernel;
  command: string;
  step: number;
  expected: number;
  actual: number;
}

/** The comparison of one scenario on one kernel. */
export interface Comparison {
  scenario: string;
  kernel: Kernel;
  /** Compared lines: for each command and stream, the longer of the two outputs. */
  lines: number;
  /** Lines identical after normalisation. */
  identical: number;
  /** Lines that differ but are accepted. */
  accepted: number;
  commands: number;
  exitEqual: number;
  exitAccepted: number;
  lineDifferences: LineDifference[];
  exitDifferences: ExitDifference[];
  /** Accepted entries that were used (index into the accepted list). */
  used: Set<number>;
  /** A command of the golden file the run does not have (or the reverse). */
  structural: string[];
}

/** The lines of an output (without the empty string after its last newline). */
export function lines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Pairs of the longest common subsequence: unmatched lines on each side, in order. */
export function diffLines(expected: string[], actual: string[]): { same: number; missing: string[]; extra: string[]; pairs: Array<[string | null, string | null]> } {
  const n = expected.length;
  const m = actual.length;
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i][j] = expected[i] === actual[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const missing: string[] = [];
  const extra: string[] = [];
  const pairs: Array<[string | null, string | null]> = [];
  let i = 0;
  let j = 0;
  // Runs of unmatched lines between two matches are paired up in order (a changed line is one expected, one actual).
  let pendingMissing: string[] = [];
  let pendingExtra: string[] = [];
  const flush = (): void => {
    const count = Math.max(pendingMissing.length, pendingExtra.length);
    for (let k = 0; k < count; k++) pairs.push([pendingMissing[k] ?? null, pendingExtra[k] ?? null]);
    missing.push(...pendingMissing);
    extra.push(...pendingExtra);
    pendingMissing = [];
    pendingExtra = [];
  };
  while (i < n || j < m) {
    if (i < n && j < m && expected[i] === actual[j]) {
      flush();
      i++;
      j++;
    } else if (j >= m || (i < n && table[i + 1][j] >= table[i][j + 1])) {
      pendingMissing.push(expected[i++]);
    } else {
      pendingExtra.push(actual[j++]);
    }
  }
  flush();
  return { same: table[0][0], missing, extra, pairs };
}

function isExit(entry: AcceptedDifference): entry is AcceptedExit {
  return 'exitCode' in entry;
}

/** Compares one run with its golden records. Both are normalised here. */
export function compareRun(
  scenario: string,
  kernel: Kernel,
  goldenRecords: CommandRecord[],
  actualRecords: CommandRecord[],
  accepted: AcceptedDifference[],
): Comparison {
  const golden = normaliseRecords(goldenRecords);
  const actual = normaliseRecords(actualRecords);
  const result: Comparison = {
    scenario, kernel, lines: 0, identical: 0, accepted: 0, commands: 0, exitEqual: 0, exitAccepted: 0,
    lineDifferences: [], exitDifferences: [], used: new Set(), structural: [],
  };
  const applies = (entry: AcceptedDifference, command: string) =>
    entry.scenario === scenario && entry.command === command && (entry.kernel === undefined || entry.kernel === kernel);
  for (const [index, expected] of golden.entries()) {
    const run = actual[index];
    result.commands++;
    if (!run || run.command !== expected.command) {
      result.structural.push(`step ${expected.step}: golden has \`${expected.command}\`, the run has ${run ? `\`${run.command}\`` : 'nothing'}`);
      continue;
    }
    const unstable = goldenRecords[index]?.unstable;
    if (run.exitCode === expected.exitCode || unstable?.exitCode) result.exitEqual++;
    else {
      const entry = accepted.findIndex((candidate) => isExit(candidate) && applies(candidate, expected.command)
        && candidate.exitCode.expected === expected.exitCode && candidate.exitCode.actual === run.exitCode);
      if (entry >= 0) {
        result.exitAccepted++;
        result.used.add(entry);
      } else {
        result.exitDifferences.push({ scenario, kernel, command: expected.command, step: expected.step, expected: expected.exitCode, actual: run.exitCode });
      }
    }
    for (const stream of ['stdout', 'stderr'] as const) {
      // Lines real systemd itself does not print every time are left out on both sides.
      // Unstable lines were stored with an older normalisation: bring them to the current fd and trailing-blank rules.
      const skip = new Set((unstable?.[stream] ?? []).map((line) => line.replace(/(,fd=)(\d+|<pid>)(?=\))/g, '$1<fd>').trimEnd()));
      // On the memory kernel (a real clock shared with the test runner), which journal lines fall into the last
      // lines a `systemctl status` shows depends on the run's timing: its log tail is not compared there (the
      // scenarios' `journalctl` commands check those lines).
      const tail = kernel === 'memory' && expected.command.startsWith('systemctl status') ? (line: string) => line.startsWith('<time> <host> ') : () => false;
      const want = lines(expected[stream]).filter((line) => !skip.has(line) && !tail(line));
      const got = lines(run[stream]).filter((line) => !skip.has(line) && !tail(line));
      const diff = diffLines(want, got);
      result.lines += Math.max(want.length, got.length);
      result.identical += diff.same;
      // Accepted entries first take whole pairs (a changed line), then single missing or extra lines.
      let pairs = diff.pairs;
      const takeEntry = (match: (entry: AcceptedLine) => boolean): boolean => {
        const entry = accepted.findIndex((candidate) => !isExit(candidate) && candidate.stream === stream && applies(candidate, expected.command) && match(candidate));
        if (entry < 0) return false;
        result.used.add(entry);
        return true;
      };
      const remaining: Array<[string | null, string | null]> = [];
      for (const [missing, extra] of pairs) {
        if (takeEntry((entry) => entry.expected === missing && entry.actual === extra)) {
          result.accepted++;
          continue;
        }
        remaining.push([missing, extra]);
      }
      // A pair may also be two independent differences (a line missing here, another extra there).
      pairs = [];
      for (const [missing, extra] of remaining) {
        if (missing !== null && extra !== null) {
          const missingOk = takeEntry((entry) => entry.expected === missing && entry.actual === null);
          const extraOk = takeEntry((entry) => entry.expected === null && entry.actual === extra);
          if (missingOk && extraOk) { result.accepted++; continue; }
          if (missingOk) { pairs.push([null, extra]); continue; }
          if (extraOk) { pairs.push([missing, null]); continue; }
        } else if (takeEntry((entry) => entry.expected === missing && entry.actual === extra)) {
          result.accepted++;
          continue;
        }
        pairs.push([missing, extra]);
      }
      for (const [missing, extra] of pairs) {
        result.lineDifferences.push({ scenario, kernel, command: expected.command, step: expected.step, stream, expected: missing, actual: extra });
      }
    }
  }
  if (actual.length > golden.length) result.structural.push(`the run has ${actual.length - golden.length} command(s) more than the golden file`);
  return result;
}

/** "12.3" for 123/1000; "100.0" when there is nothing to compare. */
export function percent(part: number, whole: number): string {
  return whole === 0 ? '100.0' : ((100 * part) / whole).toFixed(1);
}

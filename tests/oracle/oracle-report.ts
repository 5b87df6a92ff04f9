/** Compares emulator runs with the golden files and formats the figures (per scenario and overall). */
import { compareRun, percent, type AcceptedDifference, type Comparison } from './compare.ts';
import { readGolden } from './corpus.ts';
import type { EmulatorRun } from './emulator-worker.ts';
import { kernelsOf, type Kernel, type Scenario } from './scenario.ts';

/** Every scenario × kernel comparison; scenarios without a golden file are listed in `missingGolden`. */
export function compareCorpus(
  scenarios: Scenario[],
  runs: Partial<Record<Kernel, Record<string, EmulatorRun>>>,
  accepted: AcceptedDifference[],
): { comparisons: Comparison[]; missingGolden: string[]; problems: string[] } {
  const comparisons: Comparison[] = [];
  const missingGolden: string[] = [];
  const problems: string[] = [];
  for (const scenario of scenarios) {
    const golden = readGolden(scenario.id);
    if (!golden) {
      missingGolden.push(scenario.id);
      continue;
    }
    for (const kernel of kernelsOf(scenario)) {
      const run = runs[kernel]?.[scenario.id];
      if (!run) continue;
      for (const problem of run.problems) problems.push(`${scenario.id} (${kernel}): ${problem}`);
      comparisons.push(compareRun(scenario.id, kernel, golden.records, run.records, accepted));
    }
  }
  return { comparisons, missingGolden, problems };
}

/** Totals of some comparisons. */
export function totals(comparisons: Comparison[]): { lines: number; identical: number; accepted: number; commands: number; exitEqual: number; exitAccepted: number } {
  const sum = { lines: 0, identical: 0, accepted: 0, commands: 0, exitEqual: 0, exitAccepted: 0 };
  for (const c of comparisons) {
    sum.lines += c.lines;
    sum.identical += c.identical;
    sum.accepted += c.accepted;
    sum.commands += c.commands;
    sum.exitEqual += c.exitEqual;
    sum.exitAccepted += c.exitAccepted;
  }
  return sum;
}

/** The report: one row per scenario and kernel, then the overall figures per kernel. */
export function formatReport(comparisons: Comparison[]): string {
  const rows: string[][] = [['scenario', 'kernel', 'lines identical', 'exit codes equal', 'accepted']];
  for (const c of comparisons) {
    rows.push([c.scenario, c.kernel, `${percent(c.identical, c.lines)} % (${c.identical}/${c.lines})`, `${percent(c.exitEqual, c.commands)} % (${c.exitEqual}/${c.commands})`, String(c.accepted + c.exitAccepted)]);
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const out = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd());
  out.push('');
  for (const kernel of ['memory', 'node'] as const) {
    const t = totals(comparisons.filter((c) => c.kernel === kernel));
    if (t.commands === 0) continue;
    out.push(`overall ${kernel}: lines identical ${percent(t.identical, t.lines)} % (${t.identical}/${t.lines}), ` +
      `with accepted differences ${percent(Math.min(t.identical + t.accepted, t.lines), t.lines)} %; exit codes equal ${percent(t.exitEqual, t.commands)} % (${t.exitEqual}/${t.commands}), ` +
      `with accepted ${percent(t.exitEqual + t.exitAccepted, t.commands)} %`);
  }
  return out.join('\n');
}

/** The unaccepted differences as a readable list (for test failures and `--diff`). */
export function formatDifferences(comparisons: Comparison[]): string {
  const out: string[] = [];
  for (const c of comparisons) {
    for (const s of c.structural) out.push(`${c.scenario} (${c.kernel}): ${s}`);
    for (const d of c.exitDifferences) out.push(`${d.scenario} (${d.kernel}) $ ${d.command}: exit ${d.actual}, real systemd exits ${d.expected}`);
    for (const d of c.lineDifferences) {
      out.push(`${d.scenario} (${d.kernel}) $ ${d.command} [${d.stream}]\n  - ${d.expected ?? '(nothing)'}\n  + ${d.actual ?? '(nothing)'}`);
    }
  }
  return out.join('\n');
}

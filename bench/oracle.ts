/**
 * `npm run bench:oracle`: parity of the emulator with real systemd 252 on the oracle corpus (tests/oracle/scenarios).
 * Runs every scenario on the emulator on the memory kernel (the in-page lab) and on the Node kernel (the command
 * line, in a network namespace of its own), compares each command's stdout, stderr and exit code with the golden
 * files (real systemd's records) after the documented normalisation (tests/oracle/normalise.ts), and prints per
 * scenario and overall: lines identical (%), exit codes equal (%). Never asserts.
 *
 *   --record       first run the scenarios on real systemd (two containers at a time) and rewrite the golden files
 *   --diff         also print every difference that is not in tests/oracle/accepted-differences.ts
 *   --json FILE    write the comparison figures as JSON
 *   ID…            only these scenarios
 * bench/run.ts runs this as its `oracle` part (skip with BENCH_SKIP_ORACLE=1).
 */
import * as fs from 'node:fs';
import { acceptedDifferences } from '../tests/oracle/accepted-differences.ts';
import { loadScenarios, writeGolden } from '../tests/oracle/corpus.ts';
import { inNetworkNamespace, nodeKernelUnavailable, runCorpusOnEmulator, type EmulatorRun } from '../tests/oracle/emulator-worker.ts';
import { nspawnUnavailable } from '../tests/oracle/nspawn-machine.ts';
import { compareCorpus, formatDifferences, formatReport, totals } from '../tests/oracle/oracle-report.ts';
import { recordCorpus } from '../tests/oracle/record-golden.ts';
import type { Kernel } from '../tests/oracle/scenario.ts';

/** The oracle figures: overall percentages per kernel and the times. */
export interface OracleFigures {
  scenarios: number;
  record_s: number | null;
  emulator_s: Record<string, number>;
  lines_identical_pct: Record<string, number>;
  exit_codes_equal_pct: Record<string, number>;
}

/** Runs the oracle part and prints its report; returns the figures. */
export async function runOracleBench(args: string[], print: (text: string) => void = (text) => process.stdout.write(text + '\n')): Promise<OracleFigures> {
  const ids = args.filter((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--json');
  const scenarios = await loadScenarios(ids);
  let recordSeconds: number | null = null;
  if (args.includes('--record')) {
    const unavailable = nspawnUnavailable();
    if (unavailable) print(`oracle: not recording golden files: ${unavailable}`);
    else {
      const started = Date.now();
      await recordCorpus(scenarios, (scenario, run) => {
        if (run instanceof Error) print(`oracle: ${scenario.id} on real systemd FAILED: ${run.message}`);
        else writeGolden(run.golden);
      }, 2);
      recordSeconds = (Date.now() - started) / 1000;
      print(`oracle: ${scenarios.length} scenarios on real systemd in ${recordSeconds.toFixed(1)} s`);
    }
  }
  const runs: Partial<Record<Kernel, Record<string, EmulatorRun>>> = {};
  const seconds: Record<string, number> = {};
  let started = Date.now();
  runs.memory = await runCorpusOnEmulator('memory', ids);
  seconds.memory = (Date.now() - started) / 1000;
  const netns = nodeKernelUnavailable();
  if (netns) print(`oracle: the Node kernel is not compared: ${netns}`);
  else {
    started = Date.now();
    runs.node = await inNetworkNamespace('node', ids);
    seconds.node = (Date.now() - started) / 1000;
  }
  const { comparisons, missingGolden, problems } = compareCorpus(scenarios, runs, acceptedDifferences);
  print(formatReport(comparisons));
  for (const id of missingGolden) print(`oracle: ${id} has no golden file yet (npm run oracle:golden -- ${id})`);
  for (const problem of problems) print(`oracle: ${problem}`);
  print(`oracle: emulator runs took ${Object.entries(seconds).map(([kernel, s]) => `${kernel} ${s.toFixed(1)} s`).join(', ')}`);
  if (args.includes('--diff')) print(formatDifferences(comparisons));
  const figures: OracleFigures = { scenarios: scenarios.length, record_s: recordSeconds, emulator_s: seconds, lines_identical_pct: {}, exit_codes_equal_pct: {} };
  for (const kernel of Object.keys(runs)) {
    const t = totals(comparisons.filter((c) => c.kernel === kernel));
    figures.lines_identical_pct[kernel] = t.lines ? Math.round((1000 * t.identical) / t.lines) / 10 : 100;
    figures.exit_codes_equal_pct[kernel] = t.commands ? Math.round((1000 * t.exitEqual) / t.commands) / 10 : 100;
  }
  const jsonAt = args.indexOf('--json');
  if (jsonAt >= 0 && args[jsonAt + 1]) fs.writeFileSync(args[jsonAt + 1], JSON.stringify({ figures, comparisons: comparisons.map(({ used: _used, ...c }) => c) }, null, 2) + '\n');
  return figures;
}

if (import.meta.filename === process.argv[1]) {
  await runOracleBench(process.argv.slice(2));
  process.exit(0);
}

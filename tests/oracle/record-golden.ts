/**
 * `npm run oracle:golden [-- ID…]`: runs scenarios on real systemd 252 (a throw-away container each, two at a time),
 * each twice, and writes their golden files, tests/oracle/golden/<id>.json, with the lines the two runs did not
 * agree on marked unstable (not compared). Prints each scenario's time and the total.
 * Needs root, systemd-nspawn and the root file system (`npm run oracle:root`).
 */
import { diffLines, lines } from './compare.ts';
import { loadScenarios, writeGolden } from './corpus.ts';
import { normaliseRecords } from './normalise.ts';
import { nspawnUnavailable } from './nspawn-machine.ts';
import { runOnSystemd, type SystemdRun } from './run-systemd.ts';
import type { Scenario } from './scenario.ts';

/** At most this many containers at a time (the machine is shared). */
export const CONTAINERS_AT_A_TIME = 2;

/**
 * Runs scenarios on real systemd, `CONTAINERS_AT_A_TIME` at once; calls `done` for each as it ends. With `runs` 2,
 * each scenario runs twice and the golden file's records note what differed between the two (CommandRecord.unstable).
 */
export async function recordCorpus(scenarios: Scenario[], done: (scenario: Scenario, run: SystemdRun | Error) => void, runs = 1): Promise<void> {
  const queue = [...scenarios];
  const worker = async (): Promise<void> => {
    for (let scenario = queue.shift(); scenario; scenario = queue.shift()) {
      try {
        const first = await runOnSystemd(scenario);
        if (runs > 1) markUnstable(first, await runOnSystemd(scenario));
        done(scenario, first);
      } catch (error) {
        done(scenario, error as Error);
      }
    }
  };
  await Promise.all(Array.from({ length: CONTAINERS_AT_A_TIME }, worker));
}

/** Notes in `run`'s records the normalised lines and exit codes that `again` did not reproduce. */
function markUnstable(run: SystemdRun, again: SystemdRun): void {
  const a = normaliseRecords(run.golden.records);
  const b = normaliseRecords(again.golden.records);
  run.golden.records.forEach((record, index) => {
    const other = b[index];
    if (!other || other.command !== record.command) return;
    const stdout = diffLines(lines(a[index].stdout), lines(other.stdout));
    const stderr = diffLines(lines(a[index].stderr), lines(other.stderr));
    const unstable = {
      stdout: [...new Set([...stdout.missing, ...stdout.extra])],
      stderr: [...new Set([...stderr.missing, ...stderr.extra])],
      ...(record.exitCode !== other.exitCode ? { exitCode: true } : {}),
    };
    if (unstable.stdout.length + unstable.stderr.length > 0 || unstable.exitCode) record.unstable = unstable;
  });
  run.problems.push(...again.problems.filter((problem) => !run.problems.includes(problem)));
}

if (import.meta.filename === process.argv[1]) {
  const unavailable = nspawnUnavailable();
  if (unavailable) {
    process.stderr.write(`Cannot run real systemd here: ${unavailable}\n`);
    process.exit(1);
  }
  const scenarios = await loadScenarios(process.argv.slice(2));
  const started = Date.now();
  let failed = 0;
  await recordCorpus(scenarios, (scenario, run) => {
    if (run instanceof Error) {
      failed++;
      process.stdout.write(`${scenario.id}: FAILED: ${run.message}\n`);
      return;
    }
    writeGolden(run.golden);
    const problems = run.problems.length ? `  (${run.problems.join('; ')})` : '';
    const unstable = run.golden.records.reduce((sum, record) => sum + (record.unstable ? record.unstable.stdout.length + record.unstable.stderr.length : 0), 0);
    process.stdout.write(`${scenario.id}: ${run.golden.records.length} commands, ${(run.ms / 1000).toFixed(1)} s${unstable ? `, ${unstable} unstable lines` : ''}${problems}\n`);
  }, 2);
  process.stdout.write(`${scenarios.length} scenarios on real systemd in ${((Date.now() - started) / 1000).toFixed(1)} s (${CONTAINERS_AT_A_TIME} containers at a time)${failed ? `, ${failed} failed` : ''}\n`);
  process.exit(failed ? 1 : 0);
}

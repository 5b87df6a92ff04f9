/**
 * `npm run oracle:golden [-- ID…]`: runs scenarios on real systemd 252 (a throw-away container each, two at a time)
 * and writes their golden files, tests/oracle/golden/<id>.json. Prints each scenario's time and the total.
 * Needs root, systemd-nspawn and the root file system (`npm run oracle:root`).
 */
import { loadScenarios, writeGolden } from './corpus.ts';
import { nspawnUnavailable } from './nspawn-machine.ts';
import { runOnSystemd, type SystemdRun } from './run-systemd.ts';
import type { Scenario } from './scenario.ts';

/** At most this many containers at a time (the machine is shared). */
export const CONTAINERS_AT_A_TIME = 2;

/** Runs scenarios on real systemd, `CONTAINERS_AT_A_TIME` at once; calls `done` for each as it ends. */
export async function recordCorpus(scenarios: Scenario[], done: (scenario: Scenario, run: SystemdRun | Error) => void): Promise<void> {
  const queue = [...scenarios];
  const worker = async (): Promise<void> => {
    for (let scenario = queue.shift(); scenario; scenario = queue.shift()) {
      try {
        done(scenario, await runOnSystemd(scenario));
      } catch (error) {
        done(scenario, error as Error);
      }
    }
  };
  await Promise.all(Array.from({ length: CONTAINERS_AT_A_TIME }, worker));
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
    process.stdout.write(`${scenario.id}: ${run.golden.records.length} commands, ${(run.ms / 1000).toFixed(1)} s${problems}\n`);
  });
  process.stdout.write(`${scenarios.length} scenarios on real systemd in ${((Date.now() - started) / 1000).toFixed(1)} s (${CONTAINERS_AT_A_TIME} containers at a time)${failed ? `, ${failed} failed` : ''}\n`);
  process.exit(failed ? 1 : 0);
}

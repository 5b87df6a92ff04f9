/**
 * The golden files against real systemd 252 now: every scenario runs again in a throw-away container (two at a
 * time) and must print what its golden file says, after the normalisation. Skips, saying why, where containers
 * cannot run (not root, no systemd-nspawn, no root file system: `npm run oracle:root`). ORACLE_LIVE=0 skips it too.
 * Lines the two recording runs did not agree on are not compared (CommandRecord.unstable); a scenario that still
 * differs runs once more, since real systemd's journal races its commands now and then: it must match then.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compareRun, type Comparison } from './compare.ts';
import { loadScenarios, readGolden } from './corpus.ts';
import { nspawnUnavailable } from './nspawn-machine.ts';
import { formatDifferences } from './oracle-report.ts';
import { recordCorpus } from './record-golden.ts';

/** `ss` lists sockets in the kernel's hash order, which changes from boot to boot: real runs compare its rows sorted. */
function ssRowsSorted<R extends { command: string; stdout: string }>(records: R[]): R[] {
  return records.map((record) => {
    if (!/^ss\s/.test(record.command)) return record;
    const [header, ...rows] = record.stdout.replace(/\n$/, '').split('\n');
    return { ...record, stdout: `${[header, ...rows.sort()].join('\n')}\n` };
  });
}
import { runOnSystemd } from './run-systemd.ts';

const scenarios = await loadScenarios();
const unavailable = process.env.ORACLE_LIVE === '0' ? 'ORACLE_LIVE=0' : nspawnUnavailable();
if (unavailable) console.warn(`live.test.ts skipped: real systemd cannot run here: ${unavailable}`);

const comparisons = new Map<string, Comparison | Error>();
let seconds = 0;

describe.skipIf(unavailable !== undefined)('real systemd 252 still prints the golden files', () => {
  beforeAll(async () => {
    const started = Date.now();
    await recordCorpus(scenarios, (scenario, run) => {
      const golden = readGolden(scenario.id);
      if (run instanceof Error) comparisons.set(scenario.id, run);
      else if (golden) comparisons.set(scenario.id, compareRun(scenario.id, 'memory', ssRowsSorted(golden.records), ssRowsSorted(run.golden.records), []));
    });
    for (const scenario of scenarios) {
      const first = comparisons.get(scenario.id);
      const golden = readGolden(scenario.id);
      if (!golden || (first && !(first instanceof Error) && formatDifferences([first]) === '')) continue;
      try {
        const again = await runOnSystemd(scenario);
        comparisons.set(scenario.id, compareRun(scenario.id, 'memory', ssRowsSorted(golden.records), ssRowsSorted(again.golden.records), []));
      } catch (error) {
        comparisons.set(scenario.id, error as Error);
      }
    }
    seconds = (Date.now() - started) / 1000;
    console.log(`live.test.ts: ${scenarios.length} scenarios on real systemd in ${seconds.toFixed(1)} s`);
  }, 900_000);

  it.each(scenarios.map((scenario) => scenario.id))('%s', (id) => {
    const comparison = comparisons.get(id);
    if (comparison instanceof Error) throw comparison;
    expect(comparison, `no golden file for ${id}: npm run oracle:golden -- ${id}`).toBeDefined();
    const differences = formatDifferences([comparison!]).replaceAll('(memory)', '(real systemd now)');
    expect(differences, `real systemd no longer prints tests/oracle/golden/${id}.json (re-record it: npm run oracle:golden -- ${id})`).toBe('');
  });
});

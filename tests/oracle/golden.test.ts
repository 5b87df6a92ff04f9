/**
 * The emulator against real systemd 252 without a container: every scenario of tests/oracle/scenarios runs on the
 * emulator (memory kernel in this process; Node kernel in a network namespace of its own per scenario) and its
 * output must equal the golden file (real systemd's records) after the normalisation of normalise.ts, except for
 * the entries of accepted-differences.ts. Entries that no longer match anything fail too: the list stays true.
 * After a fix: `node tests/oracle/accept-differences.ts` rewrites the list; read its diff.
 *
 * The Node kernel is compared wherever this machine can make network namespaces (root, `unshare`); otherwise it
 * skips with the reason printed, and ORACLE_NODE_KERNEL=0 skips it on purpose. Its runs became repeatable this round
 * (services in process groups, exits reaped before each command line, ports freed on stop): the whole corpus passed
 * three times in a row, once under load.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { acceptedDifferences } from './accepted-differences.ts';
import type { Comparison } from './compare.ts';
import { loadScenarios, readGolden } from './corpus.ts';
import { inNetworkNamespace, nodeKernelUnavailable, runCorpusOnEmulator, type EmulatorRun } from './emulator-worker.ts';
import { compareCorpus, formatDifferences } from './oracle-report.ts';
import { kernelsOf, type Kernel } from './scenario.ts';

const scenarios = await loadScenarios();
const netns = process.env.ORACLE_NODE_KERNEL === '0'
  ? 'ORACLE_NODE_KERNEL=0 says not to; npm run bench:oracle reports it'
  : nodeKernelUnavailable();
if (netns) console.warn(`golden.test.ts: the Node kernel is not compared: ${netns}`);

const runs: Partial<Record<Kernel, Record<string, EmulatorRun>>> = {};
let comparisons: Comparison[] = [];
let problems: string[] = [];

beforeAll(async () => {
  const [memory, node] = await Promise.all([runCorpusOnEmulator('memory'), netns ? Promise.resolve(undefined) : inNetworkNamespace('node')]);
  runs.memory = memory;
  if (node) runs.node = node;
  ({ comparisons, problems } = compareCorpus(scenarios, runs, acceptedDifferences));
}, 600_000);

describe('the oracle corpus', () => {
  it('has at least 40 scenarios, each with a golden file recorded on systemd 252', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(40);
    const missing = scenarios.filter((scenario) => !readGolden(scenario.id)).map((scenario) => scenario.id);
    expect(missing, 'record them: npm run oracle:golden -- ID…').toEqual([]);
    for (const scenario of scenarios) expect(readGolden(scenario.id)!.systemd).toMatch(/^systemd 252 /);
  });

  it('every accepted difference has a reason', () => {
    const bad = acceptedDifferences.filter((entry) => !entry.reason || entry.reason === 'unexplained');
    expect(bad, 'explain these in tests/oracle/accepted-differences.ts, or fix the emulator').toEqual([]);
  });
});

describe.each(['memory', 'node'] as const)('the emulator on the %s kernel', (kernel) => {
  const ids = scenarios.filter((scenario) => kernelsOf(scenario).includes(kernel)).map((scenario) => scenario.id);
  it.skipIf(kernel === 'node' && netns !== undefined).each(ids)('%s prints what systemd 252 prints', (id) => {
    const comparison = comparisons.find((c) => c.scenario === id && c.kernel === kernel);
    const runProblems = problems.filter((problem) => problem.startsWith(`${id} (${kernel})`));
    expect(runProblems).toEqual([]);
    expect(comparison, `no comparison for ${id} on ${kernel}`).toBeDefined();
    const differences = formatDifferences([comparison!]);
    expect(differences, `differences from tests/oracle/golden/${id}.json (accept or fix them: node tests/oracle/accept-differences.ts)`).toBe('');
  });
});

describe('accepted-differences.ts', () => {
  it('has no entry that matches nothing any more', () => {
    const used = new Set(comparisons.flatMap((c) => [...c.used]));
    const stale = acceptedDifferences
      .map((entry, index) => ({ entry, index }))
      .filter(({ entry, index }) => !used.has(index) && !entry.intermittent && !(netns && entry.kernel === 'node'))
      .map(({ entry }) => entry);
    expect(stale, 'remove them: node tests/oracle/accept-differences.ts').toEqual([]);
  });
});

/**
 * Every lab in labs/, on both machines the factory builds (src/emulator/machine): the in-page runtime's
 * (memory kernel, real clock) and the WebContainer's (Node kernel in its --shim mode, real processes):
 * its starting files fail at least one goal, and its solution files plus its `solutionSteps` pass every
 * goal. A lab that works on one kernel only fails here. A new lab is covered by adding it. Each Node-kernel lab
 * runs in a network namespace of its own where the test runs as root on Linux (private-network.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { labIds, loadLab } from '../../src/lab/definition/lab-catalog.ts';
import { checkGoals, runToEnd, type GoalResult } from '../../src/lab/definition/goal-checks.ts';
import { bootLab, disposeLabMachines } from './lab-machines.ts';

afterEach(disposeLabMachines);

/** "goal-id: why" lines of the failed goals, for assertion messages. */
function failures(results: GoalResult[]): string[] {
  return results.filter((result) => !result.passed).map((result) => `${result.id}: ${result.detail ?? 'failed'}`);
}

describe.each(labIds().flatMap((id) => (['memory', 'node'] as const).map((kernel) => [id, kernel] as const)))('lab %s on the %s kernel', (id, kernel) => {
  it('its starting files fail at least one goal', async () => {
    const bundle = await loadLab(id);
    const { runtime } = await bootLab(kernel, bundle, bundle.files);
    const results = await checkGoals(bundle.definition, runtime);
    expect(failures(results).length, `every goal of lab ${id} passes before the learner did anything`).toBeGreaterThan(0);
  }, 30_000);

  it('its solution files and solutionSteps pass every goal', async () => {
    const bundle = await loadLab(id);
    const steps = bundle.definition.solutionSteps;
    expect(steps, `labs/${id}/lab.ts has no solutionSteps: list the command lines that finish the lab after "Show solution"`).toBeDefined();
    const { machine, runtime } = await bootLab(kernel, bundle, bundle.files);
    const transcript: string[] = [];
    for (const step of bundle.definition.stepsBeforeSolution ?? []) {
      const result = await runToEnd(runtime, step);
      transcript.push(`$ ${step} (exit ${result.exitCode}, before the solution files)\n${result.stdout}${result.stderr}`);
    }
    for (const [path, text] of Object.entries(bundle.solution)) machine.writeFile(path, text);
    for (const step of steps ?? []) {
      const result = await runToEnd(runtime, step);
      transcript.push(`$ ${step} (exit ${result.exitCode})\n${result.stdout}${result.stderr}`);
    }
    const results = await checkGoals(bundle.definition, runtime);
    expect(failures(results), `lab ${id} after its solution:\n${transcript.join('')}`).toEqual([]);
  }, 30_000);
});

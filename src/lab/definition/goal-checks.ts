/**
 * Runs a lab's goal checks against a runtime. The island's "Check my work" and the tests use this,
 * so what passes in a test passes for the learner.
 */
import type { LabRuntime } from '../runtime/lab-runtime.ts';
import type { CommandResult, GoalContext, LabDefinition } from './lab-definition.ts';

/** The outcome of one goal. */
export interface GoalResult {
  id: string;
  passed: boolean;
  /** Why it failed, when the check said. */
  detail?: string;
}

/** Runs a command line to completion and collects its output. */
export async function runToEnd(runtime: Pick<LabRuntime, 'run'>, commandLine: string): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const command = runtime.run(commandLine, (text, stream) => {
    if (stream === 'stdout') stdout += text;
    else stderr += text;
  });
  const exitCode = await command.exit;
  return { exitCode, stdout, stderr };
}

/** Checks every goal in order; a check that throws fails with its message. */
export async function checkGoals(
  definition: LabDefinition,
  runtime: Pick<LabRuntime, 'run' | 'snapshot' | 'readFile'>,
): Promise<GoalResult[]> {
  const context: GoalContext = {
    snapshot: await runtime.snapshot(),
    run: (commandLine) => runToEnd(runtime, commandLine),
    readFile: (path) => runtime.readFile(path),
  };
  const results: GoalResult[] = [];
  for (const goal of definition.goals) {
    try {
      const outcome = await goal.check(context);
      results.push(outcome === true ? { id: goal.id, passed: true } : { id: goal.id, passed: false, detail: typeof outcome === 'string' ? outcome : undefined });
    } catch (error) {
      results.push({ id: goal.id, passed: false, detail: `The check failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return results;
}

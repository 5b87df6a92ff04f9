/**
 * Runs a scenario's steps on one machine, real or emulated, through the small surface both offer; returns the
 * records of its command lines. The same code drives every machine, so a difference in the records is a difference
 * of the machines.
 */
import { commandOf, DEFAULT_WAIT_TIMEOUT_MS, stepKind, type CommandRecord, type RunStep, type Scenario, type SleepStep, type WaitForStep, type WriteStep } from './scenario.ts';

/** What a machine must do for the runner. */
export interface StepMachine {
  run(commandLine: string, timeoutMs: number): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  writeFile(path: string, content: string, mode: number): Promise<void>;
}

/** The records of a run, and what went wrong on the way (a waitFor that never came true). */
export interface StepsResult {
  records: CommandRecord[];
  problems: string[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs every step in order. */
export async function runSteps(scenario: Scenario, machine: StepMachine): Promise<StepsResult> {
  const records: CommandRecord[] = [];
  const problems: string[] = [];
  for (const [index, step] of scenario.steps.entries()) {
    const kind = stepKind(step);
    if (kind === 'command') {
      const { command, timeout } = commandOf(step as string | RunStep);
      const result = await machine.run(command, timeout);
      records.push({ step: index, command, stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode });
    } else if (kind === 'write') {
      const write = step as WriteStep;
      await machine.writeFile(write.write, write.content, write.mode ?? 0o644);
    } else if (kind === 'sleep') {
      await sleep((step as SleepStep).sleep);
    } else if (kind === 'waitFor') {
      const wait = step as WaitForStep;
      const deadline = Date.now() + (wait.timeout ?? DEFAULT_WAIT_TIMEOUT_MS);
      let last = '';
      for (;;) {
        const result = await machine.run(wait.waitFor, 5000);
        last = result.stdout.trim();
        if (last === wait.equals) break;
        if (Date.now() > deadline) {
          problems.push(`step ${index}: \`${wait.waitFor}\` printed "${last}", not "${wait.equals}", within ${wait.timeout ?? DEFAULT_WAIT_TIMEOUT_MS} ms`);
          break;
        }
        await sleep(100);
      }
    }
  }
  return { records, problems };
}

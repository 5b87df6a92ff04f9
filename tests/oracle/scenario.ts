/**
 * The oracle's scenario format (COMMON.md, "Oracle scenarios"): a starting state and the commands a learner types,
 * as plain data. The same scenario runs on real systemd 252 (its records become tests/oracle/golden/<id>.json) and on
 * the emulator on each kernel; the comparison is per command line: stdout, stderr, exit code.
 */

/** An emulator kernel a scenario runs on: the in-page lab's memory kernel, or the command line's Node kernel. */
export type Kernel = 'memory' | 'node';

/** A file written before the first step: its content, or its content and mode (default 0o644). */
export type ScenarioFile = string | { content: string; mode?: number };

/** A command line typed at the prompt: `sh -c` on real systemd, the emulator's shell on the emulator. */
export type CommandStep = string;

/** A command line with options: `timeout` in ms (default 10 000; a command still running then is killed). */
export interface RunStep {
  run: string;
  timeout?: number;
}

/** Replace a file between commands (parent folders are created; mode default 0o644). */
export interface WriteStep {
  write: string;
  content: string;
  mode?: number;
}

/** Wait this many milliseconds. */
export interface SleepStep {
  sleep: number;
}

/** Run `waitFor` until its trimmed stdout equals `equals` (poll, up to `timeout` ms, default 5000). Not recorded. */
export interface WaitForStep {
  waitFor: string;
  equals: string;
  timeout?: number;
}

/** One step of a scenario. */
export type Step = CommandStep | RunStep | WriteStep | SleepStep | WaitForStep;

/** A scenario: see COMMON.md for the fields. */
export interface Scenario {
  /** Unique kebab-case id; the golden file is tests/oracle/golden/<id>.json. */
  id: string;
  /** One line: what the learner does. */
  about: string;
  /** First mount labs/<lab>/files as the lab machine does. */
  lab?: string;
  /** Written before the first step, after the lab's files. Absolute paths. */
  files?: Record<string, ScenarioFile>;
  steps: Step[];
  /** Emulator kernels it runs on (default both). */
  kernels?: Kernel[];
}

/** What one command-line step printed and returned. */
export interface CommandRecord {
  /** Index of the step in `steps`. */
  step: number;
  command: string;
  stdout: string;
  stderr: string;
  exitCode: number;
  /**
   * Golden files only: normalised lines that real systemd printed in one recording run and not in the other (a
   * journal line that races the command, a restart counter), and whether the exit code differed. Not compared.
   */
  unstable?: { stdout: string[]; stderr: string[]; exitCode?: boolean };
}

/** A golden file: real systemd's records of one scenario. */
export interface GoldenFile {
  id: string;
  /** `systemctl --version` first line of the machine that recorded it. */
  systemd: string;
  records: CommandRecord[];
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Checks a scenario's shape and returns it unchanged; throws with the scenario's id and the field that is wrong. */
export function defineScenario(scenario: Scenario): Scenario {
  const where = `scenario ${JSON.stringify(scenario.id)}`;
  if (typeof scenario.id !== 'string' || !ID.test(scenario.id)) throw new Error(`${where}: id must be kebab-case (a-z, 0-9, -)`);
  if (typeof scenario.about !== 'string' || scenario.about.trim() === '') throw new Error(`${where}: about is empty`);
  if (!Array.isArray(scenario.steps) || scenario.steps.length === 0) throw new Error(`${where}: steps is empty`);
  for (const file of Object.keys(scenario.files ?? {})) {
    if (!file.startsWith('/')) throw new Error(`${where}: file ${file} is not an absolute path`);
  }
  scenario.steps.forEach((step, index) => {
    const kind = stepKind(step);
    if (kind === undefined) throw new Error(`${where}: step ${index} is not a command, run, write, sleep or waitFor step`);
    if (kind === 'write' && !(step as WriteStep).write.startsWith('/')) throw new Error(`${where}: step ${index} writes a relative path`);
  });
  for (const kernel of scenario.kernels ?? []) {
    if (kernel !== 'memory' && kernel !== 'node') throw new Error(`${where}: unknown kernel ${JSON.stringify(kernel)}`);
  }
  return scenario;
}

/** Which kind of step this is, or undefined for something that is none. */
export function stepKind(step: Step): 'command' | 'write' | 'sleep' | 'waitFor' | undefined {
  if (typeof step === 'string') return step.trim() === '' ? undefined : 'command';
  if (step === null || typeof step !== 'object') return undefined;
  if ('run' in step && typeof step.run === 'string') return 'command';
  if ('write' in step && typeof step.write === 'string' && typeof step.content === 'string') return 'write';
  if ('sleep' in step && typeof step.sleep === 'number') return 'sleep';
  if ('waitFor' in step && typeof step.waitFor === 'string' && typeof step.equals === 'string') return 'waitFor';
  return undefined;
}

/** The command line and timeout of a command step (string or `run`). */
export function commandOf(step: CommandStep | RunStep): { command: string; timeout: number } {
  if (typeof step === 'string') return { command: step, timeout: DEFAULT_COMMAND_TIMEOUT_MS };
  return { command: step.run, timeout: step.timeout ?? DEFAULT_COMMAND_TIMEOUT_MS };
}

/** The kernels a scenario runs on. */
export function kernelsOf(scenario: Scenario): Kernel[] {
  return scenario.kernels ?? ['memory', 'node'];
}

/** A file's content and mode. */
export function fileOf(file: ScenarioFile): { content: string; mode: number } {
  return typeof file === 'string' ? { content: file, mode: 0o644 } : { content: file.content, mode: file.mode ?? 0o644 };
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;
export const DEFAULT_WAIT_TIMEOUT_MS = 5_000;

/**
 * What a lab is: plain data (id, title, the lesson it belongs to, which files the learner may edit)
 * plus small goal checks over the emulated machine. A lab knows nothing about the UI; the island and
 * the tests run its checks through the same GoalContext.
 * Layout on disk: labs/<id>/lab.ts (this definition), labs/<id>/files/… (mounted at the same machine
 * paths), labs/<id>/solution/… (the solution's versions of editable files).
 */
import type { SystemSnapshot } from '../../emulator/system-events.ts';

/** What a command line printed, for checks. */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What a goal check may look at. */
export interface GoalContext {
  /** The machine's state when "Check my work" was pressed. */
  snapshot: SystemSnapshot;
  /** Runs a command line on the lab's machine (not shown in the terminal). */
  run(commandLine: string): Promise<CommandResult>;
  /** Reads a machine file; undefined when it does not exist. */
  readFile(path: string): Promise<string | undefined>;
}

/** `true` passes; `false` fails; a string fails and says why (shown next to the hint). */
export type GoalOutcome = boolean | string;

/** One task of a lab. */
export interface LabGoal {
  /** Stable id (goal state is saved under it): lowercase words joined by dashes. */
  id: string;
  /** One line telling the learner what to do. */
  task: string;
  /** Shown when the check fails. */
  hint: string;
  /** Decides whether the learner has done the task. */
  check(context: GoalContext): GoalOutcome | Promise<GoalOutcome>;
}

/** A lab as written in labs/<id>/lab.ts. */
export interface LabDefinition {
  /** The folder name under labs/. */
  id: string;
  title: string;
  /** Slug of the lesson that hosts the lab (content/lessons/<slug>.mdx); the embed page links back to it. */
  lesson: string;
  /** One or two sentences shown above the goals. */
  intro?: string;
  /** Machine paths the learner may edit (each must be one of the lab's files). */
  editable: string[];
  /** The file the editor opens first (default: the first editable file). */
  openFile?: string;
  /** The terminal's host name (prompt `root@<hostname>:~# `); default `<id>-lab`. */
  hostname?: string;
  /**
   * Why the lab needs the in-page runtime (what the WebContainer's Node kernel lacks), one sentence; the lab
   * then never tries a WebContainer and says this instead.
   */
  inPageOnly?: string;
  goals: LabGoal[];
  /**
   * Command lines that complete the lab once the solution files are in place (after "Show solution"),
   * in order; the lab tests run them and then require every goal to pass.
   */
  solutionSteps?: string[];
  /**
   * Command lines that need the starting files (a goal that watches the broken state, such as a restart
   * loop): the lab tests run them before they write the solution's files, then `solutionSteps`.
   */
  stepsBeforeSolution?: string[];
}

/** A lab with its files, as the loader assembles it. */
export interface LabBundle {
  definition: LabDefinition;
  /** Machine path → contents, from labs/<id>/files/. */
  files: Record<string, string>;
  /** Machine path → contents, from labs/<id>/solution/. */
  solution: Record<string, string>;
}

/** Declares a lab; a typed identity function so labs/<id>/lab.ts gets completion and checking. */
export function defineLab(definition: LabDefinition): LabDefinition {
  return definition;
}

/** The prompt host name of a lab. */
export function labHostname(definition: LabDefinition): string {
  return definition.hostname ?? `${definition.id}-lab`;
}

/**
 * Build-time validation of a lab bundle. Every problem is reported as
 * `lab <id>: <field>: <what is wrong and how to fix it>` so a bad lab fails the build with a message
 * that says where to look.
 */
import type { LabBundle } from './lab-definition.ts';

/** What the validator needs to know about the rest of the site. */
export interface LabValidationContext {
  /** The folder the lab was found in (labs/<folder>/). */
  folder: string;
  /** Every lesson slug of the course (content collection ids). */
  lessonSlugs: readonly string[];
}

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Returns every problem found in `bundle` (empty when the lab is valid). */
export function validateLab(bundle: LabBundle, context: LabValidationContext): string[] {
  const problems: string[] = [];
  const lab = bundle.definition as Partial<LabBundle['definition']> | undefined;
  const id = typeof lab?.id === 'string' && lab.id !== '' ? lab.id : context.folder;
  const report = (field: string, message: string) => problems.push(`lab ${id}: ${field}: ${message}`);
  if (!lab || typeof lab !== 'object') {
    report('lab.ts', `labs/${context.folder}/lab.ts must \`export default defineLab({ … })\`.`);
    return problems;
  }
  if (lab.id !== context.folder) {
    report('id', `is "${String(lab.id)}" but the folder is labs/${context.folder}/; make them the same.`);
  } else if (!ID_PATTERN.test(lab.id)) {
    report('id', `"${lab.id}" must be lowercase words joined by dashes, such as "first-socket".`);
  }
  if (typeof lab.title !== 'string' || lab.title.trim() === '') report('title', 'is empty; give the lab a title.');
  if (typeof lab.lesson !== 'string' || !context.lessonSlugs.includes(lab.lesson)) {
    const known = context.lessonSlugs.join(', ');
    report('lesson', `"${String(lab.lesson)}" is not a lesson slug; use one of: ${known}.`);
  }

  const filePaths = Object.keys(bundle.files);
  if (filePaths.length === 0) report('files', `labs/${id}/files/ holds no file; put the files to mount there.`);
  for (const path of [...filePaths, ...Object.keys(bundle.solution)]) {
    if (!path.startsWith('/')) report('files', `"${path}" is not an absolute machine path.`);
  }

  const editable = Array.isArray(lab.editable) ? lab.editable : [];
  if (!Array.isArray(lab.editable) || editable.length === 0) {
    report('editable', 'lists no file; name the machine paths the learner may edit.');
  }
  editable.forEach((path, index) => {
    if (!(path in bundle.files)) {
      report(`editable[${index}]`, `"${path}" does not exist; add it under labs/${id}/files${path} or fix the path.`);
    }
  });
  if (lab.inPageOnly !== undefined && (typeof lab.inPageOnly !== 'string' || lab.inPageOnly.trim() === '')) {
    report('inPageOnly', 'must say in one sentence why the lab needs the in-page runtime, or be left out.');
  }
  if (lab.openFile !== undefined && !(lab.openFile in bundle.files)) {
    report('openFile', `"${lab.openFile}" is not one of the lab's files.`);
  }
  for (const path of Object.keys(bundle.solution)) {
    if (!editable.includes(path)) {
      report('solution', `labs/${id}/solution${path} is not an editable file; add "${path}" to editable or remove it.`);
    }
  }
  if (Object.keys(bundle.solution).length === 0) {
    report('solution', `labs/${id}/solution/ holds no file; put the solution's versions of the editable files there.`);
  }

  const goals = Array.isArray(lab.goals) ? lab.goals : [];
  if (goals.length === 0) report('goals', 'lists no goal; give the lab 3 to 6 goals.');
  const seen = new Set<string>();
  goals.forEach((goal, index) => {
    const field = `goals[${index}]`;
    if (typeof goal.id !== 'string' || !ID_PATTERN.test(goal.id)) {
      report(`${field}.id`, `"${String(goal.id)}" must be lowercase words joined by dashes.`);
    } else if (seen.has(goal.id)) {
      report(`${field}.id`, `"${goal.id}" is used by another goal; goal ids must be unique.`);
    } else seen.add(goal.id);
    if (typeof goal.task !== 'string' || goal.task.trim() === '') report(`${field}.task`, 'is empty; say what to do.');
    else if (goal.task.includes('\n')) report(`${field}.task`, 'must be one line.');
    if (typeof goal.hint !== 'string' || goal.hint.trim() === '') {
      report(`${field}.hint`, 'is missing; every goal needs a hint shown when its check fails.');
    }
    if (typeof goal.check !== 'function') report(`${field}.check`, 'must be a function (context) => boolean | string.');
  });
  return problems;
}

/** Throws one Error listing every problem of every lab; does nothing when all labs are valid. */
export function assertLabsValid(problems: readonly string[]): void {
  if (problems.length === 0) return;
  throw new Error(`Invalid lab definition:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
}

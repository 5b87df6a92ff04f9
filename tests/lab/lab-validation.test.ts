import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import type { LabBundle, LabGoal } from '../../src/lab/definition/lab-definition.ts';
import { assertLabsValid, validateLab } from '../../src/lab/definition/validate-lab.ts';
import { labIds, loadLab } from '../../src/lab/definition/lab-catalog.ts';

const lessonSlugs = readdirSync(new URL('../../content/lessons/', import.meta.url))
  .filter((name) => name.endsWith('.mdx'))
  .map((name) => name.replace(/\.mdx$/, ''));

const goal = (overrides: Partial<LabGoal> = {}): LabGoal => ({
  id: 'listens',
  task: 'Make it listen.',
  hint: 'Add ListenStream=.',
  check: () => true,
  ...overrides,
});

/** A valid bundle; each test breaks one thing. */
function goodBundle(): LabBundle {
  return {
    definition: {
      id: 'demo',
      title: 'Demo',
      lesson: 'socket-and-service-units',
      editable: ['/etc/systemd/system/demo.socket'],
      goals: [goal()],
    },
    files: { '/etc/systemd/system/demo.socket': '[Socket]\n', '/opt/demo/demo': '#!/usr/bin/env node\n' },
    solution: { '/etc/systemd/system/demo.socket': '[Socket]\nListenStream=1\n' },
  };
}

const validate = (bundle: LabBundle) =>
  validateLab(bundle, { folder: 'demo', lessonSlugs: ['socket-and-service-units', 'the-problem'] });

describe('lab validation', () => {
  it('accepts a valid lab', () => {
    expect(validate(goodBundle())).toEqual([]);
  });

  it('rejects a goal without a hint, naming the lab and the field', () => {
    const bundle = goodBundle();
    bundle.definition.goals = [goal(), goal({ id: 'second', hint: '  ' })];
    expect(validate(bundle)).toEqual([
      'lab demo: goals[1].hint: is missing; every goal needs a hint shown when its check fails.',
    ]);
  });

  it('rejects an editable file that does not exist', () => {
    const bundle = goodBundle();
    bundle.definition.editable.push('/etc/systemd/system/demo.service');
    expect(validate(bundle)).toEqual([
      'lab demo: editable[1]: "/etc/systemd/system/demo.service" does not exist; add it under labs/demo/files/etc/systemd/system/demo.service or fix the path.',
    ]);
  });

  it('rejects a solution file that is not editable', () => {
    const bundle = goodBundle();
    bundle.solution['/opt/demo/demo'] = 'changed';
    expect(validate(bundle)).toEqual([
      'lab demo: solution: labs/demo/solution/opt/demo/demo is not an editable file; add "/opt/demo/demo" to editable or remove it.',
    ]);
  });

  it('rejects an empty inPageOnly reason and accepts a sentence', () => {
    const bundle = goodBundle();
    bundle.definition.inPageOnly = ' ';
    expect(validate(bundle)).toEqual(['lab demo: inPageOnly: must say in one sentence why the lab needs the in-page runtime, or be left out.']);
    bundle.definition.inPageOnly = 'user managers exist in the in-page runtime only.';
    expect(validate(bundle)).toEqual([]);
  });

  it('rejects a lesson slug that does not exist', () => {
    const bundle = goodBundle();
    bundle.definition.lesson = 'no-such-lesson';
    const [problem] = validate(bundle);
    expect(problem).toMatch(/^lab demo: lesson: "no-such-lesson" is not a lesson slug; use one of: socket-and-service-units, the-problem\.$/);
  });

  it('rejects an id that differs from its folder, duplicate goal ids, multi-line tasks and missing checks', () => {
    const bundle = goodBundle();
    bundle.definition.id = 'other';
    bundle.definition.goals = [
      goal(),
      goal({ task: 'two\nlines' }),
      { ...goal({ id: 'third' }), check: undefined as unknown as LabGoal['check'] },
    ];
    const problems = validate(bundle);
    expect(problems).toContain('lab other: id: is "other" but the folder is labs/demo/; make them the same.');
    expect(problems).toContain('lab other: goals[1].id: "listens" is used by another goal; goal ids must be unique.');
    expect(problems).toContain('lab other: goals[1].task: must be one line.');
    expect(problems).toContain('lab other: goals[2].check: must be a function (context) => boolean | string.');
  });

  it('rejects a lab with no goals, no files and no solution', () => {
    const bundle = goodBundle();
    bundle.definition.goals = [];
    bundle.definition.editable = [];
    bundle.files = {};
    bundle.solution = {};
    expect(validate(bundle)).toEqual([
      'lab demo: files: labs/demo/files/ holds no file; put the files to mount there.',
      'lab demo: editable: lists no file; name the machine paths the learner may edit.',
      "lab demo: solution: labs/demo/solution/ holds no file; put the solution's versions of the editable files there.",
      'lab demo: goals: lists no goal; give the lab 3 to 6 goals.',
    ]);
  });

  it('assertLabsValid throws one error listing every problem', () => {
    expect(() => assertLabsValid(['lab a: title: is empty; give the lab a title.'])).toThrow(
      /Invalid lab definition:\n {2}- lab a: title: is empty/,
    );
    expect(() => assertLabsValid([])).not.toThrow();
  });
});

describe('the labs in labs/', () => {
  it('finds myapp and every lab is valid against the real lessons', async () => {
    expect(labIds()).toContain('myapp');
    for (const id of labIds()) {
      const bundle = await loadLab(id);
      expect(validateLab(bundle, { folder: id, lessonSlugs }), id).toEqual([]);
    }
  });

  it('loads myapp files at their machine paths', async () => {
    const { files, solution } = await loadLab('myapp');
    expect(Object.keys(files).sort()).toEqual([
      '/etc/systemd/system/myapp.service',
      '/etc/systemd/system/myapp.socket',
      '/opt/myapp/myapp',
    ]);
    expect(solution['/etc/systemd/system/myapp.socket']).toContain('ListenStream=8080');
  });
});

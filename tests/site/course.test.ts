import { describe, expect, it } from 'vitest';
import {
  buildCourse,
  checkCourse,
  entryPath,
  groupByChapter,
  neighbours,
  publishedEntries,
  sortCourse,
  type CourseEntry,
} from '../../src/site/course.ts';

function entry(slug: string, order: number, extra: Partial<CourseEntry> = {}): CourseEntry {
  return {
    slug,
    order,
    kind: 'lesson',
    title: slug,
    description: `about ${slug}`,
    labs: [],
    draft: false,
    filePath: `content/lessons/${slug}.mdx`,
    ...extra,
  };
}

describe('ordering', () => {
  it('sorts by order, not by file name or input order', () => {
    const sorted = sortCourse([entry('zeta', 1), entry('faq', 100, { kind: 'faq' }), entry('alpha', 2)]);
    expect(sorted.map((e) => e.slug)).toEqual(['zeta', 'alpha', 'faq']);
  });
  it('numbers lessons 1, 2, 3 and leaves the FAQ unnumbered', () => {
    const course = buildCourse([entry('b', 20), entry('a', 10), entry('faq', 100, { kind: 'faq' }), entry('c', 30)]);
    expect(course.map((e) => [e.slug, e.number])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['faq', undefined],
    ]);
  });
  it('rejects two entries with the same order, naming both files', () => {
    expect(() => checkCourse([entry('one', 3), entry('two', 3)])).toThrow(
      /content\/lessons\/two\.mdx and content\/lessons\/one\.mdx both have order: 3/,
    );
  });
  it('rejects a second FAQ', () => {
    expect(() => checkCourse([entry('faq', 1, { kind: 'faq' }), entry('faq2', 2, { kind: 'faq' })])).toThrow(
      /More than one FAQ page/,
    );
  });
  it('drops drafts unless asked to keep them', () => {
    const entries = [entry('a', 1), entry('b', 2, { draft: true })];
    expect(publishedEntries(entries, false).map((e) => e.slug)).toEqual(['a']);
    expect(publishedEntries(entries, true).map((e) => e.slug)).toEqual(['a', 'b']);
  });
});

describe('prev/next', () => {
  const course = buildCourse([entry('a', 1), entry('b', 2), entry('faq', 3, { kind: 'faq' })]);
  it('has no previous on the first page', () => {
    const { prev, next } = neighbours(course, 'a');
    expect(prev).toBeUndefined();
    expect(next?.slug).toBe('b');
  });
  it('links the middle page both ways', () => {
    const { prev, next } = neighbours(course, 'b');
    expect([prev?.slug, next?.slug]).toEqual(['a', 'faq']);
  });
  it('has no next on the last page (the FAQ)', () => {
    const { prev, next } = neighbours(course, 'faq');
    expect(prev?.slug).toBe('b');
    expect(next).toBeUndefined();
  });
  it('throws for an unknown slug', () => {
    expect(() => neighbours(course, 'nope')).toThrow(/No course entry with slug "nope"/);
  });
});

describe('paths and chapters', () => {
  it('puts lessons under /lessons/ and the FAQ at /faq/', () => {
    expect(entryPath({ slug: 'accept-yes', kind: 'lesson' })).toBe('/lessons/accept-yes/');
    expect(entryPath({ slug: 'faq', kind: 'faq' })).toBe('/faq/');
  });
  it('groups consecutive entries by chapter', () => {
    const groups = groupByChapter([
      entry('a', 1, { chapter: 'One' }),
      entry('b', 2, { chapter: 'One' }),
      entry('c', 3, { chapter: 'Two' }),
      entry('d', 4),
    ]);
    expect(groups.map((g) => [g.chapter, g.entries.map((e) => e.slug)])).toEqual([
      ['One', ['a', 'b']],
      ['Two', ['c']],
      [undefined, ['d']],
    ]);
  });
});

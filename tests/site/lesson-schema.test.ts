import { readFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { parseFrontmatter } from 'astro/markdown';
import { describe, expect, it } from 'vitest';
import { validateFrontmatter } from '../../src/site/lesson-schema.ts';
import { slugFromEntry } from '../../src/site/content-loader.ts';
import { buildCourse } from '../../src/site/course.ts';

async function frontmatterOf(file: string): Promise<Record<string, unknown>> {
  return parseFrontmatter(await readFile(file, 'utf8')).frontmatter;
}

describe('frontmatter schema errors', () => {
  it('name the file and every bad field', async () => {
    const file = 'tests/site/fixtures/bad-frontmatter.mdx';
    const data = await frontmatterOf(file);
    let message = '';
    try {
      validateFrontmatter(data, file);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('tests/site/fixtures/bad-frontmatter.mdx');
    expect(message).toMatch(/description:/);
    expect(message).toMatch(/order:/);
    expect(message).toMatch(/labs\.0:.*labs\/ folder name/);
  });

  it('fill in defaults for a valid file', async () => {
    const data = validateFrontmatter(await frontmatterOf('tests/site/fixtures/good-frontmatter.mdx'), 'good.mdx');
    expect(data).toMatchObject({ order: 3, kind: 'lesson', labs: [], draft: false });
  });
});

describe('the course content in content/', () => {
  const files = [
    ...readdirSync('content/lessons')
      .filter((name) => name.endsWith('.mdx'))
      .map((name) => `content/lessons/${name}`),
    'content/faq.mdx',
  ];

  it('validates, and its order gives the lessons of the course outline, then the FAQ', async () => {
    const entries = await Promise.all(
      files.map(async (filePath) => ({
        ...validateFrontmatter(await frontmatterOf(filePath), filePath),
        slug: slugFromEntry(filePath),
        filePath,
      })),
    );
    const course = buildCourse(entries);
    expect(course.map((entry) => [entry.number, entry.slug])).toEqual([
      [1, 'the-problem'],
      [2, 'socket-and-service-units'],
      [3, 'fd-inheritance'],
      [4, 'accept-yes'],
      [5, 'other-socket-types'],
      [6, 'dependencies-and-limits'],
      [7, 'stopping-and-debugging'],
      [8, 'sshd'],
      [9, 'dbus'],
      [10, 'docker'],
      [11, 'cups'],
      [12, 'writing-a-service'],
      [13, 'socket-proxyd'],
      [14, 'security'],
      [15, 'user-units'],
      [undefined, 'faq'],
    ]);
    expect(course.at(-1)?.kind).toBe('faq');
  });

  it('teaches LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES in the fd-inheritance lesson', async () => {
    const text = await readFile('content/lessons/fd-inheritance.mdx', 'utf8');
    for (const name of ['LISTEN_FDS', 'LISTEN_PID', 'LISTEN_FDNAMES']) expect(text).toContain(name);
  });
});

describe('slugFromEntry', () => {
  it('uses the file name without folder and extension', () => {
    expect(slugFromEntry('lessons/accept-yes.mdx')).toBe('accept-yes');
    expect(slugFromEntry('faq.mdx')).toBe('faq');
  });
});

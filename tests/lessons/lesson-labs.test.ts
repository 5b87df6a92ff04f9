/**
 * Every lesson's `labs:` frontmatter names labs that exist and point back to that lesson, so the page
 * hosts its lab and the lab's embed page links to the right lesson.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { labIds, loadLabDefinition } from '../../src/lab/definition/lab-catalog.ts';

const lessonsDir = new URL('../../content/lessons/', import.meta.url);
const lessons = readdirSync(lessonsDir)
  .filter((name) => name.endsWith('.mdx'))
  .map((name) => {
    const text = readFileSync(new URL(name, lessonsDir), 'utf8');
    const frontmatter = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
    const labs = /^labs:\s*\[(.*)\]\s*$/m.exec(frontmatter)?.[1] ?? '';
    return { slug: name.replace(/\.mdx$/, ''), labs: labs.split(',').map((id) => id.trim()).filter(Boolean) };
  });

describe.each(lessons.filter((lesson) => lesson.labs.length > 0))('lesson $slug', ({ slug, labs }) => {
  it('hosts labs that exist and belong to it', async () => {
    for (const id of labs) {
      expect(labIds(), `content/lessons/${slug}.mdx lists lab "${id}", but labs/${id}/lab.ts does not exist`).toContain(id);
      const definition = await loadLabDefinition(id);
      expect(definition.lesson, `labs/${id}/lab.ts says lesson "${definition.lesson}", but content/lessons/${slug}.mdx hosts it`).toBe(slug);
    }
  });
});


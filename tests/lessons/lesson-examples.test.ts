/**
 * A code block with `example="NAME"` in content/lessons/<slug>.mdx shows content/examples/<slug>/NAME exactly:
 * those files are what the oracle's scenarios run on real systemd (tests/oracle/lesson-examples.ts), so the
 * code on the page is the code that was run.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const lessonsDir = new URL('../../content/lessons/', import.meta.url);
const examplesDir = new URL('../../content/examples/', import.meta.url);

/** Every fenced block with an example="…" attribute: its name and text. */
function exampleBlocks(text: string): Array<{ name: string; body: string }> {
  const blocks: Array<{ name: string; body: string }> = [];
  for (const match of text.matchAll(/^```[^\n]*\bexample="([^"]+)"[^\n]*\n([\s\S]*?)^```$/gm)) {
    blocks.push({ name: match[1], body: match[2] });
  }
  return blocks;
}

const lessons = readdirSync(lessonsDir).filter((name) => name.endsWith('.mdx')).map((name) => ({
  slug: name.replace(/\.mdx$/, ''),
  blocks: exampleBlocks(readFileSync(new URL(name, lessonsDir), 'utf8')),
}));

describe.each(lessons.filter((lesson) => lesson.blocks.length > 0))('lesson $slug', ({ slug, blocks }) => {
  it.each(blocks)('shows content/examples/' + slug + '/$name as it is', ({ name, body }) => {
    const file = new URL(`${slug}/${name}`, examplesDir);
    expect(existsSync(file), `content/lessons/${slug}.mdx shows example="${name}", but content/examples/${slug}/${name} does not exist`).toBe(true);
    expect(body, `the block example="${name}" in content/lessons/${slug}.mdx differs from content/examples/${slug}/${name}`).toBe(readFileSync(file, 'utf8'));
  });
});

describe('examples', () => {
  it('every example file is shown by its lesson', () => {
    for (const slug of readdirSync(examplesDir)) {
      const shown = new Set(lessons.find((lesson) => lesson.slug === slug)?.blocks.map((block) => block.name));
      for (const name of readdirSync(new URL(`${slug}/`, examplesDir))) {
        expect(shown.has(name), `content/examples/${slug}/${name} is not shown in content/lessons/${slug}.mdx`).toBe(true);
      }
    }
  });
});

/**
 * The content loader for the course: Astro's glob loader over content/ (lessons in
 * content/lessons/*.mdx, the FAQ in content/faq.mdx), ids from the file name, and frontmatter
 * errors that name the file and the field before Astro's own schema check runs.
 */
import { relative } from 'node:path';
import type { Loader } from 'astro/loaders';
import { glob } from 'astro/loaders';
import { validateFrontmatter } from './lesson-schema.ts';

/** The slug of a content file: its name without folder or extension (`lessons/accept-yes.mdx` → `accept-yes`). */
export function slugFromEntry(entry: string): string {
  const name = entry.split('/').at(-1) ?? entry;
  return name.replace(/\.mdx?$/, '');
}

/** A glob loader over `content/` whose schema errors start with the file path. */
export function courseLoader(): Loader {
  const inner = glob({
    base: './content',
    pattern: ['lessons/*.mdx', 'faq.mdx'],
    generateId: ({ entry }) => slugFromEntry(entry),
  });
  return {
    name: 'course-loader',
    load: (context) =>
      inner.load({
        ...context,
        parseData: async (props) => {
          const file = props.filePath ? relative(process.cwd(), props.filePath) : `entry "${props.id}"`;
          validateFrontmatter(props.data, file);
          return context.parseData(props);
        },
      }),
  };
}

/**
 * Content collections. `course` holds every lesson and the FAQ; their order, titles, chapters
 * and labs come from this frontmatter and nowhere else (see src/site/lesson-schema.ts).
 */
import { defineCollection } from 'astro:content';
import { courseLoader } from './site/content-loader.ts';
import { lessonSchema } from './site/lesson-schema.ts';

export const collections = {
  course: defineCollection({ loader: courseLoader(), schema: lessonSchema }),
};

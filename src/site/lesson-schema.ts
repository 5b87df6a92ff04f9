/**
 * The frontmatter schema of a course page (content/lessons/*.mdx, content/faq.mdx),
 * and validation whose errors name the file and the field to fix.
 */
import { z } from 'astro/zod';

/** Lab ids are folder names under labs/: lowercase words joined by dashes. */
const labId = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a lab id is a labs/ folder name such as "first-socket"');

/** Zod schema for the frontmatter of every course page. */
export const lessonSchema = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
  order: z.number().int().nonnegative(),
  chapter: z.string().min(1).optional(),
  kind: z.enum(['lesson', 'faq']).default('lesson'),
  labs: z.array(labId).default([]),
  draft: z.boolean().default(false),
});

/** Frontmatter after validation and defaults. */
export type LessonFrontmatter = z.infer<typeof lessonSchema>;

/** Formats zod issues as one message that starts with the file and lists each bad field. */
export function formatSchemaError(filePath: string, issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(frontmatter)';
    return `  - ${field}: ${issue.message}`;
  });
  return `${filePath}: invalid frontmatter\n${lines.join('\n')}\nFix the frontmatter at the top of ${filePath}.`;
}

/** Validates `data` against the schema; throws an Error whose message names `filePath` and each bad field. */
export function validateFrontmatter(data: unknown, filePath: string): LessonFrontmatter {
  const result = lessonSchema.safeParse(data);
  if (!result.success) throw new Error(formatSchemaError(filePath, result.error.issues));
  return result.data;
}

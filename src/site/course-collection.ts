/**
 * Reads the `course` content collection into navigation data (Astro-only: uses astro:content).
 */
import { getCollection, type CollectionEntry } from 'astro:content';
import { buildCourse, entryPath, publishedEntries, type CourseEntry, type NumberedEntry } from './course.ts';
import { withBase } from './links.ts';

/** A course page: navigation data plus the collection entry to render. */
export type CoursePage = NumberedEntry & { entry: CollectionEntry<'course'> };

/** Every published course page in order (drafts only in `astro dev`), numbered. */
export async function getCourse(): Promise<CoursePage[]> {
  const entries = await getCollection('course');
  const pages = entries.map((entry) => ({
    ...toCourseEntry(entry),
    entry,
  }));
  return buildCourse(publishedEntries(pages, import.meta.env.DEV));
}

/**
 * Static paths of one lesson route: the lessons with labs, or those without (two routes, so that only
 * lesson pages with a lab import the lab island). Each page gets the whole course for navigation.
 */
export async function lessonStaticPaths<Param extends string>(param: Param, withLabs: boolean) {
  const pages = await getCourse();
  return pages
    .filter((page) => page.kind === 'lesson' && page.labs.length > 0 === withLabs)
    .map((page) => ({ params: { [param]: page.slug } as Record<Param, string>, props: { page, pages } }));
}

/** The URL of a course page including the base path. */
export function pageUrl(page: Pick<CourseEntry, 'slug' | 'kind'>): string {
  return withBase(import.meta.env.BASE_URL, entryPath(page));
}

/** A URL inside the site (`/` → the landing page) including the base path. */
export function siteUrl(path: string): string {
  return withBase(import.meta.env.BASE_URL, path);
}

function toCourseEntry(entry: CollectionEntry<'course'>): CourseEntry {
  return { slug: entry.id, ...entry.data, filePath: entry.filePath };
}

/**
 * The course outline as plain data: ordering, numbering, chapters and prev/next.
 * Everything here is derived from the content collection's frontmatter and nothing else.
 */

/** What a page of the course is: a numbered lesson or the FAQ. */
export type CourseKind = 'lesson' | 'faq';

/** One page of the course, as the navigation needs it. */
export interface CourseEntry {
  /** The collection id, also the URL slug (`fd-inheritance`). */
  slug: string;
  kind: CourseKind;
  title: string;
  description: string;
  order: number;
  chapter?: string | undefined;
  labs: string[];
  draft: boolean;
  /** Source file, for error messages (`content/lessons/fd-inheritance.mdx`). */
  filePath?: string | undefined;
}

/** A course entry with its position: 1-based lesson number (FAQ has none). */
export interface NumberedEntry extends CourseEntry {
  number: number | undefined;
}

/** Sorts entries by `order`, then slug, without mutating the input. */
export function sortCourse<T extends CourseEntry>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
}

/** Drops drafts unless `includeDrafts` is set (the dev server shows them). */
export function publishedEntries<T extends CourseEntry>(entries: readonly T[], includeDrafts: boolean): T[] {
  return includeDrafts ? [...entries] : entries.filter((entry) => !entry.draft);
}

/** Throws an error naming the files when two entries share an `order` or there is more than one FAQ. */
export function checkCourse(entries: readonly CourseEntry[]): void {
  const byOrder = new Map<number, CourseEntry>();
  for (const entry of entries) {
    const clash = byOrder.get(entry.order);
    if (clash) {
      throw new Error(
        `${describe(entry)} and ${describe(clash)} both have order: ${entry.order}. ` +
          'Give every lesson a distinct order in its frontmatter.',
      );
    }
    byOrder.set(entry.order, entry);
  }
  const faqs = entries.filter((entry) => entry.kind === 'faq');
  if (faqs.length > 1) {
    throw new Error(`More than one FAQ page: ${faqs.map(describe).join(', ')}. Keep kind: faq on one file only.`);
  }
}

/** Sorts, checks and numbers the entries: lessons get 1, 2, 3…; the FAQ gets no number. */
export function buildCourse<T extends CourseEntry>(entries: readonly T[]): (T & NumberedEntry)[] {
  checkCourse(entries);
  let lessonNumber = 0;
  return sortCourse(entries).map((entry) => ({
    ...entry,
    number: entry.kind === 'lesson' ? ++lessonNumber : undefined,
  }));
}

/** The entries before and after `slug` in course order (undefined at either end). */
export function neighbours<T extends CourseEntry>(
  ordered: readonly T[],
  slug: string,
): { prev: T | undefined; next: T | undefined } {
  const index = ordered.findIndex((entry) => entry.slug === slug);
  if (index === -1) throw new Error(`No course entry with slug "${slug}".`);
  return { prev: ordered[index - 1], next: ordered[index + 1] };
}

/** The root-relative URL path of an entry, without base: `/lessons/<slug>/` or `/faq/`. */
export function entryPath(entry: Pick<CourseEntry, 'slug' | 'kind'>): string {
  return entry.kind === 'faq' ? '/faq/' : `/lessons/${entry.slug}/`;
}

/** A chapter heading and the consecutive entries under it (entries without a chapter form an untitled group). */
export interface ChapterGroup<T> {
  chapter: string | undefined;
  entries: T[];
}

/** Groups ordered entries into runs that share a chapter, keeping course order. */
export function groupByChapter<T extends CourseEntry>(ordered: readonly T[]): ChapterGroup<T>[] {
  const groups: ChapterGroup<T>[] = [];
  for (const entry of ordered) {
    const last = groups.at(-1);
    if (last && last.chapter === entry.chapter) last.entries.push(entry);
    else groups.push({ chapter: entry.chapter, entries: [entry] });
  }
  return groups;
}

function describe(entry: CourseEntry): string {
  return entry.filePath ?? `"${entry.slug}"`;
}

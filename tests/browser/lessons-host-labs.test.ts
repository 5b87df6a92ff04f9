/**
 * Every lesson page hosts the labs its frontmatter lists (`labs: [id]`), each with its "Start lab"
 * button, and lesson 1 shows its build-time boot chart as an image with an accessible name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, siteUrl } from './browser-harness.ts';

const LESSONS_DIR = join(import.meta.dirname, '../../content/lessons');

/** [slug, lab ids] of every lesson that lists labs in its frontmatter. */
const lessonsWithLabs = readdirSync(LESSONS_DIR)
  .filter((name) => name.endsWith('.mdx'))
  .map((name) => {
    const frontmatter = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(LESSONS_DIR, name), 'utf8'))?.[1] ?? '';
    const labs = /^labs:\s*\[([^\]]*)\]/m.exec(frontmatter)?.[1] ?? '';
    return [name.replace(/\.mdx$/, ''), labs.split(',').map((id) => id.trim()).filter(Boolean)] as const;
  })
  .filter(([, labs]) => labs.length > 0);

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
});

describe('lesson pages host their labs', () => {
  it('there are lessons with labs to check', () => {
    expect(lessonsWithLabs.length).toBeGreaterThanOrEqual(5);
  });

  it.each(lessonsWithLabs)('lessons/%s/ hosts %j', async (slug, labs) => {
    await page.goto(siteUrl(`lessons/${slug}/`));
    for (const id of labs) {
      const lab = page.locator(`.lab[data-lab="${id}"]`);
      await expect(lab.count()).resolves.toBe(1);
      await expect(lab.getByRole('button', { name: 'Start lab' }).count()).resolves.toBe(1);
    }
  });

  it('lesson 1 shows the boot chart as an image with an accessible name and its numbers in a table', async () => {
    await page.goto(siteUrl('lessons/the-problem/'));
    const chart = page.getByRole('img', { name: 'When each service could first accept a connection, with and without socket activation' });
    await expect(chart.count()).resolves.toBe(1);
    await expect(page.locator('.boot-chart table tbody tr').count()).resolves.toBeGreaterThanOrEqual(20);
  });
});

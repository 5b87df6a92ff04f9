/**
 * The lab terminal draws every glyph whole at ordinary pixel ratios and browser zoom levels: an
 * underscore (LISTEN_FDS) must not be clipped off the bottom of its row. Measured on a screenshot:
 * the row that shows only "___" must have the underscores' ink in it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, siteUrl } from './browser-harness.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Pixels of `png` brighter than the terminal's background (decoded in the page's own canvas). */
async function inkPixels(page: Page, png: Buffer): Promise<{ ink: number; width: number; height: number }> {
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d canvas');
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, image.width, image.height);
    let ink = 0;
    for (let index = 0; index < data.length; index += 4) {
      if (data[index] + data[index + 1] + data[index + 2] > 3 * 100) ink++;
    }
    return { ink, width: image.width, height: image.height };
  }, png.toString('base64'));
}

describe('terminal glyphs', () => {
  // Device pixel ratios: an ordinary screen, browser zoom 90 %, 110 %, 125 % and 150 % (zoom changes the ratio), a HiDPI screen.
  for (const ratio of [0.9, 1, 1.1, 1.25, 1.5, 2]) {
    it(`underscores are visible at device pixel ratio ${ratio}`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: ratio });
      const page = await context.newPage();
      await page.addInitScript(() => {
        localStorage.setItem('sa-course:lab:myapp', JSON.stringify({ files: {}, goals: {}, history: [], runtime: 'in-page' }));
      });
      await page.goto(siteUrl('lessons/socket-and-service-units/'));
      await page.getByRole('button', { name: 'Start lab' }).click();
      await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 30_000 });
      await page.getByRole('region', { name: 'Terminal' }).click();
      await page.keyboard.type('echo ___\n');
      const row = page.locator('.lab-terminal .xterm-rows > div').filter({ hasText: /^_{3}\s*$/ });
      await row.waitFor({ timeout: 15_000 });
      const { ink, width, height } = await inkPixels(page, await row.screenshot());
      // Three underscores are a line about three cells (3 × 8.4 CSS px at 14 px) wide: at least half of it must be drawn.
      expect(ink, `${ink} bright pixels in the ${width}×${height} row image`).toBeGreaterThanOrEqual(Math.floor(3 * 8 * ratio * 0.5));
      await context.close();
    });
  }
});

import { markdownToHtml } from 'satteri';
import { describe, expect, it } from 'vitest';
import { baseLinksPlugin, headingAnchorsPlugin } from '../../src/site/markdown-plugins.ts';

async function render(markdown: string, base = '/'): Promise<string> {
  // Sätteri returns a promise only when a plugin is async; Promise.resolve covers both.
  const { html } = await Promise.resolve(
    markdownToHtml(markdown, { hastPlugins: [headingAnchorsPlugin(), baseLinksPlugin(base)] as never }),
  );
  return html;
}

describe('heading anchors', () => {
  it('gives each heading an id and a link to it, outside the heading text', async () => {
    const html = await render('## Try it now\n\ntext\n\n### Try it now\n');
    expect(html).toContain('<div class="heading-wrapper level-h2"><h2 id="try-it-now">Try it now</h2><a class="heading-anchor" href="#try-it-now"');
    expect(html).toContain('<h3 id="try-it-now-1">');
    expect(html).toContain('Section titled “Try it now”');
  });
});

describe('base links in Markdown', () => {
  it('prefixes root-relative links and images with the base path', async () => {
    const html = await render(
      '[fd](/lessons/fd-inheritance/) [ext](https://systemd.io/) [rel](../faq/) [hash](#x) ![logo](/favicon.svg)',
      '/training/socket-activation/',
    );
    expect(html).toContain('href="/training/socket-activation/lessons/fd-inheritance/"');
    expect(html).toContain('href="https://systemd.io/"');
    expect(html).toContain('href="../faq/"');
    expect(html).toContain('href="#x"');
    expect(html).toContain('src="/training/socket-activation/favicon.svg"');
  });
  it('leaves links alone under base /', async () => {
    expect(await render('[fd](/lessons/fd-inheritance/)')).toContain('href="/lessons/fd-inheritance/"');
  });
});

/**
 * The course's Astro integration: wires the Markdown plugins, makes the dev server send the
 * headers of public/_headers, and after a build writes dist/_headers with the base path applied
 * (checking that the CSP still allows the theme script).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import type { Plugin } from 'vite';
import { scriptHashSource } from './csp.ts';
import {
  allowInlineStylesForDev,
  headersForPath,
  parseHeadersFile,
  rebaseRules,
  serializeHeaders,
} from './headers.ts';
import { normalizeBase } from './links.ts';
import { baseLinksPlugin, headingAnchorsPlugin, scrollableTablesPlugin } from './markdown-plugins.ts';
import { THEME_INIT_SCRIPT } from './theme-script.ts';

/** The preamble written at the top of dist/_headers. */
const GENERATED_NOTE =
  '# Generated from public/_headers by src/site/integration.ts with the base path applied. Edit that file instead.\n\n';

/** Throws unless every Content-Security-Policy in `headersText` allows the theme script's hash. */
export function assertThemeHashAllowed(headersText: string, source = 'public/_headers'): void {
  const hash = scriptHashSource(THEME_INIT_SCRIPT);
  for (const rule of parseHeadersFile(headersText)) {
    for (const [name, value] of rule.headers) {
      if (name.toLowerCase() === 'content-security-policy' && !value.includes(hash)) {
        throw new Error(
          `${source}: the Content-Security-Policy of "${rule.pattern}" lacks the theme script hash ${hash}. ` +
            'Put that hash in script-src (the script is src/site/theme-script.ts).',
        );
      }
    }
  }
}

/**
 * Vite plugin: the dev server sends the headers public/_headers gives each path (re-read per request),
 * with one difference: style-src also allows inline styles, because Vite injects CSS as <style> elements.
 */
function devHeadersPlugin(headersFile: URL, base: string): Plugin {
  return {
    name: 'course-dev-headers',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        readFile(headersFile, 'utf8')
          .then((text) => {
            const rules = rebaseRules(parseHeadersFile(text), base);
            const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
            for (const [name, value] of headersForPath(rules, pathname)) {
              const devValue = name.toLowerCase() === 'content-security-policy' ? allowInlineStylesForDev(value) : value;
              response.setHeader(name, devValue);
            }
          })
          .catch((error: unknown) => server.config.logger.error(`course-dev-headers: ${String(error)}`))
          .finally(() => next());
      });
    },
  };
}

/** The Astro integration for this course site. */
export function courseSite(): AstroIntegration {
  let base = '/';
  let publicDir: URL | undefined;
  return {
    name: 'course-site',
    hooks: {
      'astro:config:setup': ({ config, updateConfig }) => {
        base = normalizeBase(config.base);
        publicDir = config.publicDir;
        const processor = config.markdown.processor as { name: string; options: { hastPlugins?: unknown[] } };
        if (processor.name !== 'satteri' || !Array.isArray(processor.options.hastPlugins)) {
          throw new Error(
            `course-site: expected Astro's default Sätteri Markdown processor, got "${processor.name}". ` +
              'Port src/site/markdown-plugins.ts to that processor or remove markdown.processor from astro.config.mjs.',
          );
        }
        processor.options.hastPlugins.push(() => headingAnchorsPlugin(), () => baseLinksPlugin(base), () => scrollableTablesPlugin());
        updateConfig({ vite: { plugins: [devHeadersPlugin(new URL('_headers', config.publicDir), base)] } });
      },
      'astro:build:done': async ({ dir }) => {
        const target = new URL('_headers', dir);
        const text = await readFile(target, 'utf8');
        assertThemeHashAllowed(text, publicDir ? fileURLToPath(new URL('_headers', publicDir)) : undefined);
        await writeFile(target, serializeHeaders(rebaseRules(parseHeadersFile(text), base), GENERATED_NOTE));
      },
    },
  };
}

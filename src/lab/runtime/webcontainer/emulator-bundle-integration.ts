/**
 * Astro integration: every site build ships the emulator bundle the WebContainer runtime mounts
 * (src/emulator/cli/build-bundle.ts) at <outDir>/webcontainer/, next to the pages that fetch it from
 * <base>webcontainer/. The dev server gets it in public/webcontainer/ (not committed). esbuild bundles
 * from this repository only, so the build needs no network.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { buildEmulatorBundle } from '../../../emulator/cli/build-bundle.ts';

/** The folder, under the site's root, the bundle is served from. */
export const BUNDLE_FOLDER = 'webcontainer';

/** The integration (add it to astro.config.mjs's integrations). */
export function emulatorBundle(): AstroIntegration {
  return {
    name: 'emulator-bundle',
    hooks: {
      'astro:config:setup': async ({ command, config, logger }) => {
        if (command !== 'dev') return;
        const outDir = path.join(fileURLToPath(config.publicDir), BUNDLE_FOLDER);
        await buildEmulatorBundle(outDir);
        logger.info(`emulator bundle for WebContainer labs written to ${outDir}`);
      },
      'astro:build:done': async ({ dir, logger }) => {
        const outDir = path.join(fileURLToPath(dir), BUNDLE_FOLDER);
        const files = await buildEmulatorBundle(outDir);
        logger.info(`emulator bundle for WebContainer labs: ${files.length} files in ${outDir}`);
      },
    },
  };
}

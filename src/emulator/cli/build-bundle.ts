/**
 * `npm run build:emulator-bundle [OUTDIR]`: the emulator CLI + Node kernel as one Node ESM file for the
 * WebContainer runtime (mounted as is; nothing is installed in the container). The site build makes it too
 * (src/lab/runtime/webcontainer/emulator-bundle-integration.ts writes it into dist/webcontainer/).
 * Layout of OUTDIR (default public/webcontainer):
 *   emulator.mjs                                   `node emulator.mjs daemon --root machine --shim`, `node emulator.mjs systemctl …`
 *   service-runtime/listen-fds-shim.cjs            preloaded into Node services
 *   service-runtime/modules/sd-daemon/index.cjs    `require('sd-daemon')` for services (core bundled in)
 *   service-runtime/modules/sd-daemon/package.json its "main", without which require() finds no index.cjs
 * Everything comes from this repository and node_modules: the build needs no network.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// import.meta.dirname/filename are missing where Vite loads this module (the Astro config); the URL is not.
const here = path.dirname(fileURLToPath(import.meta.url));
const runtime = path.join(here, '../kernel/node/service-runtime');

/** The default output folder (served by the dev server from public/). */
export const DEFAULT_BUNDLE_DIR = path.join(here, '../../../public/webcontainer');

/** Writes the bundle into `outDir`; resolves with the written files, relative to `outDir`. */
export async function buildEmulatorBundle(outDir: string): Promise<string[]> {
  await build({
    entryPoints: [path.join(here, 'bundle-entry.ts')],
    outfile: path.join(outDir, 'emulator.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    banner: { js: "import { createRequire as __emuCreateRequire } from 'node:module'; const require = __emuCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  await buildServiceRuntime(outDir);
  return ['emulator.mjs', ...SERVICE_RUNTIME_FILES.map((file) => `service-runtime/${file}`)];
}

const SERVICE_RUNTIME_FILES = ['listen-fds-shim.cjs', 'modules/sd-daemon/index.cjs', 'modules/sd-daemon/package.json'];

/**
 * Writes the services' runtime (preload shim, `sd-daemon` module with its core bundled in) into
 * `outDir/service-runtime`; resolves with that folder. From source, the module loads the TypeScript core, which
 * only a Node that strips types can: a machine whose /usr/bin/node is another Node (program-node.ts) needs this.
 */
export async function buildServiceRuntime(outDir: string): Promise<string> {
  const dir = path.join(outDir, 'service-runtime');
  await build({
    entryPoints: [path.join(runtime, 'modules/sd-daemon/index.cjs')],
    outfile: path.join(dir, 'modules/sd-daemon/index.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    logLevel: 'warning',
  });
  for (const file of SERVICE_RUNTIME_FILES.filter((name) => !name.endsWith('index.cjs'))) fs.copyFileSync(path.join(runtime, file), path.join(dir, file));
  return dir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = path.resolve(process.argv[2] ?? DEFAULT_BUNDLE_DIR);
  await buildEmulatorBundle(outDir);
  console.log(`Emulator bundle written to ${outDir}`);
}

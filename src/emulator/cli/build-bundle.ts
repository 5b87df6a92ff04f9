/**
 * `npm run build:emulator-bundle [OUTDIR]`: the emulator CLI + Node kernel as one Node ESM file for the
 * WebContainer runtime (mounted as is; nothing is installed in the container). Layout of OUTDIR
 * (default public/webcontainer):
 *   emulator.mjs                                  `node emulator.mjs daemon --root / --shim`, `node emulator.mjs systemctl …`
 *   service-runtime/listen-fds-shim.cjs           preloaded into Node services
 *   service-runtime/modules/sd-daemon/index.cjs   `require('sd-daemon')` for services (core bundled in)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';

const here = import.meta.dirname;
const outDir = path.resolve(process.argv[2] ?? path.join(here, '../../../public/webcontainer'));
const runtime = path.join(here, '../kernel/node/service-runtime');

await build({
  entryPoints: [path.join(here, 'main.ts')],
  outfile: path.join(outDir, 'emulator.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node18',
  banner: { js: "import { createRequire as __emuCreateRequire } from 'node:module'; const require = __emuCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
await build({
  entryPoints: [path.join(runtime, 'modules/sd-daemon/index.cjs')],
  outfile: path.join(outDir, 'service-runtime/modules/sd-daemon/index.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  logLevel: 'warning',
});
fs.copyFileSync(path.join(runtime, 'listen-fds-shim.cjs'), path.join(outDir, 'service-runtime/listen-fds-shim.cjs'));
fs.copyFileSync(path.join(runtime, 'modules/sd-daemon/package.json'), path.join(outDir, 'service-runtime/modules/sd-daemon/package.json'));
console.log(`Emulator bundle written to ${outDir}`);

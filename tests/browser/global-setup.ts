/**
 * Browser test setup: builds the site twice (base `/` into dist-test/, base SUBPATH_BASE into
 * dist-subpath/), serves both with their _headers, and provides their URLs to the tests
 * (browser-harness.ts: siteUrl(), subpathSiteUrl()). SKIP_BUILD=1 reuses existing builds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Server } from 'node:http';
import type { TestProject } from 'vitest/node';
import { createStaticServer, listen } from '../../src/site/static-server.ts';
import { DEFAULT_OUT_DIR, SUBPATH_BASE, SUBPATH_OUT_DIR } from './browser-harness.ts';

/** Runs `npm run build` with the given base and output folder; throws with the build's output if it fails. */
function build(outDir: string, base: string): void {
  const started = Date.now();
  const result = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: resolve(import.meta.dirname, '../..'),
    env: { ...process.env, OUT_DIR: outDir, BASE_PATH: base, ASTRO_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`npm run build (BASE_PATH=${base} OUT_DIR=${outDir}) failed:\n${result.stdout}\n${result.stderr}`);
  }
  console.log(`browser tests: built ${outDir} for base ${base} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = resolve(import.meta.dirname, '../..');
  const builds = [
    { outDir: DEFAULT_OUT_DIR, base: '/', key: 'siteBaseUrl' as const },
    { outDir: SUBPATH_OUT_DIR, base: SUBPATH_BASE, key: 'subpathSiteBaseUrl' as const },
  ];
  const servers: Server[] = [];
  for (const { outDir, base, key } of builds) {
    const dir = resolve(root, outDir);
    const reuse = process.env.SKIP_BUILD === '1' && existsSync(resolve(dir, 'pagefind'));
    if (!reuse) build(outDir, base);
    const server = await createStaticServer({ root: dir, base });
    servers.push(server);
    project.provide(key, `${await listen(server)}${base}`);
  }
  return async () => {
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  };
}

/**
 * The page's chunk graph, from the build's own output (Rollup/Rolldown's bundle), to see what each chunk holds and
 * that no module is in two chunks. Measures only; never asserts.
 *   - chunkGraphPlugin(): a Vite plugin (astro.config.mjs adds it when CHUNK_GRAPH=DIR is set) that writes
 *     DIR/<build>.json: per chunk its file, gzip bytes, imports, dynamic imports and modules (rendered bytes).
 *   - `node bench/chunk-graph.ts [DIR]`: builds the site with CHUNK_GRAPH set (into a temp folder) unless DIR
 *     already holds the JSON, then prints each browser chunk (gzip KB, biggest modules) and every module
 *     found in more than one chunk, the page's and the Worker's builds together.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One chunk of a build. */
export interface ChunkRecord {
  file: string;
  gzip: number;
  imports: string[];
  dynamicImports: string[];
  /** Module id (node_modules/… or the path in the repository) → rendered bytes before minification. */
  modules: Record<string, number>;
}

const ROOT = resolve(import.meta.dirname, '..');

/** A module id as a short name: the path in the repository, or node_modules/<package>/…. */
function shortId(id: string): string {
  const clean = id.replace(/\?.*$/, '').replace(/^\0/, '');
  const modules = clean.lastIndexOf('/node_modules/');
  if (modules >= 0) return clean.slice(modules + 1);
  return clean.startsWith(ROOT) ? clean.slice(ROOT.length + 1) : clean;
}

/** The Vite plugin: writes `<dir>/<label>-<environment>.json` when a build of that environment is generated. */
export function chunkGraphPlugin(dir: string, label: string) {
  return {
    name: 'chunk-graph',
    apply: 'build' as const,
    generateBundle(this: { environment?: { name: string } }, _options: unknown, bundle: Record<string, { type: string; fileName: string; code?: string; imports?: string[]; dynamicImports?: string[]; modules?: Record<string, { renderedLength: number }> }>) {
      const chunks: ChunkRecord[] = [];
      for (const item of Object.values(bundle)) {
        if (item.type !== 'chunk' || item.code === undefined) continue;
        chunks.push({
          file: item.fileName,
          gzip: gzipSync(item.code).length,
          imports: item.imports ?? [],
          dynamicImports: item.dynamicImports ?? [],
          modules: Object.fromEntries(Object.entries(item.modules ?? {}).map(([id, module]) => [shortId(id), module.renderedLength]).filter(([, length]) => Number(length) > 0)),
        });
      }
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${label}-${this.environment?.name ?? 'build'}-${chunks.map((chunk) => chunk.file).sort()[0]?.replace(/\W/g, '_') ?? 'empty'}.json`), JSON.stringify(chunks, null, 1));
    },
  };
}

/** Every browser chunk of the graph in `dir` (the page's client build and the Worker builds; not the prerender). */
export function readChunkGraph(dir: string): ChunkRecord[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !name.includes('-prerender-') && !name.includes('-ssr-'))
    .flatMap((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as ChunkRecord[]);
}

/** Modules that are in more than one chunk, with those chunks. */
export function duplicateModules(chunks: ChunkRecord[]): Record<string, string[]> {
  const where = new Map<string, string[]>();
  for (const chunk of chunks) for (const id of Object.keys(chunk.modules)) where.set(id, [...(where.get(id) ?? []), chunk.file]);
  return Object.fromEntries([...where].filter(([, files]) => files.length > 1));
}

/** Builds the site into a temp folder with the plugin on; returns the folder of the JSON files. */
export function buildChunkGraph(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chunk-graph-'));
  const out = join(dir, 'dist');
  const result = spawnSync('npx', ['astro', 'build'], { cwd: ROOT, env: { ...process.env, CHUNK_GRAPH: dir, OUT_DIR: out, ASTRO_TELEMETRY_DISABLED: '1' }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`astro build failed:\n${(result.stdout + result.stderr).slice(-3000)}`);
  rmSync(out, { recursive: true, force: true });
  return dir;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const given = process.argv[2];
  const dir = given && existsSync(given) && readdirSync(given).some((name) => name.endsWith('.json')) ? given : buildChunkGraph();
  const chunks = readChunkGraph(dir).sort((a, b) => b.gzip - a.gzip);
  for (const chunk of chunks) {
    const modules = Object.entries(chunk.modules).sort((a, b) => b[1] - a[1]);
    const packages = new Map<string, number>();
    for (const [id, length] of modules) {
      const name = id.startsWith('node_modules/') ? id.split('/').slice(0, id.startsWith('node_modules/@') ? 3 : 2).join('/') : id;
      packages.set(name, (packages.get(name) ?? 0) + length);
    }
    const top = [...packages].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([name, length]) => `${name} ${(length / 1024).toFixed(1)}`);
    console.log(`${(chunk.gzip / 1024).toFixed(1).padStart(7)} KB gzip  ${chunk.file}${chunk.dynamicImports.length ? ` (+${chunk.dynamicImports.length} lazy)` : ''}\n${' '.repeat(18)}${top.join(', ')}`);
  }
  const duplicates = duplicateModules(chunks);
  console.log(Object.keys(duplicates).length === 0 ? 'No module is in two chunks.' : `Modules in more than one chunk:\n${Object.entries(duplicates).map(([id, files]) => `  ${id}: ${files.join(', ')}`).join('\n')}`);
  if (!given) console.log(`(graph kept in ${dir})`);
}

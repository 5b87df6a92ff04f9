/** The scenario corpus (tests/oracle/scenarios/*.ts) and its golden files (tests/oracle/golden/<id>.json). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GoldenFile, Scenario } from './scenario.ts';

export const SCENARIO_DIR = path.join(import.meta.dirname, 'scenarios');
export const GOLDEN_DIR = path.join(import.meta.dirname, 'golden');

/** Every scenario, sorted by id; throws when a file's id is not its file name or an id is used twice. */
export async function loadScenarios(ids?: string[]): Promise<Scenario[]> {
  const files = fs.readdirSync(SCENARIO_DIR).filter((name) => name.endsWith('.ts')).sort();
  const wanted = ids && ids.length > 0 ? new Set(ids) : undefined;
  const scenarios: Scenario[] = [];
  for (const file of files) {
    const id = file.slice(0, -3);
    if (wanted && !wanted.has(id)) continue;
    const module = (await import(pathToFileURL(path.join(SCENARIO_DIR, file)).href)) as { default?: Scenario };
    const scenario = module.default;
    if (!scenario) throw new Error(`tests/oracle/scenarios/${file} has no default export (export default defineScenario({…}))`);
    if (scenario.id !== id) throw new Error(`tests/oracle/scenarios/${file}: its id is "${scenario.id}"; name the file ${scenario.id}.ts or change the id`);
    scenarios.push(scenario);
  }
  for (const id of wanted ?? []) {
    if (!scenarios.some((scenario) => scenario.id === id)) throw new Error(`no scenario ${id} (tests/oracle/scenarios/${id}.ts)`);
  }
  return scenarios;
}

/** The path of a scenario's golden file. */
export function goldenPath(id: string): string {
  return path.join(GOLDEN_DIR, `${id}.json`);
}

/** A scenario's golden file, or undefined when none was recorded yet. */
export function readGolden(id: string): GoldenFile | undefined {
  const file = goldenPath(id);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as GoldenFile) : undefined;
}

/** Writes a golden file (pretty JSON, one record per command). */
export function writeGolden(golden: GoldenFile): void {
  fs.mkdirSync(GOLDEN_DIR, { recursive: true });
  fs.writeFileSync(goldenPath(golden.id), JSON.stringify(golden, null, 2) + '\n');
}

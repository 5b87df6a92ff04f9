/**
 * `node tests/oracle/emulator-worker.ts --kernel memory|node [ID…]`: runs scenarios on one emulator kernel and prints
 * one JSON object `{ "<id>": { records, problems, ms } }` on stdout. The Node kernel binds real ports, so callers run
 * this in a network namespace of its own (inNetworkNamespace() below), where port 8080 is always free.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { loadScenarios } from './corpus.ts';
import { debianNodeMounts, debianNodeUnavailable } from './debian-node.ts';
import { runOnEmulator } from './run-emulator.ts';
import { kernelsOf, type CommandRecord, type Kernel } from './scenario.ts';

/** The output of one scenario on one kernel. */
export interface EmulatorRun {
  records: CommandRecord[];
  problems: string[];
  ms: number;
}

/** Runs scenarios (all when `ids` is empty) that name `kernel`, one after the other, in this process. */
export async function runCorpusOnEmulator(kernel: Kernel, ids: string[] = []): Promise<Record<string, EmulatorRun>> {
  const out: Record<string, EmulatorRun> = {};
  for (const scenario of await loadScenarios(ids)) {
    if (!kernelsOf(scenario).includes(kernel)) continue;
    const started = Date.now();
    try {
      const result = await runOnEmulator(scenario, kernel);
      out[scenario.id] = { ...result, ms: Date.now() - started };
    } catch (error) {
      out[scenario.id] = { records: [], problems: [`the emulator threw: ${(error as Error).stack ?? String(error)}`], ms: Date.now() - started };
    }
  }
  return out;
}

/**
 * Why the Node kernel cannot be compared here, or undefined when it can: it runs in a network namespace of its own,
 * with Debian's Node.js as the machine's /usr/bin/node (debian-node.ts).
 */
export function nodeKernelUnavailable(): string | undefined {
  return networkNamespaceUnavailable() ?? debianNodeUnavailable();
}

/** Why this process cannot make a network namespace (unshare, ip, root), or undefined when it can. */
export function networkNamespaceUnavailable(): string | undefined {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'a network namespace needs root (unshare --net)';
  for (const tool of ['/usr/bin/unshare', '/usr/sbin/ip', '/sbin/ip', '/bin/ip']) {
    if (tool.endsWith('unshare') && !fs.existsSync(tool)) return 'unshare is not installed (util-linux)';
  }
  if (!['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].some((tool) => fs.existsSync(tool))) return 'ip is not installed (iproute2)';
  return undefined;
}

/** How long one scenario's worker may run before it is killed with everything it started (a hung run). */
const SCENARIO_LIMIT_MS = Number(process.env.ORACLE_SCENARIO_LIMIT_MS ?? 180_000);

/**
 * Runs this worker for one scenario in a fresh network namespace with its loopback up; a crash is that run's
 * problem. The worker is a process group of its own: past SCENARIO_LIMIT_MS the group is killed (the Node kernel's
 * fd holder then kills the services' own groups), so a hung scenario never holds the next one up.
 */
function oneInNetworkNamespace(kernel: Kernel, id: string): Promise<EmulatorRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    // The Node kernel's worker also gets a private mount namespace, for Debian's Node.js (debian-node.ts).
    const mounts = kernel === 'node' ? debianNodeMounts() : '';
    const namespaces = mounts ? ['--net', '--mount', '--propagation', 'private'] : ['--net'];
    const setup = ['ip link set lo up', mounts, 'exec "$0" "$@"'].filter(Boolean).join(' && ');
    const child = spawn('unshare', [...namespaces, 'sh', '-c', setup, process.execPath, import.meta.filename, '--kernel', kernel, id], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const limit = setTimeout(() => {
      stderr += `\n(killed after ${SCENARIO_LIMIT_MS} ms: ORACLE_SCENARIO_LIMIT_MS)`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, SCENARIO_LIMIT_MS);
    child.once('close', () => clearTimeout(limit));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const crashed = (why: string): void => resolve({ records: [], problems: [`the emulator process (${kernel}) ${why}:\n${stderr.slice(-4000)}`], ms: Date.now() - started });
    child.once('error', (error) => crashed(`could not start: ${error.message}`));
    child.once('close', (code) => {
      if (code !== 0) return crashed(`exited with ${code}`);
      try {
        const out = JSON.parse(stdout) as Record<string, EmulatorRun>;
        resolve(out[id] ?? { records: [], problems: [], ms: Date.now() - started });
      } catch (error) {
        crashed(`printed no JSON (${(error as Error).message})`);
      }
    });
  });
}

/** Runs scenarios (all when `ids` is empty) that name `kernel`, each in a process and network namespace of its own, two at a time. */
export async function inNetworkNamespace(kernel: Kernel, ids: string[] = []): Promise<Record<string, EmulatorRun>> {
  const queue = (await loadScenarios(ids)).filter((scenario) => kernelsOf(scenario).includes(kernel)).map((scenario) => scenario.id);
  const out: Record<string, EmulatorRun> = {};
  const worker = async (): Promise<void> => {
    for (let id = queue.shift(); id; id = queue.shift()) out[id] = await oneInNetworkNamespace(kernel, id);
  };
  await Promise.all([worker(), worker()]);
  return out;
}

if (import.meta.filename === process.argv[1]) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--kernel');
  const kernel = args[at + 1] as Kernel;
  if (at < 0 || (kernel !== 'memory' && kernel !== 'node')) {
    process.stderr.write('usage: emulator-worker.ts --kernel memory|node [ID…]\n');
    process.exit(2);
  }
  const ids = args.filter((_, index) => index !== at && index !== at + 1);
  const out = await runCorpusOnEmulator(kernel, ids);
  process.stdout.write(JSON.stringify(out) + '\n', () => process.exit(0));
}

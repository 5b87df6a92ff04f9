/**
 * The Node.js that the machine's /usr/bin/node is: the one that runs the services' Node programs. By default the
 * emulator's own; a lab machine that should be Debian 12 to the letter runs Debian's own Node.js 18 (a crash's stack
 * trace names Node's internal lines, `node:net:1811:16`, which differ between Node versions and even between
 * Debian's build and upstream's).
 *
 * Debian's /usr/bin/node is a small binary linked to libnode.so.108. Taken from a Debian root that is not the host's
 * own (the oracle's debootstrapped root), it needs that one library from the root: it is found next to the binary
 * (`ROOT/usr/lib/<triplet>/`) and offered alone, from a folder of its own, through LD_LIBRARY_PATH. Offering the
 * root's whole library folder would load the root's libc next to the host's loader. The preload shim removes
 * LD_LIBRARY_PATH from the program's environment (EMULATOR_HOST_ENV), so the program sees what it would see
 * under systemd.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A Node.js executable and the environment it needs to start. */
export interface ProgramNode {
  /** Host path of the executable. */
  path: string;
  /** Variables it needs to start (LD_LIBRARY_PATH for a Debian root's node); the program does not see them. */
  env: Record<string, string>;
  /** What `node --version` printed: `v18.20.4`. */
  version: string;
}

/** The emulator's own Node.js. */
export function emulatorNode(): ProgramNode {
  return { path: process.execPath, env: {}, version: process.version };
}

const MISSING_LIBRARY = /error while loading shared libraries: (\S+): cannot open shared object file/;

/**
 * The Node.js at `file`, ready to run: when it needs a library the host lacks, that library is looked for in the
 * lib folders of the root the binary lives in (`…/usr/bin/node` → `…/usr/lib/*`), linked into `libraryDir` and
 * offered through LD_LIBRARY_PATH. Throws an Error that says what is missing when it cannot start.
 */
export function nodeAt(file: string, libraryDir: string): ProgramNode {
  if (!fs.existsSync(file)) throw new Error(`${file}: No such file or directory (the Node.js for the machine's /usr/bin/node)`);
  const env: Record<string, string> = {};
  for (let tries = 0; tries < 8; tries++) {
    // A script, not --version: a Node that loads builtins from outside (Debian's) fails only once it runs JavaScript.
    const run = spawnSync(file, ['-e', 'process.stdout.write(process.version)'], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 10_000 });
    const missing = MISSING_LIBRARY.exec(run.stderr ?? '')?.[1];
    if (run.status === 0) return { path: file, env, version: run.stdout.trim() };
    const found = missing ? libraryNextTo(file, missing) : undefined;
    if (!missing || !found) {
      const why = missing ? `it needs ${missing}, which is neither on this host nor in the lib folders next to it` : (run.stderr || run.error?.message || `exit status ${run.status}`).trim().split('\n')[0];
      throw new Error(`${file} cannot run here: ${why}`);
    }
    linkInto(libraryDir, missing, found);
    env.LD_LIBRARY_PATH = libraryDir;
  }
  throw new Error(`${file} cannot run here: too many libraries missing`);
}

/** `dir/name` → `target`, left as it is when it already points there; made by rename, so runs in parallel may share `dir`. */
function linkInto(dir: string, name: string, target: string): void {
  const link = path.join(dir, name);
  fs.mkdirSync(dir, { recursive: true });
  try {
    if (fs.readlinkSync(link) === target) return;
  } catch {
    // not there yet
  }
  const temporary = `${link}.${process.pid}`;
  fs.rmSync(temporary, { force: true });
  fs.symlinkSync(target, temporary);
  fs.renameSync(temporary, link);
}

/** `library` in the lib folders of the root that holds `binary` (ROOT/usr/bin/node → ROOT/usr/lib/<triplet>/…). */
function libraryNextTo(binary: string, library: string): string | undefined {
  const root = path.resolve(path.dirname(binary), binary.includes('/usr/bin/') ? '../..' : '..');
  for (const lib of [path.join(root, 'usr/lib'), path.join(root, 'lib')]) {
    const folders = [lib, ...safeReaddir(lib).map((name) => path.join(lib, name))];
    const hit = folders.map((folder) => path.join(folder, library)).find((candidate) => fs.existsSync(candidate));
    if (hit) return hit;
  }
  return undefined;
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((name) => name.includes('-linux-'));
  } catch {
    return [];
  }
}

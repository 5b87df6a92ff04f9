/**
 * A LabContainer made of Node child processes and a temporary work directory: what the WebContainer runtime
 * needs from a booted WebContainer (spawn with a merged output stream and an input writer, mount, fs, kill,
 * teardown), so the runtime's own code runs in tests. `jsh` is /bin/sh here; `node` is this Node.
 * Differences from a real WebContainer: no pseudo-terminal (no echo, no \r\n, Ctrl+C is not a signal), and
 * kill() is SIGKILL of the process and what it started (jsh and the command it runs), with no chance to clean
 * up, the harshest reading of WebContainerProcess.kill(); teardown() does that to every process.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileSystemTree, SpawnOptions, WebContainerProcess } from '@webcontainer/api';
import type { LabContainer } from '../../src/lab/runtime/webcontainer/webcontainer-runtime.ts';

/** The Node-backed container and the processes it started. */
export interface NodeContainer extends LabContainer {
  readonly children: Set<ChildProcess>;
  /** Every command line spawned, as `command args…`. */
  readonly spawned: string[];
}

/** Writes a FileSystemTree under `dir`, as WebContainer.mount() does (files get mode 0644). */
function writeTree(dir: string, tree: FileSystemTree): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, node] of Object.entries(tree)) {
    const target = path.join(dir, name);
    if ('directory' in node) writeTree(target, node.directory);
    else if ('contents' in node.file) fs.writeFileSync(target, node.file.contents, { mode: 0o644 });
    else fs.symlinkSync(node.file.symlink, target);
  }
}

/** A container whose work directory is `workdir`. */
export function createNodeContainer(workdir: string): NodeContainer {
  const children = new Set<ChildProcess>();
  const spawned: string[] = [];
  const inside = (file: string): string => path.resolve(workdir, file);
  return {
    workdir,
    path: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    children,
    spawned,
    fs: {
      readFile: ((file: string, encoding?: BufferEncoding | null) => fs.promises.readFile(inside(file), encoding ?? undefined)) as LabContainer['fs']['readFile'],
      writeFile: (file, data) => fs.promises.writeFile(inside(file), data),
      mkdir: ((file: string, options?: { recursive?: boolean }) => fs.promises.mkdir(inside(file), options)) as LabContainer['fs']['mkdir'],
      rm: (file, options) => fs.promises.rm(inside(file), options),
    },
    async mount(tree) {
      writeTree(workdir, tree);
    },
    async spawn(command: string, args: string[], options?: SpawnOptions): Promise<WebContainerProcess> {
      spawned.push([command, ...args].join(' '));
      const program = command === 'jsh' ? '/bin/sh' : command === 'node' ? process.execPath : command;
      const env = Object.fromEntries(Object.entries(options?.env ?? {}).map(([key, value]) => [key, String(value)]));
      // Own process group, so teardown() ends a process with everything it started, as a torn-down container does.
      const child = spawn(program, args, { cwd: options?.cwd ? inside(options.cwd) : workdir, env, stdio: 'pipe', detached: true });
      children.add(child);
      const exit = new Promise<number>((resolve) => child.once('close', (code, signal) => {
        children.delete(child);
        resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15));
      }));
      const output = new ReadableStream<string>({
        start(controller) {
          child.stdout.setEncoding('utf8');
          child.stderr.setEncoding('utf8');
          child.stdout.on('data', (chunk: string) => controller.enqueue(chunk));
          child.stderr.on('data', (chunk: string) => controller.enqueue(chunk));
          void exit.then(() => controller.close());
        },
      });
      child.stdin.on('error', () => undefined);
      const input = new WritableStream<string>({
        write: (chunk) => void child.stdin.write(chunk),
        close: () => void child.stdin.end(),
      });
      const killGroup = (): void => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      return { exit, output, input, kill: killGroup, resize: () => undefined };
    },
    teardown() {
      for (const child of children) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
}

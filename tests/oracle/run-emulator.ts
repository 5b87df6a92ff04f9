/**
 * Runs a scenario on the emulator, as the labs run it: on the memory kernel with a real clock (the in-page runtime,
 * src/lab/runtime/in-page/emulator-binding.ts) or on the Node kernel over a temporary root folder (the command
 * line, src/emulator/cli/daemon.ts). One System with every command, one shell whose state lasts the whole scenario,
 * 200 columns (as COLUMNS=200 on the real machine).
 *
 * The Node kernel binds real ports: run it in a network namespace of its own (emulator-worker.ts does) when a
 * scenario uses fixed ports.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDefaultSystem } from '../../src/emulator/commands/index.ts';
import { registerShellCommands } from '../../src/emulator/commands/shell-commands.ts';
import type { FileSystem } from '../../src/emulator/kernel/kernel.ts';
import { createMemoryKernel } from '../../src/emulator/kernel/memory/memory-kernel.ts';
import { createNodeKernel } from '../../src/emulator/kernel/node/node-kernel.ts';
import { debianNode } from './debian-node.ts';
import { buildServiceRuntime } from '../../src/emulator/cli/build-bundle.ts';
import { writeMachineImage } from '../../src/emulator/kernel/node/write-machine-image.ts';
import { baseImage } from '../../src/emulator/machine/machine-image.ts';
import { nodeMachinePrograms } from '../../src/emulator/machine/node-machine.ts';
import { debianBase, debianBootState, debianPrograms, loadDebianBase } from '../../src/emulator/machine/debian-base.ts';
import { createShell } from '../../src/emulator/shell/run-command-line.ts';
import type { System } from '../../src/emulator/system.ts';
import { scenarioHostname, scenarioMachineFiles, writeMachineFiles, type MachineFile } from './machine-files.ts';
import { runSteps, type StepsResult } from './run-steps.ts';
import type { Kernel, Scenario } from './scenario.ts';

/** The environment of the lab terminal's shell. */
const SHELL_ENV = { USER: 'root', HOME: '/root', TERM: 'xterm-256color', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };
export const COLUMNS = 200;

/** Writes machine files into a kernel's file system (parents created, modes set). */
function writeFiles(fs: FileSystem, files: MachineFile[]): void {
  for (const file of files) {
    const parent = file.path.slice(0, file.path.lastIndexOf('/')) || '/';
    fs.mkdir(parent, { recursive: true });
    if (fs.lstat(file.path)) fs.unlink(file.path);
    if (file.kind === 'symlink') fs.symlink(file.target, file.path);
    else {
      fs.writeFile(file.path, file.content, { mode: file.mode });
      fs.chmod(file.path, file.mode);
    }
  }
}

/** Runs the steps on a booted System through one shell. */
async function drive(system: System, scenario: Scenario, hostname: string): Promise<StepsResult> {
  const shell = createShell(system, { ...SHELL_ENV, HOSTNAME: hostname });
  return runSteps(scenario, {
    async run(commandLine, timeoutMs) {
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      const abort = new AbortController();
      const timer = setTimeout(() => {
        timedOut = true;
        abort.abort();
      }, timeoutMs);
      const exitCode = await shell.run(commandLine, {
        stdout: (text) => (stdout += text),
        stderr: (text) => (stderr += text),
        stdin: { onData: () => () => undefined, onEnd: (callback) => (queueMicrotask(callback), () => undefined) },
        signal: abort.signal,
        columns: COLUMNS,
        env: SHELL_ENV,
      });
      clearTimeout(timer);
      return { stdout, stderr, exitCode: timedOut ? 137 : exitCode };
    },
    async writeFile(file, content, mode) {
      writeFiles(system.kernel.fs, [{ path: file, kind: 'file', content, mode }]);
    },
  });
}

/** Runs a scenario on one emulator kernel and returns its records. */
export async function runOnEmulator(scenario: Scenario, kernel: Kernel): Promise<StepsResult> {
  const hostname = await scenarioHostname(scenario);
  const files = scenarioMachineFiles(scenario);
  await loadDebianBase();
  if (kernel === 'memory') {
    const memory = createMemoryKernel({ clock: 'real', hostname, base: debianBase(), programs: debianPrograms(files.map((file) => file.path)) });
    writeFiles(memory.fs, files);
    const system = createDefaultSystem(memory);
    registerShellCommands(system);
    try {
      await system.boot(debianBootState(files.map((file) => file.path)));
      return await drive(system, scenario, hostname);
    } finally {
      await system.shutdown();
    }
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `oracle-${scenario.id}-`));
  try {
    writeMachineImage(root, baseImage(files.map((file) => file.path), debianBase()));
    writeMachineFiles(root, files);
    const programNode = debianNode();
    if (typeof programNode === 'string') throw new Error(programNode);
    const serviceRuntimeDir = await buildServiceRuntime(`${root}.runtime`);
    // In a network namespace of its own (emulator-worker.ts), Debian's sshd holds :22 as on the real machine.
    const programs = nodeMachinePrograms(root, files.map((file) => file.path));
    const node = await createNodeKernel({ root, hostname, programNode, serviceRuntimeDir, programs });
    const system = createDefaultSystem(node);
    registerShellCommands(system);
    try {
      await system.boot(debianBootState(files.map((file) => file.path)));
      await node.ready();
      return await drive(system, scenario, hostname);
    } finally {
      await Promise.race([system.shutdown(), new Promise((resolve) => setTimeout(resolve, 5000))]);
      await node.dispose();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(`${root}.runtime`, { recursive: true, force: true });
  }
}

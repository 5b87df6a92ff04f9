/**
 * Lab machines for the lab tests, on both machines the factory builds (src/emulator/machine): the in-page runtime's
 * (memory kernel, real clock) and the WebContainer's (Node kernel in its --shim mode, real processes, each in a
 * network namespace of its own where the tests run as root on Linux: private-network.ts). Call
 * disposeLabMachines() in afterEach.
 */
import { loadLab } from '../../src/lab/definition/lab-catalog.ts';
import { checkGoals, runToEnd, type GoalResult } from '../../src/lab/definition/goal-checks.ts';
import { labHostname, type LabBundle } from '../../src/lab/definition/lab-definition.ts';
import { createLabMachine, labMachineOf, type LabMachine } from '../../src/lab/runtime/in-page/lab-machine.ts';
import { bootNodeMachine } from '../../src/emulator/machine/node-machine.ts';
import type { LabRuntime } from '../../src/lab/runtime/lab-runtime.ts';
import { enterPrivateNetwork } from './private-network.ts';

export type Kernel = 'memory' | 'node';

const machines: LabMachine[] = [];

/** Disposes every machine booted since the last call. */
export async function disposeLabMachines(): Promise<void> {
  await Promise.all(machines.splice(0).map((machine) => machine.dispose()));
}

let sharedNetworkReported = false;
/** Each Node-kernel lab in a network namespace of its own (its fixed ports cannot collide); says once why not. */
function isolateNetwork(): void {
  const reason = enterPrivateNetwork();
  if (reason && !sharedNetworkReported) {
    sharedNetworkReported = true;
    console.warn(`lab tests: the Node-kernel labs run in this machine's network (their fixed ports may be taken): ${reason}`);
  }
}

/** Boots a lab machine with `files` on `kernel`; `runtime` is the surface goal checks use. */
export async function bootLab(kernel: Kernel, bundle: LabBundle, files: Record<string, string>): Promise<{ machine: LabMachine; runtime: Pick<LabRuntime, 'run' | 'snapshot' | 'readFile'> }> {
  const hostname = labHostname(bundle.definition);
  let machine: LabMachine;
  if (kernel === 'memory') machine = await createLabMachine(files, { hostname });
  else {
    isolateNetwork();
    const node = await bootNodeMachine(files, hostname, { shim: true });
    machine = labMachineOf(node, () => node.dispose());
  }
  machines.push(machine);
  return {
    machine,
    runtime: {
      run: (line, output, options) => machine.run(line, output, options?.columns),
      snapshot: async () => machine.snapshot(),
      readFile: async (path) => machine.readFile(path),
    },
  };
}

/**
 * A learner's way through lab `id` on `kernel`: its starting files, `files` written over them ('SOLUTION': the
 * solution's file), then `steps`. Returns a command runner, the transcript, and a goal checker.
 */
export async function learner(kernel: Kernel, id: string, files: Record<string, string>, steps: string[]) {
  const bundle = await loadLab(id);
  const { machine, runtime } = await bootLab(kernel, bundle, bundle.files);
  const transcript: string[] = [];
  const run = async (line: string) => {
    const result = await runToEnd(runtime, line);
    transcript.push(`$ ${line} (exit ${result.exitCode})\n${result.stdout}${result.stderr}`);
    return result;
  };
  for (const [path, text] of Object.entries(files)) machine.writeFile(path, text === 'SOLUTION' ? bundle.solution[path] : text);
  for (const step of steps) await run(step);
  return {
    run,
    transcript: () => transcript.join(''),
    /** The goal's result (passed, and why not). */
    goal: async (goalId: string): Promise<GoalResult> => {
      const result = (await checkGoals(bundle.definition, runtime)).find((candidate) => candidate.id === goalId);
      if (!result) throw new Error(`lab ${id} has no goal ${goalId}`);
      return result;
    },
  };
}

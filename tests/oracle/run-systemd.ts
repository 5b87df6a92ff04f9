/** Runs a scenario on real systemd 252 in a throw-away container (nspawn-machine.ts) and returns its golden file. */
import { NspawnMachine, type BootOptions } from './nspawn-machine.ts';
import { runSteps } from './run-steps.ts';
import { scenarioHostname, scenarioMachineFiles } from './machine-files.ts';
import { realSdDaemonFiles } from './real-sd-daemon.ts';
import type { GoldenFile, Scenario } from './scenario.ts';

/** The result of one real run: the golden file, what went wrong, and how long it took. */
export interface SystemdRun {
  golden: GoldenFile;
  problems: string[];
  ms: number;
}

/**
 * Boots a container with the scenario's starting files, runs its steps with bash in /root (as the lab terminal's
 * `root@…:~#`), and stops the container whatever happens.
 */
export async function runOnSystemd(scenario: Scenario, options: Pick<BootOptions, 'root' | 'mode'> = {}): Promise<SystemdRun> {
  const started = Date.now();
  const machine = await NspawnMachine.boot({ ...options, files: [...realSdDaemonFiles(), ...scenarioMachineFiles(scenario)], hostname: await scenarioHostname(scenario) });
  try {
    const version = (await machine.run('systemctl --version')).stdout.split('\n')[0];
    const { records, problems } = await runSteps(scenario, {
      run: async (commandLine, timeoutMs) => {
        const result = await machine.exec(['bash', '-c', `cd /root || exit; ${commandLine}`], { timeoutMs });
        return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
      },
      writeFile: (path, content, mode) => machine.writeFile(path, content, mode),
    });
    return { golden: { id: scenario.id, systemd: version, records }, problems, ms: Date.now() - started };
  } finally {
    await machine.shutdown();
  }
}

/** A booted in-memory machine (virtual clock) with every command, for the fault tests. */
import { createDefaultSystem } from '../../../src/emulator/commands/index.ts';
import { registerShellCommands } from '../../../src/emulator/commands/shell-commands.ts';
import type { Connection } from '../../../src/emulator/kernel/kernel.ts';
import { createMemoryKernel, type MemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import type { System } from '../../../src/emulator/system.ts';

/** What a command printed and returned. */
export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** A machine for a fault test. */
export interface FaultMachine {
  kernel: MemoryKernel;
  system: System;
  /** Runs argv; virtual time advances (up to `maxMs`) while the command is pending. */
  run(argv: string[], maxMs?: number): Promise<CommandResult>;
  /** Journal messages (MESSAGE only), optionally of one unit. */
  messages(unit?: string): string[];
  /** Runs virtual timers and lets sandboxed programs run (they also use macrotasks) until nothing is left. */
  settle(maxMs?: number): Promise<void>;
  /** A unit's [activeState, subState, result] (inactive/dead/success when never loaded). */
  state(name: string): [string, string, string];
}

/** Builds and boots a machine holding `files`. */
export async function bootMachine(files: Record<string, string>): Promise<FaultMachine> {
  const kernel = createMemoryKernel({ files });
  const system = createDefaultSystem(kernel);
  registerShellCommands(system);
  await system.boot();
  await kernel.runUntilIdle(1);
  return {
    kernel,
    system,
    async run(argv, maxMs = 60_000) {
      let stdout = '';
      let stderr = '';
      let done = false;
      const promise = system.runCommand(argv, {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        signal: new AbortController().signal,
        columns: 200,
      }).finally(() => (done = true));
      // Step virtual time so a command that waits on timers (curl --max-time, a start job) finishes.
      for (let waited = 0; !done && waited < maxMs; waited += 100) {
        await kernel.advance(100);
        for (let i = 0; i < 5 && !done; i++) await new Promise((r) => setImmediate(r));
      }
      const status = await promise;
      return { status, stdout, stderr };
    },
    async settle(maxMs = 60_000) {
      for (let round = 0, quiet = 0; quiet < 3 && round < 1000; round++) {
        const before = system.manager.journal.entries.length;
        await kernel.runUntilIdle(maxMs);
        await new Promise((r) => setImmediate(r));
        quiet = system.manager.journal.entries.length === before ? quiet + 1 : 0;
      }
    },
    messages(unit) {
      return system.manager.journal.entries.filter((e) => unit === undefined || e.unit === unit).map((e) => e.message);
    },
    state(name) {
      const u = system.manager.getUnit(name);
      return u ? [u.activeState, u.subState, u.result] : ['inactive', 'dead', 'success'];
    },
  };
}

/** Everything a client connection receives, and how it ended. */
export interface ClientRecord {
  text(): string;
  /** Resolves with 'EOF' when the peer closed its side (FIN), or with the error code of a reset ('ECONNRESET'). */
  done: Promise<string>;
}

/** Records what `conn` receives and how it closes. */
export function record(conn: Connection): ClientRecord {
  let text = '';
  const decoder = new TextDecoder();
  conn.onData((d) => (text += decoder.decode(d)));
  const done = new Promise<string>((resolve) => {
    conn.onEnd(() => resolve('EOF'));
    conn.onClose((error) => resolve(error?.code ?? 'EOF'));
  });
  return { text: () => text, done };
}

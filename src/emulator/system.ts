/**
 * The emulator's public entry point: a machine (kernel) with its manager, journal and commands.
 * The lab runtimes, the CLI and the tests all drive the emulator through this.
 */
import type { Kernel } from './kernel/kernel.ts';
import { Manager } from './manager/manager.ts';
import type { BootState } from './manager/boot-state.ts';
import { loadUnit } from './unit-file/unit-loader.ts';
import type { UnitLoader } from './manager/unit-registry.ts';
import type { SystemEvent, SystemSnapshot } from './system-events.ts';

/** What a command gets to talk to the terminal. */
export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  stdin?: { onData(cb: (text: string) => void): () => void; onEnd(cb: () => void): () => void };
  signal: AbortSignal;
  columns?: number;
  env?: Record<string, string>;
}

/** A command: resolves with its exit status. */
export type CommandHandler = (argv: string[], io: CommandIO, system: System) => Promise<number>;

/** The emulated machine. */
export interface System {
  readonly kernel: Kernel;
  /** The manager (PID 1): units, jobs, journal. Commands use it; UIs use snapshot()/subscribe(). */
  readonly manager: Manager;
  /** Loads units and starts what sockets.target.wants / multi-user.target.wants hold (from `bootState`'s base system, if given). */
  boot(bootState?: BootState): Promise<void>;
  /** Dispatches to a registered command; unknown → "bash: foo: command not found", 127. Never throws. */
  runCommand(argv: string[], io: CommandIO): Promise<number>;
  registerCommand(name: string, handler: CommandHandler): void;
  commandNames(): string[];
  unitNames(): string[];
  snapshot(): SystemSnapshot;
  subscribe(listener: (event: SystemEvent) => void): () => void;
  /** Stops every unit. */
  shutdown(): Promise<void>;
}

/** Options of createSystem(). */
export interface SystemOptions {
  kernel: Kernel;
  commands?: Record<string, CommandHandler>;
  /** The unit-file loader; defaults to the unit-file layer's loadUnit(). */
  loadUnit?: UnitLoader;
}

/** Creates a machine around `kernel`; call boot() to start its units. */
export function createSystem(options: SystemOptions): System {
  const manager = new Manager(options.kernel, options.loadUnit ?? loadUnit);
  const commands = new Map<string, CommandHandler>(Object.entries(options.commands ?? {}));

  const system: System = {
    kernel: options.kernel,
    manager,
    async boot(bootState?: BootState): Promise<void> {
      manager.boot(bootState);
      await manager.whenIdle();
    },
    async runCommand(argv: string[], io: CommandIO): Promise<number> {
      // The manager's event loop ran since the last request: unreferenced inactive units are gone (unit_gc_sweep()).
      manager.collectGarbage(true);
      const name = argv[0] ?? '';
      if (name === '') return 0;
      const handler = commands.get(name);
      if (!handler) {
        io.stderr(`bash: ${name}: command not found\n`);
        return 127;
      }
      try {
        return await handler(argv, io, system);
      } catch (error) {
        io.stderr(`${name}: internal error: ${(error as Error)?.message ?? String(error)}\n`);
        return 1;
      }
    },
    registerCommand(name: string, handler: CommandHandler): void {
      commands.set(name, handler);
    },
    commandNames(): string[] {
      return [...commands.keys()].sort();
    },
    unitNames(): string[] {
      return [...manager.units.keys()].sort();
    },
    snapshot(): SystemSnapshot {
      return manager.snapshot();
    },
    subscribe(listener: (event: SystemEvent) => void): () => void {
      return manager.subscribe(listener);
    },
    async shutdown(): Promise<void> {
      manager.shutdown();
      await manager.whenIdle();
    },
  };
  return system;
}

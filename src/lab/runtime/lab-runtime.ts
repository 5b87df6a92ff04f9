/**
 * The one interface the lab island talks to. Two implementations: in-page (the emulator on its
 * in-memory kernel in a Web Worker) and WebContainer (the emulator bundle as real Node processes).
 * Plain data only crosses it, so it works over postMessage.
 */
import type { SystemEvent, SystemSnapshot } from '../../emulator/system-events.ts';

/** Files of a lab: absolute machine path (`/etc/systemd/system/myapp.socket`) → contents. */
export type LabFiles = Record<string, string>;

/** A command line in progress. */
export interface RunningCommand {
  /** Resolves with the exit status when the command ends (130 after interrupt). */
  readonly exit: Promise<number>;
  /** Sends Ctrl+C (SIGINT): `journalctl -f`, a hanging `nc` stop. */
  interrupt(): void;
  /** Feeds standard input (nc reads it); `null` closes it (Ctrl+D). */
  write(data: string | null): void;
}

/** Why and which runtime runs, shown in the lab. */
export interface RuntimeInfo {
  kind: 'in-page' | 'webcontainer';
  /** One sentence for the learner, e.g. "In-page runtime: WebContainers need cross-origin isolation, which this page lacks." */
  reason: string;
  /** A later sentence for the same line, e.g. when a WebContainer warmed up in the background is ready to switch to. */
  update?: Promise<string>;
}

/** The runtime interface. */
export interface LabRuntime {
  readonly info: RuntimeInfo;
  /** Mounts the files and boots the emulated machine (units linked into sockets.target.wants start). */
  boot(files: LabFiles): Promise<void>;
  /** Runs one shell command line; output is streamed as the command writes it (text with \n line ends). */
  run(
    commandLine: string,
    output: (text: string, stream: 'stdout' | 'stderr') => void,
    options?: { columns?: number },
  ): RunningCommand;
  /** Reads a file of the machine; undefined when absent. */
  readFile(path: string): Promise<string | undefined>;
  /** Writes a file of the machine (the learner saved it in the editor). */
  writeFile(path: string, contents: string): Promise<void>;
  /** Names for Tab completion: commands and unit names. */
  completions(): Promise<{ commands: string[]; units: string[] }>;
  /** The current state of units and journal (diagram, goal checks). */
  snapshot(): Promise<SystemSnapshot>;
  /** Live events; returns an unsubscribe function. */
  subscribe(listener: (event: SystemEvent) => void): () => void;
  /** Stops everything and frees the worker / container processes. */
  dispose(): void;
}

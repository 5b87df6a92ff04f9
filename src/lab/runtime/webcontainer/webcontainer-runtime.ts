/**
 * The WebContainer LabRuntime: the prebuilt emulator bundle runs as real Node processes in a
 * StackBlitz WebContainer. The daemon (`emu daemon --root machine --shim`) owns the sockets; services are
 * real child processes; each command line runs under jsh with the emulator's commands on PATH
 * (container-layout.ts). Needs a cross-origin isolated page and StackBlitz's hosts; choose-runtime.ts falls
 * back to the in-page runtime when either is missing. The container is booted once per page and shared;
 * it is torn down when the last runtime on it is disposed.
 *
 * Everything but WebContainer.boot() goes through the small LabContainer surface, so the runtime is tested
 * in Node on a container made of child processes (tests/lab/webcontainer-bundle.test.ts).
 */
import { WebContainer, configureAPIKey } from '@webcontainer/api';
import type { FileSystemAPI, FileSystemTree, SpawnOptions, WebContainerProcess } from '@webcontainer/api';
import type { SystemEvent, SystemSnapshot } from '../../../emulator/system-events.ts';
import type { LabFiles, LabRuntime, RunningCommand } from '../lab-runtime.ts';
import {
  EMULATOR_BUNDLE_FILES,
  EMULATOR_BUNDLE_PATH,
  MACHINE_ROOT,
  WRAPPER_DIR,
  bundleTree,
  containerPath,
  executablePaths,
  toFileSystemTree,
  wrapperPaths,
  wrapperTree,
} from './container-layout.ts';
import { completionNames } from '../../../emulator/commands/command-table.ts';

/** Configuration from the build. */
export interface WebContainerRuntimeOptions {
  /**
   * The StackBlitz WebContainer API key (commercial use), from PUBLIC_WEBCONTAINER_CLIENT_ID at build time;
   * never committed. Passed to configureAPIKey(), which sends it as the `client_id` of StackBlitz's headless
   * frame. (auth.init() is something else: the OAuth flow for private npm packages, not used here.)
   */
  clientId?: string;
  /** URL of emulator.mjs; the other bundle files are fetched relative to it. */
  emulatorBundleUrl: string;
  hostname: string;
}

/** The part of a booted WebContainer the runtime uses (a WebContainer is one). */
export interface LabContainer {
  readonly workdir: string;
  /** The default PATH of spawned processes (jsh's /bin, node, …). */
  readonly path: string;
  readonly fs: Pick<FileSystemAPI, 'readFile' | 'writeFile' | 'mkdir' | 'rm'>;
  mount(tree: FileSystemTree): Promise<void>;
  spawn(command: string, args: string[], options?: SpawnOptions): Promise<WebContainerProcess>;
  teardown(): void;
}

/** How long the daemon may take to answer after it was started. */
const DAEMON_READY_ATTEMPTS = 100;
const DAEMON_READY_INTERVAL_MS = 100;
/** How long a stopping daemon may take to stop its units before it is killed. */
const DAEMON_STOP_GRACE_MS = 5000;
/** The events follower prints this on stderr once it is subscribed (src/emulator/cli/client.ts). */
const SUBSCRIBED_LINE = 'Following the events of the emulator';

let booting: Promise<WebContainer> | undefined;
let apiKeyConfigured = false;
let users = 0;

/** Boots the page's one WebContainer (later calls reuse it). */
function bootContainer(clientId: string | undefined): Promise<WebContainer> {
  if (!booting) {
    // configureAPIKey throws once boot() was ever called, so it is called at most once, before the first boot.
    if (clientId && !apiKeyConfigured) configureAPIKey(clientId);
    apiKeyConfigured = true;
    booting = WebContainer.boot({ coep: 'credentialless', workdirName: 'lab' });
    booting.catch(() => (booting = undefined));
  }
  return booting;
}

/** Resolves after `ms`. */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Terminal text with \n line ends (a pseudo-terminal writes \r\n). */
function fromTerminal(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

/** Collects a process's terminal output until it exits and its output stream has closed. */
async function collect(process: WebContainerProcess): Promise<{ code: number; output: string }> {
  let output = '';
  const piped = process.output.pipeTo(new WritableStream({ write: (chunk) => void (output += chunk) })).catch(() => undefined);
  const code = await process.exit;
  // The stream closes after the exit; do not wait forever if a platform never closes it.
  await Promise.race([piped, delay(1000)]);
  return { code, output: fromTerminal(output) };
}

/** Boots the page's WebContainer ahead of a switch to it (the `auto` start's background warm-up). */
export async function warmWebContainer(clientId: string | undefined): Promise<void> {
  await bootContainer(clientId);
}

/** Boots (or reuses) the page's WebContainer and creates the runtime on it. */
export async function createWebContainerRuntime(options: WebContainerRuntimeOptions): Promise<LabRuntime> {
  return createContainerRuntime(await bootContainer(options.clientId), options);
}

/** Creates the runtime on a booted container; boot(files) mounts the lab and starts the daemon. */
export function createContainerRuntime(container: LabContainer, options: WebContainerRuntimeOptions): LabRuntime {
  users += 1;
  const workdir = container.workdir;
  const env = { PATH: `${workdir}/${WRAPPER_DIR}:${container.path}`, HOSTNAME: options.hostname, HOME: workdir };
  const listeners = new Set<(event: SystemEvent) => void>();
  let bundle: Record<string, string> | undefined;
  let daemon: WebContainerProcess | undefined;
  let events: WebContainerProcess | undefined;
  let disposed = false;

  /** Runs the bundle's CLI once and returns its output. */
  const cli = async (args: string[]) => collect(await container.spawn('node', [EMULATOR_BUNDLE_PATH, ...args], { env }));

  /** Fetches the bundle's files once (the site serves them next to emulator.mjs). */
  const fetchBundle = async (): Promise<Record<string, string>> => {
    const files: Record<string, string> = {};
    for (const file of EMULATOR_BUNDLE_FILES) {
      const url = new URL(file, options.emulatorBundleUrl);
      const response = await fetch(url);
      if (!response.ok) {
        throw new Error(`the emulator bundle file ${url.pathname} answered ${response.status}; the site build writes it (npm run build)`);
      }
      files[file] = await response.text();
    }
    return files;
  };

  /** Stops the running daemon as SIGTERM would (WebContainers cannot signal), killing it if it hangs. */
  const stopDaemon = async (): Promise<void> => {
    events?.kill();
    events = undefined;
    const running = daemon;
    daemon = undefined;
    if (!running) return;
    await cli(['stop', '--root', MACHINE_ROOT]);
    await Promise.race([running.exit, delay(DAEMON_STOP_GRACE_MS)]);
    running.kill();
  };

  /** Starts the daemon and resolves once it answers; rejects with its output when it exits first. */
  const startDaemon = async (): Promise<void> => {
    // --shim: WebContainers cannot pass fd 3 to a child nor use Unix sockets; the bundle's preloaded
    // listen-fds shim and TCP relays stand in (see src/emulator/kernel/node/).
    const started = await container.spawn('node', [EMULATOR_BUNDLE_PATH, 'daemon', '--root', MACHINE_ROOT, '--shim'], { env });
    daemon = started;
    let output = '';
    void started.output.pipeTo(new WritableStream({ write: (chunk) => void (output = (output + chunk).slice(-4000)) })).catch(() => undefined);
    let exitCode: number | undefined;
    void started.exit.then((code) => (exitCode = code));
    for (let attempt = 0; attempt < DAEMON_READY_ATTEMPTS && exitCode === undefined; attempt += 1) {
      // `emu snapshot` exits 0 once the daemon serves commands (its units are booted by then), 1 while none answers.
      if ((await cli(['snapshot', '--root', MACHINE_ROOT])).code === 0 && exitCode === undefined) return;
      await delay(DAEMON_READY_INTERVAL_MS);
    }
    const lastLines = fromTerminal(output).trim().split('\n').slice(-5).join(' / ');
    throw new Error(exitCode !== undefined
      ? `the emulator daemon exited with status ${exitCode}: ${lastLines}`
      : `the emulator daemon did not answer within ${(DAEMON_READY_ATTEMPTS * DAEMON_READY_INTERVAL_MS) / 1000} s: ${lastLines}`);
  };

  /** Streams the daemon's events (`emu events` prints one JSON SystemEvent per line); resolves once subscribed. */
  const followEvents = async (): Promise<void> => {
    const follower = await container.spawn('node', [EMULATOR_BUNDLE_PATH, 'events', '--root', MACHINE_ROOT], { env });
    events = follower;
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      void follower.exit.then((code) => reject(new Error(`emu events exited with status ${code}: ${buffer.trim()}`)));
      void follower.output.pipeTo(
        new WritableStream({
          write(chunk) {
            buffer += chunk;
            const lines = buffer.split(/\r?\n/);
            buffer = lines.pop() ?? '';
            for (const line of lines) {
              if (line.includes(SUBSCRIBED_LINE)) resolve();
              if (!line.startsWith('{')) continue;
              let event: SystemEvent;
              try {
                event = JSON.parse(line) as SystemEvent;
              } catch {
                continue; // a line cut by the terminal must not end the stream
              }
              for (const listener of listeners) listener(event);
            }
          },
        }),
      ).catch(() => undefined);
    });
  };

  /** The daemon's state as plain data (`emu snapshot` prints the SystemSnapshot as one line of JSON). */
  const snapshot = async (): Promise<SystemSnapshot> => {
    const { code, output } = await cli(['snapshot', '--root', MACHINE_ROOT]);
    const line = output.split('\n').find((text) => text.startsWith('{'));
    if (code !== 0 || !line) throw new Error(`emu snapshot failed (status ${code}): ${output.trim()}`);
    return JSON.parse(line) as SystemSnapshot;
  };

  return {
    info: { kind: 'webcontainer', reason: 'WebContainer runtime: the emulator runs as real Node processes in your browser.' },
    async boot(files: LabFiles) {
      await stopDaemon();
      bundle ??= await fetchBundle();
      await container.fs.rm(MACHINE_ROOT, { recursive: true, force: true });
      await container.mount({ ...toFileSystemTree(files), ...bundleTree(bundle), ...wrapperTree(workdir) });
      // A mounted file has no mode bits to carry: make the wrappers executable so jsh runs them from PATH, and
      // the machine image's programs, as the in-memory kernel has them.
      await collect(await container.spawn('node', ['-e', 'for (const f of process.argv.slice(1)) require("fs").chmodSync(f, 0o755)', ...wrapperPaths(), ...executablePaths(files)], { env }));
      await startDaemon();
      await followEvents();
    },
    run(commandLine, output, runOptions): RunningCommand {
      const started = container.spawn('jsh', ['-c', commandLine], {
        env,
        terminal: { cols: runOptions?.columns ?? 80, rows: 24 },
      });
      let interrupted = false;
      const writer = started.then((process) => process.input.getWriter());
      const exit = started.then(async (process) => {
        void process.output.pipeTo(new WritableStream({ write: (chunk) => output(fromTerminal(chunk), 'stdout') })).catch(() => undefined);
        const code = await process.exit;
        return interrupted ? 130 : code;
      });
      return {
        exit,
        interrupt: () => {
          interrupted = true;
          // Ctrl+C through the terminal first (the foreground program gets SIGINT), then make sure it ends.
          void writer.then((input) => input.write('\x03')).catch(() => undefined);
          void started.then((process) => process.kill());
        },
        write: (data) => {
          void writer.then((input) => (data === null ? input.close() : input.write(data))).catch(() => undefined);
        },
      };
    },
    async readFile(path) {
      try {
        return await container.fs.readFile(containerPath(path), 'utf-8');
      } catch {
        return undefined;
      }
    },
    async writeFile(path, contents) {
      const target = containerPath(path);
      await container.fs.mkdir(target.slice(0, target.lastIndexOf('/')), { recursive: true });
      await container.fs.writeFile(target, contents);
    },
    async completions() {
      const { units } = await snapshot();
      return { commands: completionNames('webcontainer'), units: units.map((unit) => unit.name) };
    },
    snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      listeners.clear();
      users -= 1;
      if (users === 0) {
        // The last lab on the page: tearing the container down ends every process in it.
        container.teardown();
        booting = undefined;
      } else {
        void stopDaemon();
      }
    },
  };
}

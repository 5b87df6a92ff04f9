/**
 * The WebContainer LabRuntime: the prebuilt emulator bundle runs as real Node processes in a
 * StackBlitz WebContainer. The daemon (`emu daemon --root machine`) owns the sockets; services are
 * real child processes; each command line runs under jsh with the emulator's commands on PATH.
 * Needs a cross-origin isolated page and StackBlitz's hosts; choose-runtime.ts falls back to the
 * in-page runtime when either is missing. The container is booted once per page and reused.
 */
import { WebContainer, auth, type WebContainerProcess } from '@webcontainer/api';
import type { SystemEvent, SystemSnapshot } from '../../../emulator/system-events.ts';
import type { LabFiles, LabRuntime, RunningCommand } from '../lab-runtime.ts';
import {
  EMULATOR_BUNDLE_FILES,
  EMULATOR_BUNDLE_PATH,
  EMULATOR_COMMANDS,
  MACHINE_ROOT,
  bundleTree,
  containerPath,
  toFileSystemTree,
  wrapperTree,
} from './container-layout.ts';

/** Configuration from the build (never committed: the client id comes from PUBLIC_WEBCONTAINER_CLIENT_ID). */
export interface WebContainerRuntimeOptions {
  clientId?: string;
  emulatorBundleUrl: string;
  hostname: string;
}

let booting: Promise<WebContainer> | undefined;

/** Boots the page's one WebContainer (later calls reuse it). */
function bootContainer(clientId: string | undefined): Promise<WebContainer> {
  if (!booting) {
    if (clientId) auth.init({ clientId, scope: '' });
    booting = WebContainer.boot({ coep: 'credentialless', workdirName: 'lab' });
    booting.catch(() => (booting = undefined));
  }
  return booting;
}

/** Collects a process's terminal output until it exits. */
async function collect(process: WebContainerProcess): Promise<{ code: number; output: string }> {
  let output = '';
  void process.output.pipeTo(new WritableStream({ write: (chunk) => void (output += chunk) }));
  const code = await process.exit;
  return { code, output };
}

/** Creates the runtime (boots or reuses the container; boot(files) mounts the lab and starts the daemon). */
export async function createWebContainerRuntime(options: WebContainerRuntimeOptions): Promise<LabRuntime> {
  const container = await bootContainer(options.clientId);
  const workdir = container.workdir;
  const env = { PATH: `${workdir}/node_modules/.bin:/usr/local/bin:/usr/bin:/bin`, HOSTNAME: options.hostname, HOME: workdir };
  const listeners = new Set<(event: SystemEvent) => void>();
  let daemon: WebContainerProcess | undefined;
  let events: WebContainerProcess | undefined;

  /** Runs the bundle's CLI once and returns its output (snapshot, completions). */
  const cli = async (args: string[]) => collect(await container.spawn('node', [EMULATOR_BUNDLE_PATH, ...args], { env, output: true }));

  /** Streams the daemon's events (`emu events --root machine` prints one JSON SystemEvent per line). */
  const followEvents = async () => {
    events = await container.spawn('node', [EMULATOR_BUNDLE_PATH, 'events', '--root', MACHINE_ROOT], { env });
    let buffer = '';
    void events.output.pipeTo(
      new WritableStream({
        write(chunk) {
          buffer += chunk;
          const lines = buffer.split(/\r?\n/);
          buffer = lines.pop() ?? '';
          for (const line of lines) {
            if (!line.startsWith('{')) continue;
            const event = JSON.parse(line) as SystemEvent;
            for (const listener of listeners) listener(event);
          }
        },
      }),
    );
  };

  /** The daemon's state as plain data (`emu snapshot --root machine` prints the SystemSnapshot as JSON). */
  const snapshot = async (): Promise<SystemSnapshot> => {
    const { code, output } = await cli(['snapshot', '--root', MACHINE_ROOT]);
    if (code !== 0) throw new Error(`emu snapshot failed: ${output.trim()}`);
    return JSON.parse(output.slice(output.indexOf('{'))) as SystemSnapshot;
  };

  return {
    info: { kind: 'webcontainer', reason: 'WebContainer runtime: the emulator runs as real Node processes in your browser.' },
    async boot(files: LabFiles) {
      daemon?.kill();
      events?.kill();
      const bundle: Record<string, string> = {};
      for (const file of EMULATOR_BUNDLE_FILES) {
        const url = new URL(file, options.emulatorBundleUrl);
        const response = await fetch(url);
        if (!response.ok) throw new Error(`the emulator bundle file ${url.pathname} answered ${response.status}`);
        bundle[file] = await response.text();
      }
      await container.fs.rm(MACHINE_ROOT, { recursive: true, force: true });
      await container.mount({ ...toFileSystemTree(files), ...bundleTree(bundle), ...wrapperTree(workdir) });
      // --shim: WebContainers cannot pass fd 3 to a child nor use Unix sockets; the bundle's preloaded
      // listen-fds shim and TCP relays stand in (see src/emulator/kernel/node/).
      daemon = await container.spawn('node', [EMULATOR_BUNDLE_PATH, 'daemon', '--root', MACHINE_ROOT, '--shim'], { env });
      // The daemon is ready once `systemctl is-system-running`-like probing answers; list-units is enough.
      for (let attempt = 0; attempt < 50; attempt += 1) {
        if ((await cli(['systemctl', '--root', MACHINE_ROOT, 'list-units'])).code === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await followEvents();
    },
    run(commandLine, output, runOptions): RunningCommand {
      const started = container.spawn('jsh', ['-c', commandLine], {
        env,
        terminal: { cols: runOptions?.columns ?? 80, rows: 24 },
      });
      let writer: WritableStreamDefaultWriter<string> | undefined;
      const exit = started.then((process) => {
        void process.output.pipeTo(new WritableStream({ write: (chunk) => output(chunk, 'stdout') }));
        writer = process.input.getWriter();
        return process.exit;
      });
      return {
        exit,
        interrupt: () => void started.then((process) => process.kill()),
        write: (data) => {
          if (data === null) void writer?.close();
          else void writer?.write(data);
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
      return { commands: [...EMULATOR_COMMANDS, 'cat', 'ls', 'echo', 'clear', 'help'].sort(), units: units.map((unit) => unit.name) };
    },
    snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      daemon?.kill();
      events?.kill();
      listeners.clear();
    },
  };
}

/**
 * How a lab is laid out inside a WebContainer, as pure functions (unit-tested without StackBlitz):
 *   machine/…                 the lab's machine files (the emulator's --root; /etc/x → machine/etc/x)
 *   emulator/emulator.mjs     the prebuilt emulator bundle (CLI + Node kernel); never npm install
 *   node_modules/.bin/<cmd>   one small Node wrapper per emulator command, so jsh finds `systemctl`
 *                             & co. on PATH and each runs as a real process: `node emulator.mjs <cmd> --root machine …`
 *
 * Paths the learner types: jsh's own `cat` and `ls` (/bin/cat, /bin/ls) see the container's file system, where
 * the machine lives under <workdir>/machine, so `cat /etc/systemd/system/myapp.socket` would fail there. The
 * WebContainer file API cannot write outside the work directory, so the machine cannot be mounted at the
 * container's /etc. Instead `cat` and `ls` get wrappers too, put before /bin on PATH: they run the emulator's
 * own cat and ls on the daemon, whose file system is the machine root, so every path (and every message, e.g.
 * "cat: /etc/x: No such file or directory") is the same as in the in-page runtime. curl and nc likewise
 * override jsh's curl, so they reach the emulator's sockets (Unix ones included) as the learner expects.
 */
import type { FileSystemTree, DirectoryNode, FileNode, SymlinkNode } from '@webcontainer/api';
import { machineImage } from '../../../emulator/machine/machine-image.ts';
import type { LabFiles } from '../lab-runtime.ts';
import { webContainerCommands } from '../../../emulator/commands/command-table.ts';

/** The emulator's --root inside the container's work directory. */
export const MACHINE_ROOT = 'machine';
/** Where the emulator bundle is mounted. */
export const EMULATOR_BUNDLE_PATH = 'emulator/emulator.mjs';
/** Folder of the command wrappers (on jsh's PATH). */
export const WRAPPER_DIR = 'node_modules/.bin';

/**
 * Files of the prebuilt bundle (`npm run build:emulator-bundle`, served from <base>webcontainer/),
 * relative to emulator.mjs; mounted under emulator/ with the same layout, which the bundle expects.
 */
export const EMULATOR_BUNDLE_FILES = [
  'emulator.mjs',
  'service-runtime/listen-fds-shim.cjs',
  'service-runtime/modules/sd-daemon/index.cjs',
  'service-runtime/modules/sd-daemon/package.json',
] as const;

/** The emulator commands a learner types, run through the bundle's CLI (`emu <cmd> --root DIR …`): from the command table. */
export const EMULATOR_COMMANDS: readonly string[] = webContainerCommands('emulator');

/** Commands jsh provides itself that the lab terminal offers too (for Tab completion): from the command table. */
export const SHELL_COMMANDS: readonly string[] = webContainerCommands('jsh');

/** The bundle's files (relative path → text) as a tree mounted at emulator/. */
export function bundleTree(files: Record<string, string>): FileSystemTree {
  const nodes = Object.entries(files).map(([path, text]): [string, FileNode] => [`/${path}`, { file: { contents: text } }]);
  return nestedTree(nodes, EMULATOR_BUNDLE_PATH.slice(0, EMULATOR_BUNDLE_PATH.lastIndexOf('/')));
}

/**
 * Converts machine files to a WebContainer tree mounted under `root` (`/etc/x` → root/etc/x): the machine
 * image both kernels mount (machine-image.ts), so `.wants/` entries are symlinks here too. A mounted file has
 * no mode bits: executablePaths() lists the files to chmod after mounting.
 */
export function toFileSystemTree(files: LabFiles, root = MACHINE_ROOT): FileSystemTree {
  const image = machineImage(files);
  return nestedTree([
    ...image.files.map((file): [string, FileNode] => [file.path, { file: { contents: file.contents } }]),
    ...image.links.map((link): [string, SymlinkNode] => [link.path, { file: { symlink: link.target } }]),
  ], root);
}

/** Absolute paths and their nodes as one tree under `root`. */
function nestedTree(nodes: Array<[string, FileNode | SymlinkNode]>, root: string): FileSystemTree {
  const tree: FileSystemTree = {};
  for (const [path, node] of nodes) {
    if (!path.startsWith('/')) throw new Error(`Lab file "${path}" must be an absolute machine path such as /etc/x.`);
    const parts = [...root.split('/'), ...path.split('/').filter(Boolean)];
    let directory = tree;
    for (const name of parts.slice(0, -1)) {
      const entry = (directory[name] ??= { directory: {} });
      if (!('directory' in entry)) throw new Error(`Lab file "${path}" needs "${name}" to be a directory, but it is a file.`);
      directory = (entry as DirectoryNode).directory;
    }
    directory[parts[parts.length - 1]] = node;
  }
  return tree;
}

/** The container paths of the image's executable files (0755 in both kernels). */
export function executablePaths(files: LabFiles): string[] {
  return machineImage(files).files.filter((file) => file.mode & 0o111).map((file) => containerPath(file.path));
}

/**
 * The Node script jsh runs for `command` (a wrapper in node_modules/.bin, like an npm bin). It has no file
 * extension, so Node loads it as CommonJS: no top-level await, a dynamic import() of the ESM bundle instead.
 */
export function commandWrapperScript(command: string, workdir: string): string {
  return [
    '#!/usr/bin/env node',
    `// Runs \`${command}\` of the lab's emulator against ${workdir}/${MACHINE_ROOT} (generated by the lab runtime).`,
    `process.argv.splice(2, 0, ${JSON.stringify(command)}, '--root', ${JSON.stringify(`${workdir}/${MACHINE_ROOT}`)});`,
    `import(${JSON.stringify(`${workdir}/${EMULATOR_BUNDLE_PATH}`)});`,
    '',
  ].join('\n');
}

/** The wrappers' container paths (relative to the work directory), to make executable after mounting. */
export function wrapperPaths(): string[] {
  return EMULATOR_COMMANDS.map((command) => `${WRAPPER_DIR}/${command}`);
}

/** Every wrapper as a tree to mount at the work directory. */
export function wrapperTree(workdir: string): FileSystemTree {
  const bin: FileSystemTree = {};
  for (const command of EMULATOR_COMMANDS) bin[command] = { file: { contents: commandWrapperScript(command, workdir) } };
  return { node_modules: { directory: { '.bin': { directory: bin } } } };
}

/** The container path of a machine path. */
export function containerPath(machinePath: string): string {
  return `${MACHINE_ROOT}${machinePath.startsWith('/') ? '' : '/'}${machinePath}`;
}

/**
 * The machine factory on the Node kernel (the WebContainer's machine, `emu daemon`): a lab's image written
 * into a fresh root directory, then the same System and shell as the in-memory machine (lab-system.ts).
 * Node-only; the in-page runtime never imports it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createNodeKernel } from '../kernel/node/node-kernel.ts';
import { writeMachineImage } from '../kernel/node/write-machine-image.ts';
import { machineImage } from './machine-image.ts';
import { inPrivateNetworkNamespace } from '../kernel/node/network-namespace.ts';
import { debianBase, debianBootState, debianPrograms, loadDebianBase } from './debian-base.ts';
import { createLabSystem, type LabSystem } from './lab-system.ts';
import type { ProgramFactory } from '../service/sandbox.ts';

/** A booted Node-kernel machine and how to tear it down (stops the units, frees the ports, removes the root). */
export interface NodeLabSystem extends LabSystem {
  root: string;
  dispose(): Promise<void>;
}

/** Where Debian's sshd is, on the host and on the machine. */
const HOST_SSHD = '/usr/sbin/sshd';

/**
 * True when the host's sshd is there with what it needs to start (its sshd_config and a host key in /etc/ssh, where
 * it reads them: services run on the host's file system); without them `sshd -t` fails and ssh.service with it.
 */
function hostSshdRuns(sshd: string, etc = '/etc/ssh'): boolean {
  if (!fs.existsSync(sshd) || !fs.existsSync(path.join(etc, 'sshd_config'))) return false;
  try {
    return fs.readdirSync(etc).some((name) => /^ssh_host_\w+_key$/.test(name));
  } catch {
    return false;
  }
}

/**
 * Debian's sshd on a Node-kernel machine rooted at `root` (its files already written), whose ssh.service holds :22
 * from boot as on the real Debian: none where the machine's ports are the host's (outside a network namespace of its
 * own: network-namespace.ts). Inside one, the host's own /usr/sbin/sshd where it is installed, as the Node kernel
 * runs the host's programs (a lab's own ssh units, the real-program scenarios' sshd -i, run it too): a copy of it
 * at the machine's /usr/sbin/sshd, so that ssh.service is a unit whose program the machine has; sshd itself then
 * listens, ss -tlnp names it with its backlog of 128, and the banner is the host's (Debian 12's on the oracle's
 * host). Where the host has none (or none that can start), or in the WebContainer's mode (`shim`), the emulator's
 * own sshd (debian-base.ts), the memory kernel's. Returns the built-in programs to give the Node kernel.
 */
export function nodeMachinePrograms(
  root: string,
  labPaths: Iterable<string>,
  options: { shim?: boolean } = {},
  host: { ownNetwork: boolean; sshd: string; sshConfig?: string } = { ownNetwork: inPrivateNetworkNamespace(), sshd: HOST_SSHD },
): Record<string, ProgramFactory> {
  const paths = [...labPaths];
  if (!host.ownNetwork || paths.includes(HOST_SSHD)) return {};
  // The WebContainer's mode (`shim`) has no NOTIFY_SOCKET a real program can write to: the host's Type=notify sshd
  // would never be ready there.
  if (options.shim || !hostSshdRuns(host.sshd, host.sshConfig)) return debianPrograms(paths);
  // A copy, not a link: a learner who edits the machine's /usr/sbin/sshd must not change the host's.
  const copy = path.join(root, HOST_SSHD);
  fs.mkdirSync(path.dirname(copy), { recursive: true });
  fs.copyFileSync(host.sshd, copy);
  fs.chmodSync(copy, 0o755);
  return {};
}

/** Writes `files` over a Debian 12 (debian-base.ts) as the machine image into a temporary root and boots it; `shim` is the WebContainer's mode. */
export async function bootNodeMachine(files: Record<string, string>, hostname: string, options: { shim?: boolean } = {}): Promise<NodeLabSystem> {
  await loadDebianBase();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-lab-'));
  // mkdtemp makes it 0700: services that run as User= (when the emulator is root) must reach their files.
  fs.chmodSync(root, 0o755);
  writeMachineImage(root, machineImage(files, debianBase()));
  const programs = nodeMachinePrograms(root, Object.keys(files), options);
  const kernel = await createNodeKernel({ root, hostname, programs, ...(options.shim ? { fdPassing: false, unixSockets: false } : {}) });
  const machine = createLabSystem(kernel, hostname);
  await machine.system.boot(debianBootState(Object.keys(files)));
  await kernel.ready();
  return {
    ...machine,
    root,
    async dispose() {
      await Promise.race([machine.system.shutdown(), new Promise((resolve) => setTimeout(resolve, 5000))]);
      await kernel.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

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

/** A booted Node-kernel machine and how to tear it down (stops the units, frees the ports, removes the root). */
export interface NodeLabSystem extends LabSystem {
  root: string;
  dispose(): Promise<void>;
}

/** Writes `files` over a Debian 12 (debian-base.ts) as the machine image into a temporary root and boots it; `shim` is the WebContainer's mode. */
export async function bootNodeMachine(files: Record<string, string>, hostname: string, options: { shim?: boolean } = {}): Promise<NodeLabSystem> {
  await loadDebianBase();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-lab-'));
  // mkdtemp makes it 0700: services that run as User= (when the emulator is root) must reach their files.
  fs.chmodSync(root, 0o755);
  writeMachineImage(root, machineImage(files, debianBase()));
  const programs = debianPrograms(Object.keys(files), { ownNetwork: inPrivateNetworkNamespace() });
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

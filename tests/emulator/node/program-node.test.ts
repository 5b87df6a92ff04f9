import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeKernel, type NodeKernel } from '../../../src/emulator/kernel/node/node-kernel.ts';
import { emulatorNode, nodeAt } from '../../../src/emulator/kernel/node/program-node.ts';
import type { Process } from '../../../src/emulator/kernel/kernel.ts';
import { makeRoot } from './node-test-helpers.ts';
import { kernelCommandLine } from '../../../src/emulator/commands/systemctl-status.ts';

const kernels: NodeKernel[] = [];
afterEach(async () => {
  await Promise.all(kernels.splice(0).map((kernel) => kernel.dispose()));
});

function exitOf(proc: Process): Promise<{ code?: number; signal?: string }> {
  return new Promise((resolve) => proc.onExit(resolve));
}

describe("the machine's /usr/bin/node (program-node.ts)", () => {
  it('is the emulator\'s own Node by default, and nodeAt() reads the version a Node prints', () => {
    expect(emulatorNode()).toEqual({ path: process.execPath, env: {}, version: process.version });
    expect(nodeAt(process.execPath, path.join(os.tmpdir(), 'unused'))).toEqual({ path: process.execPath, env: {}, version: process.version });
  });

  it('says what is wrong with a Node that cannot run', () => {
    expect(() => nodeAt('/nonexistent/node', os.tmpdir())).toThrow('/nonexistent/node: No such file or directory');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'program-node-'));
    const broken = path.join(dir, 'node');
    fs.writeFileSync(broken, '#!/bin/sh\necho "node: bad option" >&2\nexit 9\n', { mode: 0o755 });
    expect(() => nodeAt(broken, dir)).toThrow(`${broken} cannot run here: node: bad option`);
  });

  it('runs Node programs with the Node given, whose start-up variables the program does not see', async () => {
    // A "Node" that starts only with NEEDED=yes in its environment, as Debian's needs LD_LIBRARY_PATH off its root.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'program-node-'));
    const wrapper = path.join(dir, 'node');
    fs.writeFileSync(wrapper, `#!/bin/sh\n[ "$NEEDED" = yes ] || { echo "NEEDED is not set" >&2; exit 7; }\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
    const kernel = await createNodeKernel({
      root: makeRoot({ '/opt/env/env.js': "console.log(`NEEDED=${process.env.NEEDED ?? '(unset)'} ${process.version}`);\n" }),
      programNode: { path: wrapper, env: { NEEDED: 'yes' }, version: 'v0.0.0-test' },
    });
    kernels.push(kernel);
    const lines: string[] = [];
    const proc = kernel.processes.spawn({
      argv: ['/usr/bin/node', '/opt/env/env.js'], env: {}, setListenPid: false, fds: [], unit: 'env.service',
      onOutput: (line, stream) => lines.push(`${stream}:${line}`), onNotify: () => undefined,
    });
    expect(await exitOf(proc)).toEqual({ code: 0 });
    expect(lines).toEqual([`stdout:NEEDED=(unset) ${process.version}`]);
    // The machine's /usr/bin/node file runs the same Node, with what it needs.
    expect(kernel.fs.readFile('/usr/bin/node')).toContain(`NEEDED='yes' exec '${wrapper}' "$@"`);
    expect(kernel.fs.readFile('/usr/bin/node')).toContain('Node.js v0.0.0-test');
    // status's CGroup: line shows /usr/bin/node as the binary it stands for, not as the shell script the root has.
    expect(kernelCommandLine(kernel.fs, ['/usr/bin/node', '/opt/env/env.js'])).toEqual(['/usr/bin/node', '/opt/env/env.js']);
  });
});

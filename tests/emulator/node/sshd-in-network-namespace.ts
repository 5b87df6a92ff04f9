/**
 * `node sshd-in-network-namespace.ts`: boots a Node-kernel lab machine (node-machine.ts) and prints what
 * `ss -tlnp` shows, for sshd-network-namespace.test.ts to run inside and outside a network namespace of its own.
 */
import { bootNodeMachine } from '../../../src/emulator/machine/node-machine.ts';

const lab = await bootNodeMachine({}, 'lab');
let out = '';
try {
  await lab.system.manager.whenIdle();
  await lab.runCommandLine('ss -tlnp; echo hello | nc -N 127.0.0.1 22', { stdout: (t) => (out += t), stderr: (t) => (out += t), signal: new AbortController().signal, columns: 200 });
} finally {
  await lab.dispose();
}
process.stdout.write(out, () => process.exit(0));

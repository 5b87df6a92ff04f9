/**
 * A fresh network namespace for this test process, with its loopback up: the Node-kernel labs bind fixed ports
 * (8080, 80, 9000, …) for real, and would collide with anything else on the machine that holds them (tests
 * running in parallel, other services, a lab of an earlier test whose process outlived it). Called before each
 * Node-kernel lab boots, so each lab has a network of its own; sockets opened before stay in the old one.
 *
 * unshare(CLONE_NEWNET) through koffi (as the Node kernel's libc.ts calls libc): it moves the calling thread,
 * which is the one Node opens its sockets and starts its children on. Needs root on Linux; elsewhere, or when
 * it fails, enterPrivateNetwork() says why and the labs run in the machine's own network.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const CLONE_NEWNET = 0x40000000;

let unshare: ((flags: number) => number) | undefined | null;

/** The libc unshare(2), or null when it cannot be loaded. */
function loadUnshare(): ((flags: number) => number) | null {
  if (unshare !== undefined) return unshare;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as { load(name: string): { func(signature: string): (flags: number) => number } };
    unshare = koffi.load('libc.so.6').func('int unshare(int flags)');
  } catch {
    unshare = null;
  }
  return unshare;
}

/** Moves this process into a new network namespace with `lo` up; returns why it could not, or undefined. */
export function enterPrivateNetwork(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces exist on Linux only';
  if (process.getuid?.() !== 0) return 'a network namespace needs root (unshare(CLONE_NEWNET))';
  const call = loadUnshare();
  if (!call) return 'koffi could not load libc.so.6 for unshare(2)';
  if (call(CLONE_NEWNET) !== 0) return 'unshare(CLONE_NEWNET) failed (a container without CAP_SYS_ADMIN?)';
  const ip = spawnSync('ip', ['link', 'set', 'lo', 'up'], { encoding: 'utf8' });
  if (ip.status !== 0) return `ip link set lo up failed: ${ip.error?.message ?? ip.stderr.trim()} (iproute2 missing?)`;
  return undefined;
}

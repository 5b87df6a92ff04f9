/**
 * Whether the Node kernel runs in a network namespace of its own (`unshare --net`, as the oracle's Node-kernel
 * runs do): then the machine's ports are its own, port 22 included, and Debian's sshd can listen there from boot
 * as on the real machine. Outside one (the CLI daemon on a developer's machine) port 22 is the host's.
 */
import * as fs from 'node:fs';

/**
 * True when this process's network namespace has no interface but loopback (/proc/self/net/dev, which shows the
 * reader's own namespace): a namespace made for the machine, as `unshare --net` makes it, whose ports no host
 * service uses. (Comparing /proc/self/ns/net with /proc/1/ns/net would say more, but PID 1's is unreadable in
 * containers and sandboxes, this one's included.) False where it cannot be read (not Linux): the safe side,
 * which leaves the host's ports alone.
 */
export function inPrivateNetworkNamespace(): boolean {
  let text: string;
  try {
    text = fs.readFileSync('/proc/self/net/dev', 'utf8');
  } catch {
    return false;
  }
  // Two header lines, then `  name: counters…` per interface.
  const interfaces = text.split('\n').slice(2).map((line) => line.split(':')[0].trim()).filter(Boolean);
  return interfaces.length > 0 && interfaces.every((name) => name === 'lo');
}

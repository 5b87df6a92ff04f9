/**
 * ListenNetlink= as systemd 252 on Debian 12 handles it (checked in the oracle's nspawn container): the address
 * grammar (`FAMILY [GROUP]`, names of netlink_family_table or numbers), the `route 1361 (Netlink)` form of status,
 * show and list-sockets, the refusal of Accept=yes, and a protocol the kernel lacks failing the start.
 */
import * as os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeKernel, type NodeKernel } from '../../../src/emulator/kernel/node/node-kernel.ts';
import { loadLibc } from '../../../src/emulator/kernel/node/libc.ts';
import { bootMemoryMachine, type LabSystem } from '../../../src/emulator/machine/lab-system.ts';
import { parseNetlinkAddress } from '../../../src/emulator/unit-file/listen-address.ts';
import { listenOptions, makeRoot } from '../node/node-test-helpers.ts';

async function run(lab: LabSystem, line: string): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await lab.runCommandLine(line, { stdout: (t) => (out += t), stderr: (t) => (out += t), signal: new AbortController().signal, columns: 200 });
  return { code, out };
}

describe('ListenNetlink= addresses', () => {
  it('takes a family name or number and an optional group, and prints them as systemd does', () => {
    const text = (value: string) => {
      const address = parseNetlinkAddress(value);
      return typeof address === 'string' ? address : address.text;
    };
    expect(text('route 1361')).toBe('route 1361');
    expect(text('route')).toBe('route 0');
    expect(text('9 5')).toBe('audit 5');
    expect(text('0x10 1')).toBe('generic 1');
    expect(text('generic 0x10')).toBe('generic 16');
    expect(text('17')).toBe('17 0');
    expect(text('kobject-uevent 1')).toBe('kobject-uevent 1');
    for (const bad of ['bogus', 'route x', 'sock_diag', 'usersock 3', 'crypto 1', 'smc']) expect(text(bad)).toBe('EINVAL');
    expect(text('generic 4294967296')).toBe('ERANGE');
  });
});

describe('ListenNetlink= sockets on the memory kernel', () => {
  it('lists, shows and starts them; warns about bad values with file and line; refuses Accept=yes', async () => {
    const lab = await bootMemoryMachine({
      '/etc/systemd/system/nl.socket': '[Socket]\nListenNetlink=route 1\nListenNetlink=bogus\nListenNetlink=kobject-uevent 1\n',
      '/etc/systemd/system/nl.service': '[Service]\nExecStart=/bin/sleep 1000\n',
      '/etc/systemd/system/nla.socket': '[Socket]\nListenNetlink=route 1\nAccept=yes\n',
    }, 'lab');
    expect((await run(lab, 'systemctl show -p Listen systemd-journald-audit.socket systemd-networkd.socket')).out).toBe('Listen=audit 1 (Netlink)\n\nListen=route 1361 (Netlink)\n');
    expect((await run(lab, 'systemctl start nl.socket')).code).toBe(0);
    const status = (await run(lab, 'systemctl status nl.socket')).out;
    expect(status).toContain('     Active: active (listening)');
    expect(status).toContain('     Listen: route 1 (Netlink)\n             kobject-uevent 1 (Netlink)\n');
    const journal = (await run(lab, 'journalctl -u nl.socket -o cat --no-pager')).out;
    expect(journal).toContain("/etc/systemd/system/nl.socket:3: Failed to parse address value in 'bogus', ignoring: Invalid argument");
    const sockets = (await run(lab, 'systemctl list-sockets --all')).out;
    expect(sockets).toMatch(/^route 1361 +systemd-networkd\.socket +systemd-networkd\.service$/m);
    expect(sockets).toMatch(/^audit 1 +systemd-journald-audit\.socket +systemd-journald\.service$/m);
    expect((await run(lab, 'systemctl status nla.socket')).out).toContain('Loaded: bad-setting (Reason: Unit nla.socket has a bad unit file setting.)');
    expect((await run(lab, 'journalctl -u nla.socket -o cat --no-pager')).out).toContain('nla.socket: Unit configured for accepting sockets, but sockets are non-accepting. Refusing.');
  });

  it('fails to start on a protocol the kernel has no family for, as the oracle\'s kernel does', async () => {
    const lab = await bootMemoryMachine({
      '/etc/systemd/system/nl.socket': '[Socket]\nListenNetlink=22 1\n',
      '/etc/systemd/system/nl.service': '[Service]\nExecStart=/bin/sleep 1000\n',
    }, 'lab');
    expect((await run(lab, 'systemctl start nl.socket')).code).toBe(1);
    const journal = (await run(lab, 'journalctl -u nl.socket -o cat --no-pager')).out.split('\n');
    expect(journal).toEqual(expect.arrayContaining([
      'nl.socket: Failed to create listening socket (22 1): Protocol not supported',
      'nl.socket: Failed to listen on sockets: Protocol not supported',
      "nl.socket: Failed with result 'resources'.",
    ]));
  });
});

const kernels: NodeKernel[] = [];
afterEach(async () => {
  await Promise.all(kernels.splice(0).map((kernel) => kernel.dispose()));
});

describe('ListenNetlink= sockets on the Node kernel', () => {
  const address = parseNetlinkAddress('route 1');
  if (typeof address === 'string') throw new Error(address);
  const libc = os.platform() === 'linux' ? loadLibc() : undefined;

  it('opens a real AF_NETLINK socket where libc can, else models it; a protocol the kernel lacks is refused', async () => {
    const kernel = await createNodeKernel({ root: makeRoot({}) });
    kernels.push(kernel);
    const socket = kernel.net.listen(listenOptions(address));
    expect(socket.pending()).toBe(0);
    if (libc) {
      // The fd a service gets is this process's real netlink socket.
      const fd = (socket as unknown as { fd?: number }).fd;
      if (process.getuid?.() === 0) expect(fd).toBeGreaterThanOrEqual(0);
      const unsupported = parseNetlinkAddress('23 0');
      if (typeof unsupported === 'string') throw new Error(unsupported);
      expect(() => kernel.net.listen(listenOptions(unsupported))).toThrow(expect.objectContaining({ code: 'EPROTONOSUPPORT' }));
    } else {
      console.log('no libc here (not Linux or koffi missing): the netlink socket is modelled, the real-fd checks are skipped');
    }
    socket.close();
  });
});

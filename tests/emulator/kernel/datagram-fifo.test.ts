/**
 * Datagram and FIFO listeners on the memory kernel, as systemd 252 on Debian 12 behaves (observed in nspawn):
 * a stream connect to a datagram socket is EPROTOTYPE, and PID 1 reopens an existing FIFO only when it is
 * root:root with the same mode (fifo_address_create()), so SocketGroup= breaks a restart without RemoveOnStop=.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import type { ListenOptions } from '../../../src/emulator/kernel/kernel.ts';
import { listenOptions } from './helpers.ts';

const fifo = (extra: Partial<ListenOptions> = {}): ListenOptions => ({
  ...listenOptions('/run/notes/control'),
  address: { kind: 'fifo', family: 'fifo', path: '/run/notes/control', text: '/run/notes/control' },
  ...extra,
});

describe('datagram and FIFO listeners', () => {
  it('refuses a stream connection to a datagram socket with EPROTOTYPE', async () => {
    const kernel = createMemoryKernel();
    kernel.net.listen({ ...listenOptions('/run/notes/log'), address: { kind: 'datagram', family: 'unix', path: '/run/notes/log', text: '/run/notes/log' } });
    await expect(kernel.net.connect('/run/notes/log')).rejects.toMatchObject({ code: 'EPROTOTYPE', message: 'Protocol wrong type for socket' });
  });

  it('reopens a FIFO left root:root with the same mode', () => {
    const kernel = createMemoryKernel();
    kernel.net.listen(fifo({ socketMode: 0o620 })).close();
    expect(() => kernel.net.listen(fifo({ socketMode: 0o620 })).close()).not.toThrow();
    expect(() => kernel.net.listen(fifo({ socketMode: 0o600 }))).toThrow(expect.objectContaining({ code: 'EEXIST' }));
  });

  it('cannot reopen a FIFO whose group SocketGroup= changed, unless RemoveOnStop removed it', () => {
    const kernel = createMemoryKernel();
    kernel.net.listen(fifo({ socketMode: 0o620, socketGroup: 'adm' })).close();
    expect(kernel.fs.lstat('/run/notes/control')).toMatchObject({ type: 'fifo', group: 'adm', mode: 0o620 });
    expect(() => kernel.net.listen(fifo({ socketMode: 0o620, socketGroup: 'adm' }))).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    kernel.fs.unlink('/run/notes/control');
    const again = kernel.net.listen(fifo({ socketMode: 0o620, socketGroup: 'adm' }));
    again.close({ removePath: true });
    expect(kernel.fs.lstat('/run/notes/control')).toBeUndefined();
  });

  it('queues a datagram (logger -u) on a datagram socket and refuses the other cases as Linux does', () => {
    const kernel = createMemoryKernel();
    const dgram = kernel.net.listen({ ...listenOptions('/run/dg.sock'), address: { kind: 'datagram', family: 'unix', path: '/run/dg.sock', text: '/run/dg.sock' } });
    kernel.net.listen(listenOptions('/run/st.sock'));
    kernel.net.sendDatagram('/run/dg.sock', '<13>hello');
    expect(dgram.pending()).toBe(1);
    expect(() => kernel.net.sendDatagram('/run/nope', 'x')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => kernel.net.sendDatagram('/run/st.sock', 'x')).toThrow(expect.objectContaining({ code: 'EPROTOTYPE' }));
  });

  it('delivers what is written into a FIFO to its listener; the node stays a FIFO, and a socket node cannot be written', () => {
    const kernel = createMemoryKernel();
    const pipe = kernel.net.listen(fifo());
    kernel.net.listen({ ...listenOptions('/run/dg.sock'), address: { kind: 'datagram', family: 'unix', path: '/run/dg.sock', text: '/run/dg.sock' } });
    kernel.fs.writeFile('/run/notes/control', '');
    expect(pipe.pending()).toBe(0);
    kernel.fs.writeFile('/run/notes/control', 'pause\n');
    expect(pipe.pending()).toBe(1);
    expect(kernel.fs.lstat('/run/notes/control')?.type).toBe('fifo');
    expect(() => kernel.fs.writeFile('/run/dg.sock', 'x')).toThrow(expect.objectContaining({ code: 'ENXIO' }));
    expect(kernel.fs.lstat('/run/dg.sock')?.type).toBe('socket');
  });
});

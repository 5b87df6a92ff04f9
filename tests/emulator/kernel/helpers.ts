/** Shared helpers for the in-memory kernel tests. */
import type { Connection, ListenOptions } from '../../../src/emulator/kernel/kernel.ts';
import type { ListenAddress } from '../../../src/emulator/unit-file/unit-types.ts';

/** Listen options as the manager would pass them, for an address text like `127.0.0.1:8080`, `8080`, `/run/x.sock`. */
export function listenOptions(text: string, extra: Partial<ListenOptions> = {}): ListenOptions {
  return { address: parseAddress(text), backlog: 4096, socketMode: 0o666, directoryMode: 0o755, socketUser: 'root', socketGroup: 'root', bindIPv6Only: 'default', freeBind: false, passCredentials: false, owner: 'test.socket', ...extra };
}

/** A small parser for the address forms the tests use. */
export function parseAddress(text: string): ListenAddress {
  if (text.startsWith('/')) return { kind: 'stream', family: 'unix', path: text, text };
  if (text.startsWith('@')) return { kind: 'stream', family: 'abstract', path: text.slice(1), text };
  if (/^\d+$/.test(text)) return { kind: 'stream', family: 'dual', host: '::', port: Number(text), text: `[::]:${text}` };
  const v6 = /^\[(.+)\]:(\d+)$/.exec(text);
  if (v6) return { kind: 'stream', family: 'inet6', host: v6[1], port: Number(v6[2]), text };
  const [host, port] = text.split(':');
  return { kind: 'stream', family: 'inet', host, port: Number(port), text };
}

/** Collects everything a connection receives until it closes. */
export function collect(conn: Connection): { text(): string; closed: Promise<void>; ended: Promise<void> } {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  conn.onData((d) => chunks.push(decoder.decode(d)));
  const closed = new Promise<void>((resolve) => conn.onClose(() => resolve()));
  const ended = new Promise<void>((resolve) => conn.onEnd(() => resolve()));
  return { text: () => chunks.join(''), closed, ended };
}

/** Lets microtasks run. */
export async function tick(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

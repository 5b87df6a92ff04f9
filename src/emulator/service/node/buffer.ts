/**
 * A minimal Buffer for sandboxed programs (the browser has none): a Uint8Array whose toString() decodes
 * UTF-8 (or latin1/hex/base64), with from/alloc/concat/byteLength/isBuffer.
 */
const encoder = new TextEncoder();

/** Node-like Buffer built on Uint8Array. */
export class SandboxBuffer extends Uint8Array {
  /** Bytes of a string (utf8/latin1/hex/base64), an array or another byte view. */
  // `any` keeps the static side compatible with Uint8Array.from's overloads.
  static override from(value: any, encoding: any = 'utf8'): SandboxBuffer {
    if (typeof encoding !== 'string') encoding = 'utf8';
    if (typeof value === 'string') {
      if (encoding === 'hex') return new SandboxBuffer((value.match(/../g) ?? []).map((h) => parseInt(h, 16)));
      if (encoding === 'base64') return new SandboxBuffer([...atob(value)].map((c) => c.charCodeAt(0)));
      if (encoding === 'latin1' || encoding === 'binary' || encoding === 'ascii') return new SandboxBuffer([...value].map((c) => c.charCodeAt(0) & 0xff));
      const bytes = encoder.encode(value);
      const buf = new SandboxBuffer(bytes.length);
      buf.set(bytes);
      return buf;
    }
    if (value instanceof ArrayBuffer) return new SandboxBuffer(new Uint8Array(value));
    const buf = new SandboxBuffer(value.length);
    buf.set(value as ArrayLike<number>);
    return buf;
  }

  /** A zero-filled buffer. */
  static alloc(size: number): SandboxBuffer {
    return new SandboxBuffer(size);
  }

  /** Joins buffers. */
  static concat(list: Uint8Array[]): SandboxBuffer {
    const total = list.reduce((n, b) => n + b.length, 0);
    const out = new SandboxBuffer(total);
    let at = 0;
    for (const b of list) {
      out.set(b, at);
      at += b.length;
    }
    return out;
  }

  /** UTF-8 length of a string. */
  static byteLength(value: string | Uint8Array): number {
    return typeof value === 'string' ? encoder.encode(value).length : value.length;
  }

  /** Whether the value is a byte buffer. */
  static isBuffer(value: unknown): boolean {
    return value instanceof Uint8Array;
  }

  /** Decodes the bytes (utf8 by default). */
  override toString(encoding = 'utf8', start = 0, end = this.length): string {
    const bytes = this.subarray(start, end);
    if (encoding === 'hex') return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
    if (encoding === 'base64') return btoa(String.fromCharCode(...bytes));
    if (encoding === 'latin1' || encoding === 'binary' || encoding === 'ascii') return String.fromCharCode(...bytes);
    return new TextDecoder().decode(bytes);
  }

  /** JSON form, as Node's. */
  toJSON(): { type: 'Buffer'; data: number[] } {
    return { type: 'Buffer', data: [...this] };
  }
}

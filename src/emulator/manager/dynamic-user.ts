/**
 * DynamicUser=yes (systemd.exec(5)): the service runs as a user that exists only while it runs, named after
 * User= or, without it, after the unit (`web.service` → `web`), with a UID from 61184–65519. systemd 252 first
 * tries the UID its pick_uid() derives from the name (SipHash-2-4 of the name with a fixed key, the low 32 bits
 * folded into the range) and takes a random free one when that is taken; this machine has no other dynamic users,
 * so the first choice is the one systemd makes (`web` → 63404, as tests/oracle/golden/lesson-security-3.json shows).
 */
import type { ServiceSection } from '../unit-file/unit-types.ts';

/** The dynamic UID range of systemd 252 (DYNAMIC_UID_MIN–DYNAMIC_UID_MAX). */
export const DYNAMIC_UID_MIN = 61184;
export const DYNAMIC_UID_MAX = 65519;

/** The user a service runs as: its name, and a UID when it is a dynamic user the user database does not list. */
export interface ServiceUser {
  name: string;
  uid?: number;
}

/** The user for `unitName`'s processes: User=, the dynamic user, or undefined for root. */
export function serviceUser(config: ServiceSection, unitName: string): ServiceUser | undefined {
  if (!config.dynamicUser) return config.user ? { name: config.user } : undefined;
  const name = config.user ?? unitName.replace(/\.service$/, '');
  return { name, uid: dynamicUid(name) };
}

/** systemd's fixed SipHash key for dynamic UIDs (src/core/dynamic-user.c, pick_uid()). */
const UID_HASH_KEY = [0x37, 0x53, 0x7e, 0x31, 0xcf, 0xce, 0x48, 0xf5, 0x8a, 0xbb, 0x39, 0x57, 0x8d, 0xd9, 0xec, 0x59];

/** The UID systemd tries first for a dynamic user called `name`. */
export function dynamicUid(name: string): number {
  const hash = siphash24(new TextEncoder().encode(name), UID_HASH_KEY);
  return DYNAMIC_UID_MIN + (Number(hash & 0xffffffffn) % (DYNAMIC_UID_MAX - DYNAMIC_UID_MIN + 1));
}

const MASK64 = (1n << 64n) - 1n;

/** SipHash-2-4 (Aumasson and Bernstein's specification) of `data` under a 16-byte key, as a 64-bit number. */
export function siphash24(data: Uint8Array, key: readonly number[]): bigint {
  const word = (bytes: ArrayLike<number>, at: number, count = 8): bigint => {
    let value = 0n;
    for (let i = 0; i < count; i++) value |= BigInt(bytes[at + i]) << BigInt(8 * i);
    return value;
  };
  const rotl = (x: bigint, bits: number): bigint => ((x << BigInt(bits)) | (x >> BigInt(64 - bits))) & MASK64;
  const k0 = word(key, 0);
  const k1 = word(key, 8);
  const v = [k0 ^ 0x736f6d6570736575n, k1 ^ 0x646f72616e646f6dn, k0 ^ 0x6c7967656e657261n, k1 ^ 0x7465646279746573n];
  const round = (): void => {
    v[0] = (v[0] + v[1]) & MASK64; v[1] = rotl(v[1], 13) ^ v[0]; v[0] = rotl(v[0], 32);
    v[2] = (v[2] + v[3]) & MASK64; v[3] = rotl(v[3], 16) ^ v[2];
    v[0] = (v[0] + v[3]) & MASK64; v[3] = rotl(v[3], 21) ^ v[0];
    v[2] = (v[2] + v[1]) & MASK64; v[1] = rotl(v[1], 17) ^ v[2]; v[2] = rotl(v[2], 32);
  };
  const compress = (m: bigint): void => {
    v[3] ^= m;
    round();
    round();
    v[0] ^= m;
  };
  const whole = data.length - (data.length % 8);
  for (let at = 0; at < whole; at += 8) compress(word(data, at));
  compress((BigInt(data.length & 0xff) << 56n) | word(data, whole, data.length % 8));
  v[2] ^= 0xffn;
  for (let i = 0; i < 4; i++) round();
  return (v[0] ^ v[1] ^ v[2] ^ v[3]) & MASK64;
}

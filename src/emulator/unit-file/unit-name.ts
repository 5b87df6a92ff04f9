/** Unit names as systemd's unit-name.c sees them: suffix, prefix, instance, validity. */
import type { UnitType } from './unit-types.ts';

const UNIT_NAME_MAX = 256;
const VALID_CHARS = /^[0-9A-Za-z:\-_.\\@]+$/;
/** Every unit type suffix systemd 252 knows (a name with another suffix is invalid). */
const ALL_TYPES = ['service', 'mount', 'swap', 'socket', 'target', 'device', 'automount', 'timer', 'path', 'slice', 'scope'];

/** The pieces of a unit name. */
export interface UnitNameParts {
  prefix: string;
  instance?: string;
  /** True for `foo@.service`. */
  template: boolean;
  suffix: string;
}

/** Splits a valid unit name; undefined when systemd would call it invalid (unit_name_is_valid). */
export function parseUnitName(name: string): UnitNameParts | undefined {
  if (name.length === 0 || name.length >= UNIT_NAME_MAX || !VALID_CHARS.test(name)) return undefined;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const suffix = name.slice(dot + 1);
  if (!ALL_TYPES.includes(suffix)) return undefined;
  const stem = name.slice(0, dot);
  const at = stem.indexOf('@');
  if (at === 0) return undefined;
  if (at < 0) return { prefix: stem, template: false, suffix };
  if (stem.indexOf('@', at + 1) >= 0) return undefined;
  const instance = stem.slice(at + 1);
  return { prefix: stem.slice(0, at), instance: instance || undefined, template: instance === '', suffix };
}

/** The unit type of a name this emulator models, or undefined. */
export function unitTypeOf(name: string): UnitType | undefined {
  const suffix = name.slice(name.lastIndexOf('.') + 1);
  return suffix === 'service' || suffix === 'socket' || suffix === 'path' || suffix === 'target' || suffix === 'slice' ? suffix : undefined;
}

/** `foo@bar.service` → `foo@.service`; undefined for non-instances. */
export function templateOf(name: string): string | undefined {
  const parts = parseUnitName(name);
  if (!parts || parts.instance === undefined) return undefined;
  return `${parts.prefix}@.${parts.suffix}`;
}

/** Replaces the suffix: `foo.socket` + `service` → `foo.service`. */
export function withSuffix(name: string, suffix: string): string {
  return name.slice(0, name.lastIndexOf('.') + 1) + suffix;
}

/**
 * Which service a socket unit starts (socket_load() and socket_spawn()): Service= when set; with Accept=yes the
 * template `PREFIX@.service` (one instance per connection); else the socket's own name with `.service`.
 * The one rule for the manager, `systemd-analyze verify` and the lab's diagram.
 */
export function socketServiceName(socketName: string, socket: { service?: string; accept?: boolean } = {}): string {
  if (socket.service) return socket.service;
  if (socket.accept) return `${parseUnitName(socketName)?.prefix ?? socketName.slice(0, socketName.lastIndexOf('.'))}@.service`;
  return withSuffix(socketName, 'service');
}

/** unit_name_escape(): `-`, `\` and characters not valid in a unit name become `\xNN`. */
export function escapeUnitName(text: string): string {
  return text.replace(/[^0-9A-Za-z:_.]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** unit_name_unescape(): `\x2d` → `-`, `-` → `/`. */
export function unescapeUnitName(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})|-/g, (m, hex: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : '/'));
}

/** unit_name_path_unescape(): `-` separated components back to `/a/b`. */
export function unescapeUnitPath(text: string): string {
  const u = unescapeUnitName(text);
  return u.startsWith('/') ? u : '/' + u;
}

/**
 * DynamicUser=yes (systemd.exec(5)): the service runs as a user that exists only while it runs, named after
 * User= or, without it, after the unit (`web.service` → `web`), with a UID from 61184–65519. systemd first
 * tries a UID derived from a hash of the name (so it is usually the same on every start) and takes another
 * free one on a clash; we keep the "same name, same UID" part with our own hash, so the number differs from
 * real systemd's (which is documented as arbitrary: scripts must not depend on it).
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

/** A stable UID in the dynamic range for a user name (FNV-1a over its UTF-16 code units). */
export function dynamicUid(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return DYNAMIC_UID_MIN + (hash % (DYNAMIC_UID_MAX - DYNAMIC_UID_MIN + 1));
}

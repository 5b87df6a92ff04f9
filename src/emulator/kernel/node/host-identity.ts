/**
 * User=/Group= for real child processes: names resolve in the host's /etc/passwd and /etc/group (services run on
 * the host's file system, so the host's identities are the ones their files and sockets carry). Applied only when
 * the emulator runs as root, as only PID 1 (root) can switch to another user. DynamicUser=yes maps to a fixed
 * unprivileged identity, nobody:nogroup (65534), instead of a fresh uid from 61184–65519 as systemd allocates.
 */
import * as fs from 'node:fs';
import { KernelError } from '../kernel.ts';

/** The uid and gid a child runs with. */
export interface Identity {
  uid: number;
  gid: number;
}

/** nobody:nogroup, what DynamicUser=yes becomes here. */
export const DYNAMIC_IDENTITY: Identity = { uid: 65534, gid: 65534 };

/** `name:x:id:gid:…` rows of a host database file (empty when missing). */
function rows(file: string): string[][] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => line.split(':'));
  } catch {
    return [];
  }
}

/**
 * The identity for User=/Group= (names or numbers); undefined when there is nothing to switch to.
 * Throws KernelError ESRCH, as getpwnam() finding nothing makes systemd fail with "No such process".
 */
export function resolveIdentity(user: string | undefined, group: string | undefined, dynamicUser = false): Identity | undefined {
  if (dynamicUser) return DYNAMIC_IDENTITY;
  if (!user && !group) return undefined;
  let uid = 0;
  let gid = 0;
  if (user) {
    const row = /^\d+$/.test(user) ? rows('/etc/passwd').find((r) => r[2] === user) ?? [user, '', user, user] : rows('/etc/passwd').find((r) => r[0] === user);
    if (!row) throw new KernelError('ESRCH', `Failed to determine user credentials: No such process (${user})`);
    uid = Number(row[2]);
    gid = Number(row[3]);
  }
  if (group) {
    const row = /^\d+$/.test(group) ? [group, '', group] : rows('/etc/group').find((r) => r[0] === group);
    if (!row) throw new KernelError('ESRCH', `Failed to determine group credentials: No such process (${group})`);
    gid = Number(row[2]);
  }
  return { uid, gid };
}

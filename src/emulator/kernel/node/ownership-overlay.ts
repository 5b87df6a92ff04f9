/**
 * The owners the Node kernel's file system could not give for real: chown(2) needs root, a WebContainer has
 * no root and no user database, and a Unix socket served over loopback TCP is a placeholder file. The machine's
 * view (stat, ls -l, the lab's checks) then shows the owner systemd would have set. Entries are keyed by the
 * host file's device, inode and birth time, so a file that is removed and made again does not inherit them: ext4
 * gives a new file the inode just freed (dockerd unlinks docker.socket's placeholder and binds its own at once).
 */
import type * as fs from 'node:fs';
import { UserDatabase } from '../memory/users.ts';

/** An owner by name. */
export interface Owner {
  user: string;
  group: string;
}

/** The overlay of one machine. */
export interface OwnershipOverlay {
  /** The recorded owner of this host file, if any. */
  owner(st: fs.Stats): Owner | undefined;
  /** Whether both names are accounts of the machine's user database (numbers always are). */
  known(user: string, group: string): boolean;
  record(st: fs.Stats, user: string, group: string): void;
  forget(st: fs.Stats): void;
}

/** An empty overlay; names are checked against the machine's user database (kernel/memory/users.ts). */
export function createOwnershipOverlay(): OwnershipOverlay {
  const owners = new Map<string, Owner>();
  const machineUsers = new UserDatabase();
  const numeric = (name: string): boolean => /^\d+$/.test(name);
  const key = (st: fs.Stats): string => `${st.dev}:${st.ino}:${st.birthtimeMs}`;
  return {
    owner: (st) => owners.get(key(st)),
    known: (user, group) => (numeric(user) || machineUsers.user(user) !== undefined) && (numeric(group) || machineUsers.group(group) !== undefined),
    record: (st, user, group) => void owners.set(key(st), { user, group }),
    forget: (st) => void owners.delete(key(st)),
  };
}

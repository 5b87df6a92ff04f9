/**
 * The machine's users and groups (what /etc/passwd and /etc/group say on a small Debian 12 box),
 * and the permission check the kernel applies for a uid.
 */

/** One account. */
export interface UserEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

/** One group; `members` are supplementary members (the primary group comes from the user's gid). */
export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** Users and groups of the machine, with lookups by name or id. */
export class UserDatabase {
  readonly users: UserEntry[] = [
    { name: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/bash' },
    { name: 'daemon', uid: 1, gid: 1, home: '/usr/sbin', shell: '/usr/sbin/nologin' },
    { name: 'bin', uid: 2, gid: 2, home: '/bin', shell: '/usr/sbin/nologin' },
    { name: 'sys', uid: 3, gid: 3, home: '/dev', shell: '/usr/sbin/nologin' },
    { name: 'lp', uid: 7, gid: 7, home: '/var/spool/lpd', shell: '/usr/sbin/nologin' },
    { name: 'www-data', uid: 33, gid: 33, home: '/var/www', shell: '/usr/sbin/nologin' },
    { name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent', shell: '/usr/sbin/nologin' },
    { name: 'systemd-network', uid: 998, gid: 998, home: '/', shell: '/usr/sbin/nologin' },
    { name: 'messagebus', uid: 100, gid: 102, home: '/nonexistent', shell: '/usr/sbin/nologin' },
    { name: 'sshd', uid: 101, gid: 65534, home: '/run/sshd', shell: '/usr/sbin/nologin' },
    { name: 'student', uid: 1000, gid: 1000, home: '/home/student', shell: '/bin/bash' },
  ];
  readonly groups: GroupEntry[] = [
    { name: 'root', gid: 0, members: [] },
    { name: 'daemon', gid: 1, members: [] },
    { name: 'bin', gid: 2, members: [] },
    { name: 'sys', gid: 3, members: [] },
    { name: 'adm', gid: 4, members: [] },
    { name: 'lp', gid: 7, members: [] },
    { name: 'www-data', gid: 33, members: [] },
    { name: 'lpadmin', gid: 103, members: [] },
    { name: 'messagebus', gid: 102, members: [] },
    { name: 'systemd-network', gid: 998, members: [] },
    { name: 'docker', gid: 999, members: [] },
    { name: 'nogroup', gid: 65534, members: [] },
    { name: 'student', gid: 1000, members: [] },
  ];

  /** A user by name or numeric id (also accepts "1000" as text). */
  user(nameOrId: string | number): UserEntry | undefined {
    if (typeof nameOrId === 'number' || /^\d+$/.test(nameOrId)) {
      const uid = Number(nameOrId);
      return this.users.find((u) => u.uid === uid);
    }
    return this.users.find((u) => u.name === nameOrId);
  }

  /** A group by name or numeric id. */
  group(nameOrId: string | number): GroupEntry | undefined {
    if (typeof nameOrId === 'number' || /^\d+$/.test(nameOrId)) {
      const gid = Number(nameOrId);
      return this.groups.find((g) => g.gid === gid);
    }
    return this.groups.find((g) => g.name === nameOrId);
  }

  /** Names of every group the user is in (primary first), as `id -Gn` prints them. */
  groupsOf(userName: string): string[] {
    const user = this.user(userName);
    if (!user) return [];
    const primary = this.group(user.gid)?.name;
    const extra = this.groups.filter((g) => g.members.includes(user.name)).map((g) => g.name);
    return [...(primary ? [primary] : []), ...extra.filter((g) => g !== primary)];
  }

  /** Adds a user to a supplementary group (`usermod -aG GROUP USER`); throws when either is unknown. */
  addToGroup(userName: string, groupName: string): void {
    const group = this.group(groupName);
    if (!group) throw new Error(`group '${groupName}' does not exist`);
    if (!this.user(userName)) throw new Error(`user '${userName}' does not exist`);
    if (!group.members.includes(userName)) group.members.push(userName);
  }

  /**
   * Whether `uid` may access a node owned by user:group with `mode` for `want` (4 read, 2 write, 1 exec),
   * as the kernel decides it: root always may (CAP_DAC_OVERRIDE, except exec without any x bit).
   */
  mayAccess(uid: number, node: { user: string; group: string; mode: number }, want: 4 | 2 | 1): boolean {
    if (uid === 0) return want !== 1 || (node.mode & 0o111) !== 0;
    const user = this.user(uid);
    if (!user) return (node.mode & want) !== 0;
    if (node.user === user.name) return ((node.mode >> 6) & want) !== 0;
    if (this.groupsOf(user.name).includes(node.group)) return ((node.mode >> 3) & want) !== 0;
    return (node.mode & want) !== 0;
  }

  /** /etc/passwd text. */
  passwd(): string {
    return this.users.map((u) => `${u.name}:x:${u.uid}:${u.gid}::${u.home}:${u.shell}\n`).join('');
  }

  /** /etc/group text. */
  groupFile(): string {
    return this.groups.map((g) => `${g.name}:x:${g.gid}:${g.members.join(',')}\n`).join('');
  }
}

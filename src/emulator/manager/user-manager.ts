/**
 * User managers (`systemd --user`, one per user, run by user@UID.service), on the memory kernel.
 *
 * As in systemd 252: user@.service runs /lib/systemd/systemd --user as the user (here a built-in program of
 * that path), which is a second Manager over the same machine with the user scope's search paths
 * (~/.config/systemd/user, /etc/systemd/user, /usr/local/lib/systemd/user, /usr/lib/systemd/user), `enable`
 * links under ~/.config/systemd/user, specifiers for the user (%t = /run/user/UID, %h, %u…), and everything it
 * does done as the user: its services run with the user's UID, and it binds its sockets as the user, so a path
 * outside the user's directories or a port below 1024 fails with EACCES. user-runtime-dir@.service's program
 * (/lib/systemd/systemd-user-runtime-dir start|stop UID) makes and removes /run/user/UID.
 *
 * Both kernels run them: the programs are built-in programs of the machine (the Node kernel runs them as
 * pseudo-processes, kernel/node/pseudo-processes.ts). On the Node kernel the user's services are real
 * processes with the user's identity where the emulator may switch users (root), and its sockets are bound by
 * the emulator (their nodes get the user as owner).
 *
 * Simplified: the user manager's lines reach the system journal under user@UID.service only (no _UID= fields),
 * `-M USER@` needs no user D-Bus here.
 */
import type { Kernel, ListeningSocket, ListenOptions, SpawnOptions } from '../kernel/kernel.ts';
import type { NodeSurface } from '../../emulator/service/sandbox.ts';
import type { System } from '../system.ts';
import { loadUnit } from '../unit-file/unit-loader.ts';
import type { SpecifierUser } from '../unit-file/specifiers.ts';
import type { UnitFile } from '../unit-file/unit-types.ts';
import { Manager } from './manager.ts';

/** The program user@.service runs. */
export const USER_MANAGER_PATH = '/lib/systemd/systemd';
/** The program user-runtime-dir@.service runs. */
export const RUNTIME_DIR_PATH = '/lib/systemd/systemd-user-runtime-dir';

/** The user scope's unit search path, in priority order (systemd.unit(5), without the control and transient dirs). */
export function userSearchPaths(home: string): string[] {
  return [`${home}/.config/systemd/user`, '/etc/systemd/user', '/usr/local/lib/systemd/user', '/usr/lib/systemd/user'];
}

/** The running user managers of each machine, by UID. */
const running = new WeakMap<System, Map<number, Manager>>();

/** The user manager of `uid` on `system`, while user@UID.service runs it. */
export function userManagerOf(system: System, uid: number): Manager | undefined {
  return running.get(system)?.get(uid);
}

/** A user from /etc/passwd and /etc/group, as the specifiers and the manager need it. */
export function accountOf(system: System, nameOrUid: string | number): SpecifierUser | undefined {
  const read = (path: string): string[][] => {
    try {
      return system.kernel.fs.readFile(path).split('\n').filter(Boolean).map((line) => line.split(':'));
    } catch {
      return [];
    }
  };
  const entry = read('/etc/passwd').find((f) => f[0] === String(nameOrUid) || f[2] === String(nameOrUid));
  if (!entry) return undefined;
  const gid = Number(entry[3]);
  const group = read('/etc/group').find((f) => Number(f[2]) === gid)?.[0] ?? String(gid);
  return { name: entry[0], uid: Number(entry[2]), gid, group, home: entry[5] || `/home/${entry[0]}` };
}

/** A unit as the user's manager loads it: default owner of socket nodes and services is the user. */
function asUsersUnit(file: UnitFile, user: SpecifierUser): UnitFile {
  if (file.socket) {
    if (file.socket.socketUser === 'root') file.socket.socketUser = user.name;
    if (file.socket.socketGroup === 'root') file.socket.socketGroup = user.group;
  }
  return file;
}

/** The machine as the user manager (pid `pid`) sees it: it binds, connects and spawns as the user. */
function usersKernel(kernel: Kernel, user: SpecifierUser, pid: number): Kernel {
  let nextFd = 20;
  // The in-memory kernel binds as a uid (EACCES outside the user's directories, below port 1024); other kernels
  // take only the options.
  const listenAs = kernel.net.listen.bind(kernel.net) as (options: ListenOptions, owner?: object) => ListeningSocket;
  return {
    clock: kernel.clock,
    fs: kernel.fs,
    hostname: kernel.hostname,
    net: {
      listen: (options: ListenOptions) => listenAs(options, { uid: user.uid, holder: { name: 'systemd', pid, fd: nextFd++ }, unlinkStalePath: true }),
      connect: (target, options) => kernel.net.connect(target, options ?? { uid: user.uid }),
      sockets: () => kernel.net.sockets(),
    },
    processes: {
      // A user manager passes its own environment (from PAM: HOME, USER, LOGNAME, SHELL, XDG_RUNTIME_DIR) on.
      spawn: (options: SpawnOptions) => kernel.processes.spawn({
        ...options,
        user: options.user ?? user.name,
        env: { HOME: user.home, LOGNAME: user.name, USER: user.name, SHELL: '/bin/bash', XDG_RUNTIME_DIR: `/run/user/${user.uid}`, ...options.env },
      }),
      list: () => kernel.processes.list(),
    },
  };
}

/** Creates (not boots) the manager of `user`, run by the process `pid`. */
export function createUserManager(kernel: Kernel, user: SpecifierUser, pid: number): Manager {
  const loader = (name: string, fs: Kernel['fs'], searchPaths: readonly string[]) =>
    asUsersUnit(loadUnit(name, fs, searchPaths, { hostname: kernel.hostname, user }), user);
  return new Manager(usersKernel(kernel, user, pid), loader, {
    searchPaths: userSearchPaths(user.home),
    configDir: `${user.home}/.config/systemd/user`,
    pid,
  });
}

/**
 * Registers /lib/systemd/systemd (for `--user`) and /lib/systemd/systemd-user-runtime-dir as built-in programs
 * of the machine, so that user@UID.service and user-runtime-dir@UID.service run as on Debian 12.
 * Does nothing on a kernel without built-in programs.
 */
export function installUserManagers(system: System): void {
  const { processes } = system.kernel;
  if (!processes.registerProgram) return;
  processes.registerProgram(USER_MANAGER_PATH, (node) => runUserManager(system, system.kernel, node));
  processes.registerProgram(RUNTIME_DIR_PATH, (node) => runRuntimeDir(system, system.kernel, node));
}

/** `systemd --user`: boots the user's manager, says READY=1, and stops it all on SIGTERM. */
async function runUserManager(system: System, kernel: Kernel, node: NodeSurface): Promise<void> {
  const { process } = node;
  const user = accountOf(system, process.getuid());
  if (!process.argv.includes('--user') || !user) {
    process.stderr.write('systemd: this machine runs its user managers only (systemd --user, from user@.service)\n');
    process.exit(1);
    return;
  }
  const manager = createUserManager(kernel, user, process.pid);
  // One journal, as on Debian: the user manager's lines also appear under user@UID.service.
  const service = `user@${user.uid}.service`;
  const unforward = manager.journal.subscribe((entry) => system.manager.journal.append({ ...entry, unit: service }));
  const managers = running.get(system) ?? new Map<number, Manager>();
  running.set(system, managers);
  managers.set(user.uid, manager);
  const keepAlive = node.setInterval(() => {}, 1 << 30);
  process.on('SIGTERM', () => {
    manager.shutdown();
    void manager.whenIdle().then(() => {
      managers.delete(user.uid);
      unforward();
      node.clearInterval(keepAlive);
      // exit() from a timer: the sandbox runs it guarded (a rejected promise would escape).
      node.setImmediate(() => process.exit(0));
    });
  });
  manager.boot();
  await manager.whenIdle();
  (node.require('sd-daemon') as { notify(state: string): boolean }).notify('READY=1\nSTATUS=Ready.');
}

/** `systemd-user-runtime-dir start|stop UID`: makes /run/user/UID (0700, the user's) or removes it. */
function runRuntimeDir(system: System, kernel: Kernel, node: NodeSurface): void {
  const { process } = node;
  const [verb, id] = process.argv.slice(-2);
  const user = accountOf(system, id);
  if ((verb !== 'start' && verb !== 'stop') || !user) {
    process.stderr.write(`Failed to look up user ${id ?? ''}: No such process\n`);
    process.exit(1);
    return;
  }
  const dir = `/run/user/${user.uid}`;
  if (verb === 'start') {
    if (!kernel.fs.stat('/run/user')) kernel.fs.mkdir('/run/user', { recursive: true, mode: 0o755 });
    if (!kernel.fs.stat(dir)) kernel.fs.mkdir(dir, { mode: 0o700 });
    kernel.fs.chown(dir, user.name, user.group);
    kernel.fs.chmod(dir, 0o700);
  } else removeTree(kernel, dir);
  process.exit(0);
}

/** rm -rf for the memory file system. */
function removeTree(kernel: Kernel, path: string): void {
  const stat = kernel.fs.lstat(path);
  if (!stat) return;
  if (stat.type === 'directory') {
    for (const entry of kernel.fs.readdir(path)) removeTree(kernel, `${path}/${entry}`);
    kernel.fs.rmdir?.(path);
  } else kernel.fs.unlink(path);
}

/**
 * Commands for user managers (see manager/user-manager.ts), with systemd 252's output:
 * - `systemctl --user -M USER@ …`: any systemctl verb, sent to USER's manager;
 * - `loginctl enable-linger|disable-linger USER…`, `loginctl list-users`, `loginctl show-user USER [-p NAME]`;
 * - `runuser -u USER -- COMMAND…` (util-linux), as `sudo -u`.
 * Lingering is the file /var/lib/systemd/linger/USER, as logind keeps it; enabling it starts user@UID.service,
 * disabling it stops that (and user-runtime-dir@UID.service, which removes /run/user/UID).
 */
import type { CommandHandler, CommandIO, System } from '../system.ts';
import { accountOf, installUserManagers, userManagerOf } from '../manager/user-manager.ts';

const LINGER_DIR = '/var/lib/systemd/linger';

/** Output swallowed (loginctl starts units without printing systemctl's lines). */
function quiet(io: CommandIO): CommandIO {
  return { ...io, stdout: () => {}, stderr: () => {} };
}

/** `systemctl` that also understands `--user` and `-M USER@` / `--machine=USER@[.host]`. */
export function userAwareSystemctl(systemctl: CommandHandler): CommandHandler {
  return async (argv, io, system) => {
    let user = false;
    let machine: string | undefined;
    const rest: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (i > 0 && arg === '--user') user = true;
      else if (i > 0 && arg === '--system') user = false;
      else if (i > 0 && (arg === '-M' || arg === '--machine')) machine = argv[++i] ?? '';
      else if (i > 0 && arg.startsWith('--machine=')) machine = arg.slice('--machine='.length);
      else if (i > 0 && /^-M./.test(arg)) machine = arg.slice(2);
      else rest.push(arg);
    }
    if (!user) {
      if (machine === undefined) return systemctl(argv, io, system);
      io.stderr('Failed to connect to bus: Host is down\n');
      return 1;
    }
    if (machine === undefined) {
      // No session of the user's here: no $XDG_RUNTIME_DIR/$DBUS_SESSION_BUS_ADDRESS, as for root at a lab prompt.
      io.stderr('Failed to connect to bus: No medium found\n');
      return 1;
    }
    const name = machine.replace(/@(\.host)?$/, '');
    const account = name === '' || name === machine ? undefined : accountOf(system, name);
    const manager = account ? userManagerOf(system, account.uid) : undefined;
    if (!manager) {
      // systemd 252 when the user has no user manager running (its bus is not there).
      io.stderr(`Failed to ${rest[1] === 'list-sockets' || rest[1] === 'list-units' ? 'list units' : 'connect to bus'}: Transport endpoint is not connected\n`);
      return 1;
    }
    return systemctl(rest, io, { ...system, manager, kernel: manager.kernel });
  };
}

/** The UID of a lingering-capable user, or undefined after printing loginctl's error. */
function lookUp(system: System, io: CommandIO, name: string): ReturnType<typeof accountOf> {
  const account = accountOf(system, name);
  if (!account) io.stderr(`Failed to look up user ${name}: No such process\n`);
  return account;
}

/** Whether `name` lingers. */
function lingers(system: System, name: string): boolean {
  return system.kernel.fs.stat(`${LINGER_DIR}/${name}`)?.type === 'file';
}

/** Users logind knows: here, those that linger (the lab has no sessions). */
function knownUsers(system: System): Array<{ uid: number; name: string }> {
  let names: string[] = [];
  try {
    names = system.kernel.fs.readdir(LINGER_DIR);
  } catch {
    names = [];
  }
  return names.map((name) => accountOf(system, name)).filter((a) => a !== undefined).map((a) => ({ uid: a.uid, name: a.name })).sort((a, b) => a.uid - b.uid);
}

/** loginctl enable-linger | disable-linger | list-users | show-user. */
export const loginctl: CommandHandler = async (argv, io, system) => {
  const args = argv.slice(1).filter((a) => a !== '--no-pager' && a !== '--no-legend');
  const verb = args[0] ?? 'list-sessions';
  const fs = system.kernel.fs;
  switch (verb) {
    case 'enable-linger':
    case 'disable-linger': {
      const names = args.slice(1);
      if (names.length === 0) names.push(io.env?.USER ?? 'root');
      for (const name of names) {
        const account = lookUp(system, io, name);
        if (!account) return 1;
        const unit = `user@${account.uid}.service`;
        if (verb === 'enable-linger') {
          fs.mkdir(LINGER_DIR, { recursive: true, mode: 0o755 });
          fs.writeFile(`${LINGER_DIR}/${account.name}`, '');
          await system.runCommand(['systemctl', 'start', unit], quiet(io));
        } else {
          if (lingers(system, account.name)) fs.unlink(`${LINGER_DIR}/${account.name}`);
          await system.runCommand(['systemctl', 'stop', unit, `user-runtime-dir@${account.uid}.service`], quiet(io));
        }
      }
      return 0;
    }
    case 'list-users': {
      const users = knownUsers(system);
      if (users.length === 0) {
        io.stdout('No users.\n');
        return 0;
      }
      const uidWidth = Math.max(3, ...users.map((u) => String(u.uid).length));
      const nameWidth = Math.max(4, ...users.map((u) => u.name.length));
      io.stdout(`${'UID'.padStart(uidWidth)} ${'USER'.padEnd(nameWidth)} LINGER\n`);
      for (const u of users) io.stdout(`${String(u.uid).padStart(uidWidth)} ${u.name.padEnd(nameWidth)} yes\n`);
      io.stdout(`\n${users.length} users listed.\n`);
      return 0;
    }
    case 'show-user': {
      const name = args.slice(1).find((a) => !a.startsWith('-') && args[args.indexOf(a) - 1] !== '-p' && args[args.indexOf(a) - 1] !== '--property');
      const account = name ? accountOf(system, name) : undefined;
      if (!account || !lingers(system, account.name)) {
        io.stderr(`Failed to get user: User ID ${account?.uid ?? name ?? ''} is not logged in or lingering\n`);
        return 1;
      }
      const props: Array<[string, string]> = [
        ['UID', String(account.uid)], ['GID', String(account.gid)], ['Name', account.name],
        ['RuntimePath', `/run/user/${account.uid}`], ['Service', `user@${account.uid}.service`],
        ['Slice', `user-${account.uid}.slice`], ['State', 'lingering'], ['Linger', 'yes'],
      ];
      const wanted = args.flatMap((a, i) => (a === '-p' || a === '--property') ? (args[i + 1] ?? '').split(',') : a.startsWith('--property=') ? a.slice(11).split(',') : []);
      for (const [key, value] of props) if (wanted.length === 0 || wanted.includes(key)) io.stdout(`${key}=${value}\n`);
      return 0;
    }
    default:
      io.stderr(`Unknown command verb '${verb}'; this lab's loginctl knows enable-linger, disable-linger, list-users, show-user.\n`);
      return 1;
  }
};

/** runuser -u USER -- COMMAND…: runs COMMAND as USER (util-linux). */
export const runuser: CommandHandler = async (argv, io, system) => {
  const at = argv.indexOf('-u');
  const name = at > 0 ? argv[at + 1] : undefined;
  const dashes = argv.indexOf('--');
  const command = dashes > 0 ? argv.slice(dashes + 1) : at > 0 ? argv.slice(at + 2) : [];
  if (!name || command.length === 0) {
    io.stderr("runuser: no command was specified\nTry 'runuser --help' for more information.\n");
    return 1;
  }
  const account = accountOf(system, name);
  if (!account) {
    io.stderr(`runuser: user ${name} does not exist or the user entry does not contain all the required fields\n`);
    return 1;
  }
  return system.runCommand(command, { ...io, env: { ...io.env, USER: account.name, LOGNAME: account.name, HOME: account.home } });
};

/** Adds loginctl and runuser, makes systemctl user-aware, and gives a memory machine its user-manager programs. */
export function registerUserCommands(system: System, systemctl: CommandHandler | undefined): void {
  if (systemctl) system.registerCommand('systemctl', userAwareSystemctl(systemctl));
  installUserManagers(system);
}

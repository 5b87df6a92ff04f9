/**
 * Helpers for goal checks in labs/<id>/lab.ts. Every goal looks at the live machine, never at a
 * file's text: unit states from the snapshot, properties from `systemctl show`, sockets from `ss`,
 * socket nodes from `stat`, replies from the clients. A goal written this way accepts every right
 * answer (drop-ins, `ExecStart = …` with spaces, `/usr/bin/node /opt/myapp/myapp`) and rejects a
 * file that says the right thing to a machine that does not do it yet. They run in the page with
 * the checks, so they stay small and parse only the commands' output.
 */
import type { UnitSnapshot } from '../../emulator/system-events.ts';
import type { CommandResult, GoalContext } from './lab-definition.ts';

type Run = GoalContext['run'];

/** The unit called `name` in a snapshot's units, if loaded. */
export function findUnit(units: UnitSnapshot[], name: string): UnitSnapshot | undefined {
  return units.find((candidate) => candidate.name === name);
}

/** `systemctl show -p P… UNIT` as name → values (a property systemd prints on several lines, such as Listen=, has several). */
export async function showUnit(run: Run, unit: string, properties: string[]): Promise<Record<string, string[]>> {
  const shown = await run(`systemctl show ${properties.map((name) => `-p ${name}`).join(' ')} ${unit}`);
  const values: Record<string, string[]> = Object.fromEntries(properties.map((name) => [name, []]));
  for (const line of shown.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && line.slice(0, eq) in values) values[line.slice(0, eq)].push(line.slice(eq + 1));
  }
  return values;
}

/** The argv[] of each ExecStart= command systemd loaded for `unit` (drop-ins applied), from `systemctl show`. */
export async function execStartArgv(run: Run, unit: string): Promise<string[][]> {
  const { ExecStart } = await showUnit(run, unit, ['ExecStart']);
  return ExecStart.map((value) => (/argv\[\]=(.*?) ; ignore_errors=/.exec(value)?.[1] ?? '').split(' ').filter(Boolean));
}

/** A process that holds a socket, as `ss -p` prints it. */
export interface SocketHolder {
  name: string;
  pid: number;
  fd: number;
}

/** One listening socket as `ss -l` shows it: the local address (`127.0.0.1:8080`, `*:8080`, a path) and who holds it. */
export interface Listener {
  local: string;
  /** Unix sockets: the socket's inode (two sockets bound at one path have two). */
  inode?: string;
  holders: SocketHolder[];
}

/** Listening TCP (`tcp`) or Unix stream (`unix`) sockets, from `ss -ltnp` / `ss -xlp`. */
export async function listeners(run: Run, kind: 'tcp' | 'unix'): Promise<Listener[]> {
  const shown = await run(kind === 'tcp' ? 'ss -ltnp' : 'ss -xlp');
  const out: Listener[] = [];
  for (const line of shown.stdout.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const state = fields.indexOf('LISTEN');
    if (state < 0 || (kind === 'unix' && fields[0] !== 'u_str')) continue;
    const holders = [...line.matchAll(/\("([^"]*)",pid=(\d+),fd=(\d+)\)/g)].map((m) => ({ name: m[1], pid: Number(m[2]), fd: Number(m[3]) }));
    const local = fields[state + 3];
    out.push(kind === 'unix' ? { local, inode: fields[state + 4], holders } : { local, holders });
  }
  return out;
}

/** The TCP port of an `ss` local address (`*:8080`, `127.0.0.1:8080`, `[::1]:8080`). */
export function portOf(local: string): number {
  return Number(local.slice(local.lastIndexOf(':') + 1));
}

/** Whether PID 1 (systemd) holds a socket: then it is a socket unit's. */
export function heldBySystemd(listener: Listener): boolean {
  return listener.holders.some((holder) => holder.pid === 1);
}

/**
 * Whether `path` still reaches the socket systemd listens on. A daemon that unlinks the path and binds
 * its own (dbus-daemon with --address=unix:path=, dockerd with -H unix://) leaves systemd's socket
 * listening on an inode without a name: `ss -xlp` then shows two sockets at the path, and the file
 * is the daemon's. True, or why not.
 */
export async function pathServedBySystemd(run: Run, path: string, socketUnit: string): Promise<true | string> {
  const atPath = (await listeners(run, 'unix')).filter((listener) => listener.local === path);
  if (atPath.length === 0) return `Nothing listens on ${path} (ss -xlp).`;
  const systemd = atPath.filter(heldBySystemd);
  if (systemd.length === 0) return `${path} is a socket that systemd does not hold: ${socketUnit} is not listening there.`;
  const own = atPath.filter((listener) => !heldBySystemd(listener));
  if (own.length > 0) {
    const daemon = own[0].holders[0];
    return `${daemon?.name ?? 'A process'} (PID ${daemon?.pid ?? '?'}) unlinked ${path} and bound its own socket there: ss -xlp shows two sockets at the path, and ${socketUnit} listens on one nobody can reach.`;
  }
  return true;
}

/** A file's type, mode, owner and inode from `stat -c`; undefined when it does not exist. */
export async function statNode(run: Run, path: string): Promise<{ type: string; mode: number; user: string; group: string; inode: number } | undefined> {
  const shown = await run(`stat -c '%F|%a|%U|%G|%i' ${path}`);
  if (shown.exitCode !== 0) return undefined;
  const [type, mode, user, group, inode] = shown.stdout.trim().split('|');
  return { type, mode: parseInt(mode, 8), user, group, inode: Number(inode) };
}

/** "curl printed: …" for a failed reply check. */
export function printed(client: string, result: CommandResult): string {
  return `${client} printed: ${(result.stdout + result.stderr).trim() || 'nothing'}`;
}

/**
 * Connects to an Accept=yes socket for a check and notes the instances this made in a file on the
 * machine (`/run/lab-checks.<socket>`), so a goal that counts the learner's connections does not count
 * the checks' own. Instances are noted by name (`echo@3-127.0.0.1:7777-127.0.0.1:40022.service`, the
 * client's port included, unique even when a restart of the socket numbers them from 0 again), taken
 * from the journal; when the journal does not name them yet, by their number (`#3`, from NAccepted).
 */
export async function connectForCheck(run: Run, socketUnit: string, commandLine: string): Promise<CommandResult> {
  const accepted = async () => Number((await showUnit(run, socketUnit, ['NAccepted'])).NAccepted[0] ?? 0);
  const namesBefore = new Set(await instancesInJournal(run, socketUnit));
  const acceptedBefore = await accepted();
  const result = await run(commandLine);
  const acceptedAfter = await accepted();
  const named = (await instancesInJournal(run, socketUnit)).filter((name) => !namesBefore.has(name));
  const made = named.length > 0 ? named : Array.from({ length: Math.max(0, acceptedAfter - acceptedBefore) }, (_, index) => `#${acceptedBefore + index}`);
  if (made.length > 0) await run(`echo ${made.join(' ')} >> ${checkRecord(socketUnit)}`);
  return result;
}

/** Instances of an Accept=yes socket's template in the journal that the learner's connections made (not connectForCheck's). */
export async function learnerInstances(context: GoalContext, socketUnit: string, instance: RegExp): Promise<string[]> {
  const record = (await context.readFile(checkRecord(socketUnit))) ?? '';
  const byChecks = new Set(record.split(/\s+/).filter(Boolean));
  const names = new Set(context.snapshot.journal.map((entry) => entry.unit ?? '').filter((name) => instance.test(name)));
  return [...names].filter((name) => !byChecks.has(name) && !byChecks.has(`#${/@(\d+)-/.exec(name)?.[1] ?? ''}`));
}

/** Names of the instances of `socketUnit`'s template (`echo.socket` → `echo@….service`) that the journal mentions. */
async function instancesInJournal(run: Run, socketUnit: string): Promise<string[]> {
  const prefix = socketUnit.replace(/\.socket$/, '');
  const journal = await run(`journalctl -o cat --no-pager -u '${prefix}@*'`);
  const pattern = new RegExp(`${prefix.replace(/[.]/g, '\\.')}@\\d+-\\S+?\\.service`, 'g');
  return [...new Set(journal.stdout.match(pattern) ?? [])];
}

function checkRecord(socketUnit: string): string {
  return `/run/lab-checks.${socketUnit}`;
}

/**
 * Runs a client command line until `answered` accepts its result, for a service the learner has just started
 * that binds its own port: `systemctl start` of a Type=simple service returns once the process is forked, before
 * the program listens (on real systemd as here; a real process on the Node kernel takes a moment), so a refused
 * first connection is retried while `unit` is still active, for up to `attempts` tries 0.1 s apart.
 */
export async function runUntilAnswered(run: Run, commandLine: string, answered: (result: CommandResult) => boolean, unit: string, attempts = 30): Promise<CommandResult> {
  let result = await run(commandLine);
  for (let attempt = 1; attempt < attempts && !answered(result); attempt++) {
    if ((await run(`systemctl is-active ${unit}`)).stdout.trim() !== 'active') break;
    await run('sleep 0.1');
    result = await run(commandLine);
  }
  return result;
}

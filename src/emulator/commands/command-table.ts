/**
 * The command table: every command a lab terminal offers, once. Plain data (no handlers, so the page can
 * import it without the emulator): `help` prints its summaries, Tab completion offers its names, the
 * WebContainer layout writes a wrapper for each command the emulator runs there, and commands/index.ts +
 * shell-commands.ts bind each name to its handler (a name without a handler does not compile).
 */

/** Who implements a command. */
export type CommandKind =
  /** the systemd tools, on the manager */
  | 'systemd'
  /** clients and small Unix tools of the emulator */
  | 'tool'
  /** the shell itself (it changes the shell's own state) */
  | 'shell';

/** How the WebContainer runtime provides a command. */
export type WebContainerProvision =
  /** a wrapper in node_modules/.bin runs the emulator's own command against the daemon */
  | 'emulator'
  /** jsh (the WebContainer's shell) has it */
  | 'jsh'
  /** only the in-page machine has it */
  | 'in-page';

/** One row of the table. */
export interface CommandRow {
  name: string;
  kind: CommandKind;
  /** One line for `help`. */
  summary: string;
  webcontainer: WebContainerProvision;
}

/** Every command, in the order `help` lists them by kind. */
export const COMMAND_TABLE = [
  { name: 'systemctl', kind: 'systemd', summary: 'control units: start, stop, status, enable, list-sockets, list-dependencies, daemon-reload, …', webcontainer: 'emulator' },
  { name: 'journalctl', kind: 'systemd', summary: 'read the journal: -u UNIT, -f, -n N, -b, -r, -g PATTERN, --since', webcontainer: 'emulator' },
  { name: 'ss', kind: 'systemd', summary: 'list sockets: -l -t -x -n -p, filters (sport = :8080)', webcontainer: 'emulator' },
  { name: 'systemd-analyze', kind: 'systemd', summary: 'systemd-analyze verify FILE: check unit files', webcontainer: 'emulator' },
  { name: 'curl', kind: 'tool', summary: 'HTTP client: curl http://localhost:8080/, --unix-socket PATH', webcontainer: 'emulator' },
  { name: 'nc', kind: 'tool', summary: 'netcat: nc HOST PORT, nc -U PATH (sends stdin, prints the reply)', webcontainer: 'emulator' },
  { name: 'cat', kind: 'tool', summary: 'print files', webcontainer: 'emulator' },
  { name: 'ls', kind: 'tool', summary: 'list files: -l -a -i', webcontainer: 'emulator' },
  { name: 'stat', kind: 'tool', summary: 'file status: stat PATH, stat -c FORMAT PATH (%a %A %U %G %u %g %i %F %s %n)', webcontainer: 'emulator' },
  { name: 'readlink', kind: 'tool', summary: 'readlink LINK, readlink /proc/PID/fd/3 (which socket a process holds), -f', webcontainer: 'emulator' },
  { name: 'help', kind: 'tool', summary: 'this list', webcontainer: 'emulator' },
  { name: 'rm', kind: 'tool', summary: 'remove files: rm [-f] FILE', webcontainer: 'emulator' },
  { name: 'logger', kind: 'tool', summary: 'send a syslog message: logger -u SOCKET TEXT', webcontainer: 'in-page' },
  { name: 'echo', kind: 'tool', summary: 'print arguments', webcontainer: 'jsh' },
  { name: 'clear', kind: 'tool', summary: 'clear the terminal', webcontainer: 'jsh' },
  { name: 'pwd', kind: 'tool', summary: 'print the working directory', webcontainer: 'jsh' },
  { name: 'sleep', kind: 'tool', summary: 'wait N seconds', webcontainer: 'in-page' },
  { name: 'env', kind: 'tool', summary: 'print the environment', webcontainer: 'in-page' },
  { name: 'id', kind: 'tool', summary: 'print user and groups', webcontainer: 'in-page' },
  { name: 'whoami', kind: 'tool', summary: 'print the user name', webcontainer: 'in-page' },
  { name: 'sudo', kind: 'tool', summary: 'sudo -u USER COMMAND: run a command as another user', webcontainer: 'in-page' },
  { name: 'runuser', kind: 'tool', summary: 'runuser -u USER -- COMMAND: run a command as another user', webcontainer: 'in-page' },
  { name: 'loginctl', kind: 'tool', summary: 'users and lingering: enable-linger USER, disable-linger USER, list-users', webcontainer: 'in-page' },
  { name: 'true', kind: 'tool', summary: 'do nothing, successfully', webcontainer: 'in-page' },
  { name: 'false', kind: 'tool', summary: 'do nothing, unsuccessfully', webcontainer: 'in-page' },
  { name: 'cd', kind: 'shell', summary: 'change directory', webcontainer: 'jsh' },
  { name: 'export', kind: 'shell', summary: 'set an environment variable', webcontainer: 'jsh' },
  { name: 'unset', kind: 'shell', summary: 'remove an environment variable', webcontainer: 'jsh' },
] as const satisfies readonly CommandRow[];

/** A command name of the table. */
export type CommandName = (typeof COMMAND_TABLE)[number]['name'];
/** The names of one kind. */
export type CommandNameOf<K extends CommandKind> = Extract<(typeof COMMAND_TABLE)[number], { kind: K }>['name'];

/** The table's row for `name`, if it has one. */
export function commandRow(name: string): CommandRow | undefined {
  return (COMMAND_TABLE as readonly CommandRow[]).find((row) => row.name === name);
}

/** The names a runtime offers for Tab completion (sorted). */
export function completionNames(runtime: 'in-page' | 'webcontainer'): string[] {
  const rows = COMMAND_TABLE as readonly CommandRow[];
  return rows.filter((row) => runtime === 'in-page' || row.webcontainer !== 'in-page').map((row) => row.name).sort();
}

/** The commands the WebContainer runs through the emulator (one wrapper each), or that jsh has. */
export function webContainerCommands(provision: 'emulator' | 'jsh'): string[] {
  return (COMMAND_TABLE as readonly CommandRow[]).filter((row) => row.webcontainer === provision).map((row) => row.name);
}

/**
 * The unit-file model: plain data produced by the unit-file loader and consumed by the manager.
 * Field names follow systemd's directive names (camelCase). Times are milliseconds
 * (`Infinity` for "infinity"); modes are numbers (0o660). Lists keep file order.
 */

/** The unit types this emulator models. */
export type ModelledUnitType = 'service' | 'socket' | 'path' | 'target' | 'slice';
/**
 * Unit types the emulator does not run: a lab machine has them as units whose state comes from the boot of a real
 * Debian 12 (manager/snapshot-unit.ts), so that list-units, list-dependencies and status show them.
 */
export type SnapshotUnitType = 'mount' | 'automount' | 'swap' | 'timer' | 'scope' | 'device';
/** Every unit type a UnitFile may have. */
export type UnitType = ModelledUnitType | SnapshotUnitType;

/** A message about a unit file, laid out as systemd prints it (`FILE:LINE: message`). */
export interface Diagnostic {
  /** Absolute path of the file the message is about. */
  file: string;
  /** 1-based line number, absent for load-time refusals ("FILE: message"). */
  line?: number;
  message: string;
  /** For unit-level lines without a line number: the unit name systemd prints instead of the file ("foo.socket: …"). */
  unit?: string;
  /** 'warning': the line was ignored; 'error': the unit fails to load. */
  severity: 'warning' | 'error';
}

/** One Exec*= command line, split as systemd splits it. */
export interface ExecCommand {
  /** The executable path (first argument after prefixes). */
  path: string;
  /** argv[0..n]; argv[0] is the path unless the `@` prefix set another. */
  argv: string[];
  /** `-` prefix: a non-zero exit is not a failure. */
  ignoreFailure: boolean;
  /** The text as written, after specifier expansion. */
  text: string;
}

/** The socket kind a Listen*= line asks for. */
export type ListenKind = 'stream' | 'datagram' | 'seqpacket' | 'fifo' | 'netlink';

/** A parsed Listen*= value (see reference §2, address grammar). */
export interface ListenAddress {
  kind: ListenKind;
  /** 'dual' is a bare port: [::]:PORT dual-stack. */
  family: 'inet' | 'inet6' | 'dual' | 'unix' | 'abstract' | 'vsock' | 'fifo' | 'netlink';
  /** IP address text for inet/inet6 ('0.0.0.0' / '::' for wildcards). */
  host?: string;
  port?: number;
  /** Filesystem path (unix, fifo) or the name after '@' (abstract). */
  path?: string;
  /** ListenNetlink=: the netlink protocol (NETLINK_ROUTE 0, NETLINK_AUDIT 9…) and the multicast groups mask. */
  netlink?: { protocol: number; groups: number };
  /** `%dev` suffix of an IPv6 address. */
  scopeInterface?: string;
  /** How `systemctl status` shows the address: `127.0.0.1:8080`, `[::]:8080`, `/run/foo.sock`, `@name`, `route 1361`. */
  text: string;
}

/** ConditionPathExists=[!]PATH */
export interface PathCondition {
  path: string;
  negate: boolean;
}

/** [Unit] section. StartLimit* live here as in systemd >= 230 (also accepted in [Service]). */
export interface UnitSection {
  description?: string;
  documentation: string[];
  requires: string[];
  wants: string[];
  after: string[];
  before: string[];
  partOf: string[];
  conflicts: string[];
  conditionPathExists: PathCondition[];
  startLimitIntervalMs?: number; // default 10 s (DefaultStartLimitIntervalSec)
  startLimitBurst?: number; // default 5
  /** StopWhenUnneeded=: stop once no active unit requires or wants it. */
  stopWhenUnneeded?: boolean;
  /** DefaultDependencies=: false drops the dependencies the unit's type adds by default (unit.c). */
  defaultDependencies?: boolean;
}

/** [Install] section. */
export interface InstallSection {
  wantedBy: string[];
  requiredBy: string[];
  also: string[];
  alias: string[];
  /** DefaultInstance= of a template: the instance `enable foo@.service` links. */
  defaultInstance?: string;
}

/** [Socket] section, defaults from systemd.socket(5). */
export interface SocketSection {
  listen: ListenAddress[];
  accept: boolean;
  service?: string;
  fileDescriptorName?: string;
  backlog: number;
  maxConnections: number;
  maxConnectionsPerSource: number;
  socketUser: string;
  socketGroup: string;
  /** SocketUser= / SocketGroup= given (not empty): socket_enter_start_chown() runs its chown process. */
  chownUser?: boolean;
  chownGroup?: boolean;
  socketMode: number;
  directoryMode: number;
  removeOnStop: boolean;
  bindIPv6Only: 'default' | 'both' | 'ipv6-only';
  /** undefined = the default (2 s). 0 disables. */
  triggerLimitIntervalMs?: number;
  /** undefined = the default (20, or 200 with Accept=yes). 0 disables. */
  triggerLimitBurst?: number;
  passCredentials: boolean;
  freeBind: boolean;
  symlinks: string[];
  /** Socket-side commands (run by the socket unit itself); absent when the unit was built by hand. */
  execStartPre?: ExecCommand[];
  execStartPost?: ExecCommand[];
  execStopPre?: ExecCommand[];
  execStopPost?: ExecCommand[];
  /** Count of ListenSpecial=/ListenMessageQueue=/ListenUSBFunction= lines (not modelled). */
  otherListen?: number;
}

/** Service Type= values in scope. */
export type ServiceType = 'simple' | 'exec' | 'notify' | 'oneshot' | 'forking';
/** NotifyAccess= values. */
export type NotifyAccess = 'none' | 'main' | 'exec' | 'all';
/** Restart= values. */
export type RestartPolicy = 'no' | 'on-success' | 'on-failure' | 'on-abnormal' | 'on-watchdog' | 'on-abort' | 'always';

/** [Service] section. */
export interface ServiceSection {
  type: ServiceType;
  /** True when Type= was not set (systemd then picks simple, or oneshot with no ExecStart=). */
  typeDefaulted: boolean;
  execStart: ExecCommand[];
  execStartPre: ExecCommand[];
  execStartPost: ExecCommand[];
  execStop: ExecCommand[];
  execReload: ExecCommand[];
  /** ExecCondition= and ExecStopPost= (parsed and checked; absent when the unit was built by hand). */
  execCondition?: ExecCommand[];
  execStopPost?: ExecCommand[];
  /** RemainAfterExit= (default false). */
  remainAfterExit?: boolean;
  /** NonBlocking= (default false: the passed socket fds are in blocking mode). */
  nonBlocking?: boolean;
  /** NotifyAccess= (default none, or main for Type=notify). */
  notifyAccess?: NotifyAccess;
  /** WatchdogSec= in ms (0 or absent: no watchdog). */
  watchdogMs?: number;
  /** FileDescriptorStoreMax= (default 0: FDSTORE=1 keeps nothing). */
  fileDescriptorStoreMax?: number;
  restart: RestartPolicy;
  restartMs: number; // default 100 ms
  /** Environment= assignments in order (later wins). */
  environment: Array<[string, string]>;
  environmentFiles: Array<{ path: string; optional: boolean }>;
  standardInput: string; // 'null' default; 'socket' for inetd style
  standardOutput: string; // 'inherit'/'journal' default; 'socket'
  standardError: string;
  user?: string;
  group?: string;
  /** DynamicUser= (default false): a user made up for the service's lifetime (see manager/dynamic-user.ts). */
  dynamicUser?: boolean;
  /** PrivateNetwork= (default false): recorded and shown; the emulator's kernels do not isolate the network. */
  privateNetwork?: boolean;
  timeoutStartMs: number; // default 90 s
  timeoutStopMs: number; // default 90 s: SIGTERM, then SIGKILL when it runs out
  sockets: string[];
}

/** [Path] section. */
export interface PathSection {
  pathExists: string[];
  pathExistsGlob: string[];
  pathChanged: string[];
  pathModified: string[];
  directoryNotEmpty: string[];
  unit?: string;
  makeDirectory: boolean;
  directoryMode: number;
}

/** systemd's load states as `systemctl status` names them. */
export type LoadState = 'loaded' | 'not-found' | 'bad-setting' | 'error' | 'masked';

/** A loaded unit: the result of parsing its fragment and drop-ins. */
export interface UnitFile {
  /** Full unit name, e.g. `foo.socket`, `sshd@0-127.0.0.1:22-127.0.0.1:50312.service`. */
  name: string;
  type: UnitType;
  /** Part before `@` (or before the suffix). */
  prefix: string;
  /** Instance string for template instances. */
  instance?: string;
  /** The main file (`/etc/systemd/system/foo.socket`), absent when not found. */
  fragmentPath?: string;
  dropInPaths: string[];
  loadState: LoadState;
  /** For bad-setting/error: the reason line, e.g. "Unit foo.socket has a bad unit file setting." */
  loadError?: string;
  unit: UnitSection;
  install: InstallSection;
  socket?: SocketSection;
  service?: ServiceSection;
  path?: PathSection;
  /** Parse-level and load-time messages, in the order systemd prints them. */
  diagnostics: Diagnostic[];
  /** The emulator's own remarks (keys it parses but does not model), which real systemd does not print; absent when none. */
  notes?: Diagnostic[];
}

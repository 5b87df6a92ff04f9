/**
 * THE directive table, like systemd's load-fragment-gperf.gperf.in: one row per (section, key) with the parser
 * that reads the value, the field it fills, and whether the emulator acts on it (`modelled`). A row that is
 * parsed and checked but not acted on makes the loader add a note in the emulator's own words (verify and the
 * journal show it). Keys systemd 252 knows that are not in the table are accepted silently (see isKnownKey);
 * every other key gets "Unknown key …".
 */
import type { ListenKind, UnitFile, ServiceType, RestartPolicy, NotifyAccess } from './unit-types.ts';
import { parseBoolean, parseMode, parseSec, parseUnsigned } from './value-parsers.ts';
import { extractFirstWord } from './extract-word.ts';
import { expandSpecifiers, SpecifierError, type SpecifierContext } from './specifiers.ts';
import { fifoAddress, parseNetlinkAddress, parseSocketAddress, patchVarRun } from './listen-address.ts';
import { strerror } from '../kernel/errno.ts';
import { parseExecLine } from './exec-command.ts';
import { parseUnitName } from './unit-name.ts';
import { SYSTEMD_252_KEYS } from './systemd-252-keys.ts';

/** What a parser gets: the value, where it came from, and how to report. */
export interface DirectiveContext {
  unit: UnitFile;
  section: string;
  key: string;
  value: string;
  spec: SpecifierContext;
  /** The UnitFile field the table's row names, `section.field` (`socket.accept`): what the parser fills. */
  field: string;
  /** Logs `FILE:LINE: message` as a warning (the value is ignored). */
  warn(message: string): void;
  /** Logs `FILE:LINE: message` and marks the unit as failing to load ("fatal error"). */
  fatal(message: string): void;
}

/** A parser: reads ctx.value and writes one field of ctx.unit. */
export type DirectiveParser = (ctx: DirectiveContext) => void;

/** One row of the table. */
export interface Directive {
  section: string;
  key: string;
  /** The UnitFile field it fills, `section.field`. */
  field: string;
  parse: DirectiveParser;
  /** True when the emulator acts on the value; else what real systemd does with it that the emulator does not. */
  modelled: true | string;
}

type Fields = Record<string, unknown>;

/** The object a `section.field` path names, created on demand for the unit type's section. */
function target(unit: UnitFile, field: string): [Fields, string] {
  const [part, name] = field.split('.');
  const obj = (unit as unknown as Record<string, Fields | undefined>)[part];
  if (!obj) throw new Error(`directive table: unit ${unit.name} has no [${part}] model for field ${field}`);
  return [obj, name];
}

function set(field: string, value: unknown, unit: UnitFile): void {
  const [obj, name] = target(unit, field);
  obj[name] = value;
}

function list(field: string, unit: UnitFile): unknown[] {
  const [obj, name] = target(unit, field);
  return obj[name] as unknown[];
}

/** Expands specifiers or logs systemd's "Failed to resolve unit specifiers" line; undefined on failure. */
function expand(ctx: DirectiveContext, text: string, quoted: boolean): string | undefined {
  try {
    return expandSpecifiers(text, ctx.spec);
  } catch (e) {
    if (!(e instanceof SpecifierError)) throw e;
    ctx.warn(quoted ? `Failed to resolve unit specifiers in '${text}', ignoring: ${e.message}` : `Failed to resolve unit specifiers in ${text}, ignoring: ${e.message}`);
    return undefined;
  }
}

// ---- parsers (named after systemd's config_parse_* functions) ----

const boolean: DirectiveParser = (ctx) => {
  const { field } = ctx;
  const v = parseBoolean(ctx.value);
  if (v === undefined) ctx.warn(`Failed to parse boolean value, ignoring: ${ctx.value}`);
  else set(field, v, ctx.unit);
};

const unsigned: DirectiveParser = (ctx) => {
  const { field } = ctx;
  const v = parseUnsigned(ctx.value);
  if (typeof v !== 'number') ctx.warn(`Failed to parse unsigned value, ignoring: ${ctx.value}`);
  else set(field, v, ctx.unit);
};

const sec: DirectiveParser = (ctx) => {
  const { field } = ctx;
  const v = parseSec(ctx.value);
  if (v === undefined) ctx.warn(`Failed to parse sec value, ignoring: ${ctx.value}`);
  else set(field, v, ctx.unit);
};

const mode: DirectiveParser = (ctx) => {
  const { field } = ctx;
  const v = parseMode(ctx.value);
  if (v === undefined) ctx.warn(`Failed to parse mode value, ignoring: ${ctx.value}`);
  else set(field, v, ctx.unit);
};

/** config_parse_unit_string_printf: specifiers expanded, empty resets. */
const stringPrintf: DirectiveParser = (ctx) => {
  const { field } = ctx;
  const v = expand(ctx, ctx.value, true);
  if (v !== undefined) set(field, v === '' ? undefined : v, ctx.unit);
};

/** config_parse_user_group_compat: a user or group name (empty resets). */
const userGroup: DirectiveParser = (ctx) => {
  const { field } = ctx;
  const v = expand(ctx, ctx.value, false);
  if (v === undefined) return;
  const fallback = field.startsWith('socket.') ? 'root' : undefined;
  // An empty SocketUser=/SocketGroup= resets it: no chown then.
  const chownFlag = field === 'socket.socketUser' ? 'socket.chownUser' : field === 'socket.socketGroup' ? 'socket.chownGroup' : undefined;
  if (v === '') {
    set(field, fallback, ctx.unit);
    if (chownFlag) set(chownFlag, false, ctx.unit);
    return;
  }
  if (!/^[^\x00-\x20:/,\x7f]+$/.test(v) || /^[0-9]+$/.test(v) === false && /^-/.test(v)) {
    ctx.fatal(`Invalid user/group name or numeric ID: ${v}`);
    return;
  }
  set(field, v, ctx.unit);
  if (chownFlag) set(chownFlag, true, ctx.unit);
};

/** config_parse_unit_deps: space-separated unit names (empty assignments are ignored, as in systemd). */
const unitDeps: DirectiveParser = (ctx) => {
  const { field } = ctx;
  let p = ctx.value;
  for (;;) {
    const r = extractFirstWord(p, { retainEscape: true });
    if (r === null) return;
    if ('error' in r) {
      ctx.warn(`Invalid syntax, ignoring: ${ctx.value}`);
      return;
    }
    p = r.rest;
    const name = expand(ctx, r.word, true);
    if (name === undefined) continue;
    if (!parseUnitName(name)) {
      ctx.warn(`Failed to add dependency on ${name}, ignoring: Invalid argument`);
      continue;
    }
    const deps = list(field, ctx.unit) as string[];
    if (!deps.includes(name)) deps.push(name);
  }
};

/** config_parse_documentation: URLs (http, https, file, info, man); empty resets. */
const documentation: DirectiveParser = (ctx) => {
  const { field } = ctx;
  if (ctx.value === '') {
    set(field, [], ctx.unit);
    return;
  }
  const words = strvWords(ctx);
  if (!words) return;
  for (const w of words) {
    if (/^(https?|file|info|man):./.test(w) && /^[\x21-\x7e]+$/.test(w)) (list(field, ctx.unit) as string[]).push(w);
    else ctx.warn(`Invalid URL, ignoring: ${w}`);
  }
};

/** Splits a list value (EXTRACT_UNQUOTE|EXTRACT_RETAIN_ESCAPE), expanding specifiers. */
function strvWords(ctx: DirectiveContext): string[] | undefined {
  const out: string[] = [];
  let p = ctx.value;
  for (;;) {
    const r = extractFirstWord(p, { unquote: true, retainEscape: true });
    if (r === null) return out;
    if ('error' in r) {
      ctx.warn(`Invalid syntax, ignoring: ${ctx.value}`);
      return undefined;
    }
    p = r.rest;
    const v = expand(ctx, r.word, true);
    if (v !== undefined) out.push(v);
  }
}

/** An absolute path check as path_simplify_and_warn(PATH_CHECK_ABSOLUTE). */
function absolutePath(ctx: DirectiveContext, path: string): string | undefined {
  if (!path.startsWith('/')) {
    ctx.warn(`${ctx.key}= path is not absolute, ignoring: ${path}`);
    return undefined;
  }
  return path.replace(/\/+/g, '/').replace(/(?<=.)\/$/, '');
}

/** config_parse_unit_condition_path: `[|][!]PATH`, empty resets. */
const conditionPath: DirectiveParser = (ctx) => {
  const { field } = ctx;
  if (ctx.value === '') {
    set(field, [], ctx.unit);
    return;
  }
  let v = ctx.value;
  const trigger = v.startsWith('|');
  if (trigger) v = v.slice(1).trimStart();
  const negate = v.startsWith('!');
  if (negate) v = v.slice(1).trimStart();
  const expanded = expand(ctx, v, false);
  if (expanded === undefined) return;
  const path = absolutePath(ctx, expanded);
  if (path) (list(field, ctx.unit) as unknown[]).push({ path, negate });
};

/** config_parse_socket_listen. */
const socketListen = (kind: ListenKind): DirectiveParser => (ctx) => {
  const socket = ctx.unit.socket!;
  if (ctx.value === '') {
    socket.listen = [];
    return;
  }
  const k = expand(ctx, ctx.value, true);
  if (k === undefined) return;
  if (kind === 'fifo') {
    const path = absolutePath(ctx, k);
    if (path) socket.listen.push(fifoAddress(patchVarRun(path)));
    return;
  }
  const text = kind !== 'netlink' && k.startsWith('/') ? patchVarRun(k) : k;
  const address = kind === 'netlink' ? parseNetlinkAddress(text) : parseSocketAddress(text, kind);
  if (typeof address === 'string') {
    ctx.warn(`Failed to parse address value in '${text}', ignoring: ${strerror(address)}`);
    return;
  }
  if (kind === 'seqpacket' && address.family !== 'unix' && address.family !== 'abstract') {
    ctx.warn(`Address family not supported, ignoring: ${ctx.value}`);
    return;
  }
  socket.listen.push(address);
};

/** Path-only Listen*= forms the emulator does not model (special files, message queues, USB functions). */
const socketListenOther: DirectiveParser = (ctx) => {
  if (ctx.value === '') ctx.unit.socket!.listen = [];
  else ctx.unit.socket!.otherListen = (ctx.unit.socket!.otherListen ?? 0) + 1;
};

/** config_parse_socket_bind. */
const socketBind: DirectiveParser = (ctx) => {
  const v = ctx.value;
  if (v === 'default' || v === 'both' || v === 'ipv6-only') {
    ctx.unit.socket!.bindIPv6Only = v;
    return;
  }
  const b = parseBoolean(v);
  if (b === undefined) ctx.warn(`Failed to parse bind IPv6 only value, ignoring: ${v}`);
  else ctx.unit.socket!.bindIPv6Only = b ? 'ipv6-only' : 'both';
};

/** config_parse_socket_service. */
const socketService: DirectiveParser = (ctx) => {
  const p = expand(ctx, ctx.value, false);
  if (p === undefined) return;
  if (!p.endsWith('.service')) {
    ctx.warn(`Unit must be of type service, ignoring: ${ctx.value}`);
    return;
  }
  const parts = parseUnitName(p);
  if (!parts) {
    ctx.warn(`Failed to load unit ${ctx.value}, ignoring: Invalid argument`);
    return;
  }
  // manager_load_unit() refuses a template name with this bus error.
  if (parts.template) {
    ctx.warn(`Failed to load unit ${ctx.value}, ignoring: Unit name ${p} is missing the instance name.`);
    return;
  }
  ctx.unit.socket!.service = p;
};

/** fdname_is_valid(): printable ASCII, no ':', at most 255 characters. */
export function isValidFdName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && /^[\x21-\x7e]+$/.test(name) && !name.includes(':');
}

/** config_parse_fdname. */
const fdName: DirectiveParser = (ctx) => {
  if (ctx.value === '') {
    ctx.unit.socket!.fileDescriptorName = undefined;
    return;
  }
  const p = expand(ctx, ctx.value, true);
  if (p === undefined) return;
  if (!isValidFdName(p)) ctx.warn(`Invalid file descriptor name, ignoring: ${p}`);
  else ctx.unit.socket!.fileDescriptorName = p;
};

/** config_parse_unit_path_strv_printf (Symlinks=). */
const pathStrv: DirectiveParser = (ctx) => {
  const { field } = ctx;
  if (ctx.value === '') {
    set(field, [], ctx.unit);
    return;
  }
  let p = ctx.value;
  for (;;) {
    const r = extractFirstWord(p, { unquote: true });
    if (r === null) return;
    if ('error' in r) {
      ctx.warn(`Invalid syntax, ignoring: ${ctx.value}`);
      return;
    }
    p = r.rest;
    const v = expand(ctx, r.word, true);
    if (v === undefined) continue;
    const path = absolutePath(ctx, v);
    if (path) (list(field, ctx.unit) as string[]).push(path);
  }
};

/** config_parse_exec. */
const exec: DirectiveParser = (ctx) => {
  const { field } = ctx;
  const r = parseExecLine(ctx.value, ctx.spec);
  for (const m of r.messages) (m.fatal ? ctx.fatal : ctx.warn)(m.message);
  if (r.reset) set(field, [], ctx.unit);
  else (list(field, ctx.unit) as unknown[]).push(...r.commands);
};

const SERVICE_TYPES = ['simple', 'exec', 'forking', 'oneshot', 'dbus', 'notify', 'idle'];
const RESTART_POLICIES = ['no', 'on-success', 'on-failure', 'on-abnormal', 'on-watchdog', 'on-abort', 'always'];
const INPUTS = ['null', 'tty', 'tty-force', 'tty-fail', 'socket', 'data'];
const OUTPUTS = ['inherit', 'null', 'tty', 'kmsg', 'kmsg+console', 'journal', 'journal+console', 'socket', 'syslog', 'syslog+console'];

/** config_parse_service_type. */
const serviceType: DirectiveParser = (ctx) => {
  if (!SERVICE_TYPES.includes(ctx.value)) {
    ctx.warn(`Failed to parse service type, ignoring: ${ctx.value}`);
    return;
  }
  ctx.unit.service!.type = ctx.value as ServiceType;
  ctx.unit.service!.typeDefaulted = false;
};

/** config_parse_service_restart. */
const serviceRestart: DirectiveParser = (ctx) => {
  if (!RESTART_POLICIES.includes(ctx.value)) ctx.warn(`Failed to parse service restart specifier, ignoring: ${ctx.value}`);
  else ctx.unit.service!.restart = ctx.value as RestartPolicy;
};

/** config_parse_notify_access. */
const notifyAccess: DirectiveParser = (ctx) => {
  if (!['none', 'main', 'exec', 'all'].includes(ctx.value)) ctx.warn(`Failed to parse notify access specifier, ignoring: ${ctx.value}`);
  else ctx.unit.service!.notifyAccess = ctx.value as NotifyAccess;
};

/** config_parse_service_timeout (0 means infinity). */
const serviceTimeout: DirectiveParser = (ctx) => {
  const { field } = ctx;
  const v = parseSec(ctx.value);
  if (v === undefined) ctx.warn(`Failed to parse ${ctx.key}= parameter, ignoring: ${ctx.value}`);
  else set(field, v === 0 ? Infinity : v, ctx.unit);
};

/** config_parse_environ: `"A=1" B=2`, empty resets. */
const environ: DirectiveParser = (ctx) => {
  const env = ctx.unit.service!.environment;
  if (ctx.value === '') {
    env.length = 0;
    return;
  }
  let p = ctx.value;
  for (;;) {
    const r = extractFirstWord(p, { unquote: true, cunescape: true, relaxEscape: true });
    if (r === null) return;
    if ('error' in r) {
      ctx.warn(`Invalid syntax, ignoring: ${ctx.value}`);
      return;
    }
    p = r.rest;
    let resolved: string;
    try {
      resolved = expandSpecifiers(r.word, ctx.spec);
    } catch (e) {
      if (!(e instanceof SpecifierError)) throw e;
      ctx.warn(`Failed to resolve specifiers in ${r.word}, ignoring: ${e.message}`);
      continue;
    }
    const eq = resolved.indexOf('=');
    if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(resolved.slice(0, eq))) {
      ctx.warn(`Invalid environment assignment, ignoring: ${resolved}`);
      continue;
    }
    env.push([resolved.slice(0, eq), resolved.slice(eq + 1)]);
  }
};

/** config_parse_unit_env_file: `[-]/path`, empty resets. */
const envFile: DirectiveParser = (ctx) => {
  const files = ctx.unit.service!.environmentFiles;
  if (ctx.value === '') {
    files.length = 0;
    return;
  }
  const n = expand(ctx, ctx.value, true);
  if (n === undefined) return;
  const optional = n.startsWith('-');
  const path = absolutePath(ctx, optional ? n.slice(1) : n);
  if (path) files.push({ path, optional });
};

/** config_parse_exec_input / exec_output (fd:NAME, file:PATH… are accepted without modelling them). */
const execStdio = (allowed: string[], what: 'input' | 'output'): DirectiveParser => (ctx) => {
  const { field } = ctx;
  const v = ctx.value;
  if (allowed.includes(v) || /^(fd:|file:|append:|truncate:)./.test(v) || (what === 'input' && v === 'file')) {
    set(field, v, ctx.unit);
    return;
  }
  ctx.warn(`Failed to parse ${what} specifier, ignoring: ${v}`);
};

/** config_parse_service_sockets. */
const serviceSockets: DirectiveParser = (ctx) => {
  let p = ctx.value;
  for (;;) {
    const r = extractFirstWord(p, { unquote: true, retainEscape: true });
    if (r === null) return;
    if ('error' in r) {
      ctx.warn(`Trailing garbage in sockets, ignoring: ${ctx.value}`);
      return;
    }
    p = r.rest;
    const k = expand(ctx, r.word, true);
    if (k === undefined) continue;
    if (!k.endsWith('.socket')) {
      ctx.warn(`Unit must be of type socket, ignoring: ${k}`);
      continue;
    }
    if (!ctx.unit.service!.sockets.includes(k)) ctx.unit.service!.sockets.push(k);
  }
};

/** config_parse_path_spec. */
const pathSpec: DirectiveParser = (ctx) => {
  const { field } = ctx;
  if (ctx.value === '') {
    for (const f of ['pathExists', 'pathExistsGlob', 'pathChanged', 'pathModified', 'directoryNotEmpty']) set(`path.${f}`, [], ctx.unit);
    return;
  }
  const k = expand(ctx, ctx.value, false);
  if (k === undefined) return;
  const path = absolutePath(ctx, k);
  if (path) (list(field, ctx.unit) as string[]).push(path);
};

/** config_parse_trigger_unit (Path.Unit=). */
const triggerUnit: DirectiveParser = (ctx) => {
  if (ctx.unit.path!.unit !== undefined) {
    ctx.warn(`Multiple units to trigger specified, ignoring: ${ctx.value}`);
    return;
  }
  const p = expand(ctx, ctx.value, false);
  if (p === undefined) return;
  const parts = parseUnitName(p);
  if (!parts) {
    ctx.warn(`Unit type not valid, ignoring: ${ctx.value}`);
    return;
  }
  if (p === ctx.unit.name) {
    ctx.warn(`Units cannot trigger themselves, ignoring: ${ctx.value}`);
    return;
  }
  ctx.unit.path!.unit = p;
};

/** [Install] keys are read by `systemctl enable`, not at load time: the words are stored, nothing is checked. */
const installList: DirectiveParser = (ctx) => {
  const { field } = ctx;
  if (ctx.value === '') set(field, [], ctx.unit);
  else (list(field, ctx.unit) as string[]).push(...ctx.value.split(/[ \t\n\r]+/).filter(Boolean));
};

/** A row the emulator models. */
const row = (section: string, key: string, field: string, parse: DirectiveParser): Directive => ({ section, key, field, parse, modelled: true });

/** A row the emulator parses and checks but does not act on; `effect` says what real systemd does with it. */
const unmodelled = (section: string, key: string, field: string, parse: DirectiveParser, effect: string): Directive => ({ section, key, field, parse, modelled: effect });

/** Every directive the emulator parses; `modelled` says which it acts on. */
export const DIRECTIVES: readonly Directive[] = [
  row('Unit', 'Description', 'unit.description', stringPrintf),
  row('Unit', 'Documentation', 'unit.documentation', documentation),
  row('Unit', 'Requires', 'unit.requires', unitDeps),
  row('Unit', 'Wants', 'unit.wants', unitDeps),
  row('Unit', 'After', 'unit.after', unitDeps),
  row('Unit', 'Before', 'unit.before', unitDeps),
  row('Unit', 'PartOf', 'unit.partOf', unitDeps),
  row('Unit', 'Conflicts', 'unit.conflicts', unitDeps),
  row('Unit', 'StopWhenUnneeded', 'unit.stopWhenUnneeded', boolean),
  row('Unit', 'DefaultDependencies', 'unit.defaultDependencies', boolean),
  row('Unit', 'ConditionPathExists', 'unit.conditionPathExists', conditionPath),
  row('Unit', 'StartLimitIntervalSec', 'unit.startLimitIntervalMs', sec),
  row('Unit', 'StartLimitInterval', 'unit.startLimitIntervalMs', sec),
  row('Unit', 'StartLimitBurst', 'unit.startLimitBurst', unsigned),
  row('Socket', 'ListenStream', 'socket.listen', socketListen('stream')),
  row('Socket', 'ListenDatagram', 'socket.listen', socketListen('datagram')),
  row('Socket', 'ListenSequentialPacket', 'socket.listen', socketListen('seqpacket')),
  row('Socket', 'ListenFIFO', 'socket.listen', socketListen('fifo')),
  row('Socket', 'ListenNetlink', 'socket.listen', socketListen('netlink')),
  unmodelled('Socket', 'ListenSpecial', 'socket.listen', socketListenOther, 'systemd opens this file; the emulator opens nothing for it'),
  unmodelled('Socket', 'ListenMessageQueue', 'socket.listen', socketListenOther, 'systemd opens this message queue; the emulator opens nothing for it'),
  unmodelled('Socket', 'ListenUSBFunction', 'socket.listen', socketListenOther, 'systemd opens this USB function; the emulator opens nothing for it'),
  row('Socket', 'Accept', 'socket.accept', boolean),
  row('Socket', 'Service', 'socket.service', socketService),
  row('Socket', 'FileDescriptorName', 'socket.fileDescriptorName', fdName),
  row('Socket', 'Backlog', 'socket.backlog', unsigned),
  row('Socket', 'MaxConnections', 'socket.maxConnections', unsigned),
  row('Socket', 'MaxConnectionsPerSource', 'socket.maxConnectionsPerSource', unsigned),
  row('Socket', 'SocketUser', 'socket.socketUser', userGroup),
  row('Socket', 'SocketGroup', 'socket.socketGroup', userGroup),
  row('Socket', 'SocketMode', 'socket.socketMode', mode),
  row('Socket', 'DirectoryMode', 'socket.directoryMode', mode),
  row('Socket', 'RemoveOnStop', 'socket.removeOnStop', boolean),
  row('Socket', 'BindIPv6Only', 'socket.bindIPv6Only', socketBind),
  row('Socket', 'TriggerLimitIntervalSec', 'socket.triggerLimitIntervalMs', sec),
  row('Socket', 'TriggerLimitBurst', 'socket.triggerLimitBurst', unsigned),
  row('Socket', 'PassCredentials', 'socket.passCredentials', boolean),
  row('Socket', 'FreeBind', 'socket.freeBind', boolean),
  row('Socket', 'Symlinks', 'socket.symlinks', pathStrv),
  unmodelled('Socket', 'ExecStartPre', 'socket.execStartPre', exec, 'systemd runs it before the socket is bound; the emulator does not run it'),
  unmodelled('Socket', 'ExecStartPost', 'socket.execStartPost', exec, 'systemd runs it after the socket is bound; the emulator does not run it'),
  unmodelled('Socket', 'ExecStopPre', 'socket.execStopPre', exec, 'systemd runs it before the socket is closed; the emulator does not run it'),
  unmodelled('Socket', 'ExecStopPost', 'socket.execStopPost', exec, 'systemd runs it after the socket is closed; the emulator does not run it'),
  row('Service', 'Type', 'service.type', serviceType),
  row('Service', 'ExecCondition', 'service.execCondition', exec),
  row('Service', 'ExecStartPre', 'service.execStartPre', exec),
  row('Service', 'ExecStart', 'service.execStart', exec),
  row('Service', 'ExecStartPost', 'service.execStartPost', exec),
  row('Service', 'ExecReload', 'service.execReload', exec),
  row('Service', 'ExecStop', 'service.execStop', exec),
  row('Service', 'ExecStopPost', 'service.execStopPost', exec),
  row('Service', 'RemainAfterExit', 'service.remainAfterExit', boolean),
  row('Service', 'NonBlocking', 'service.nonBlocking', boolean),
  row('Service', 'NotifyAccess', 'service.notifyAccess', notifyAccess),
  row('Service', 'WatchdogSec', 'service.watchdogMs', sec),
  row('Service', 'FileDescriptorStoreMax', 'service.fileDescriptorStoreMax', unsigned),
  row('Service', 'Restart', 'service.restart', serviceRestart),
  row('Service', 'RestartSec', 'service.restartMs', sec),
  row('Service', 'Environment', 'service.environment', environ),
  row('Service', 'EnvironmentFile', 'service.environmentFiles', envFile),
  row('Service', 'StandardInput', 'service.standardInput', execStdio(INPUTS, 'input')),
  row('Service', 'StandardOutput', 'service.standardOutput', execStdio(OUTPUTS, 'output')),
  row('Service', 'StandardError', 'service.standardError', execStdio(OUTPUTS, 'output')),
  row('Service', 'User', 'service.user', userGroup),
  row('Service', 'Group', 'service.group', userGroup),
  row('Service', 'DynamicUser', 'service.dynamicUser', boolean),
  row('Service', 'PrivateNetwork', 'service.privateNetwork', boolean),
  row('Service', 'TimeoutStartSec', 'service.timeoutStartMs', serviceTimeout),
  row('Service', 'TimeoutStopSec', 'service.timeoutStopMs', serviceTimeout),
  row('Service', 'StartLimitInterval', 'unit.startLimitIntervalMs', sec),
  row('Service', 'StartLimitBurst', 'unit.startLimitBurst', unsigned),
  row('Service', 'Sockets', 'service.sockets', serviceSockets),
  row('Path', 'PathExists', 'path.pathExists', pathSpec),
  unmodelled('Path', 'PathExistsGlob', 'path.pathExistsGlob', pathSpec, 'systemd triggers the unit when a file matches; the emulator never does'),
  row('Path', 'PathChanged', 'path.pathChanged', pathSpec),
  row('Path', 'PathModified', 'path.pathModified', pathSpec),
  row('Path', 'DirectoryNotEmpty', 'path.directoryNotEmpty', pathSpec),
  row('Path', 'Unit', 'path.unit', triggerUnit),
  row('Path', 'MakeDirectory', 'path.makeDirectory', boolean),
  row('Path', 'DirectoryMode', 'path.directoryMode', mode),
  row('Install', 'WantedBy', 'install.wantedBy', installList),
  row('Install', 'RequiredBy', 'install.requiredBy', installList),
  row('Install', 'Also', 'install.also', installList),
  row('Install', 'Alias', 'install.alias', installList),
  row('Install', 'DefaultInstance', 'install.defaultInstance', stringPrintf),
];

const BY_KEY = new Map(DIRECTIVES.map((d) => [`${d.section}.${d.key}`, d]));

/** The row for `Section.Key`, if the emulator models it. */
export function findDirective(section: string, key: string): Directive | undefined {
  return BY_KEY.get(`${section}.${key}`);
}

/** True when systemd 252 knows `Section.Key` (from the generated dump). */
export function isKnownKey(section: string, key: string): boolean {
  return Object.hasOwn(SYSTEMD_252_KEYS[section] ?? {}, key);
}

/** The sections a unit of this type may have, as the unit vtables' `.sections` list them. */
export function sectionsFor(type: string): string[] {
  const own: Record<string, string> = { service: 'Service', socket: 'Socket', path: 'Path', target: 'Target', slice: 'Slice' };
  return ['Unit', own[type], 'Install'];
}

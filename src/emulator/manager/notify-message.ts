/**
 * sd_notify() messages as PID 1 reads them (systemd 252: manager_dispatch_notify_fd() in src/core/manager.c,
 * service_notify_message() and service_notify_message_authorized() in src/core/service.c). Pure functions over
 * plain data, shared by both kernels: the datagram → its tags → who may send → what the message asks. The
 * service unit applies the request to its state machine; every warning is systemd's own wording.
 */

import { ERRNO } from '../kernel/errno.ts';
import type { NotifyAccess } from '../unit-file/unit-types.ts';

export type { NotifyAccess };

/** NOTIFY_BUFFER_MAX (PIPE_BUF): a longer datagram is ignored. */
export const NOTIFY_BUFFER_MAX = 4096;

/**
 * A datagram split into its tags (UTF-8 text; a tag that is not valid UTF-8 is decoded with U+FFFD and its
 * index listed in `notUtf8`), or the manager's warning when the datagram is refused as a whole.
 */
export type NotifyDatagram = { tags: string[]; notUtf8: number[] } | { warning: string };

const NEWLINE = new Set([0x0a, 0x0d]);

/** Reads one datagram: refused when too long or holding a NUL byte; else split on newlines (empty lines dropped). */
export function readNotifyDatagram(data: Uint8Array, truncated = false): NotifyDatagram {
  if (truncated || data.length >= NOTIFY_BUFFER_MAX) return { warning: 'Received notify message exceeded maximum size. Ignoring.' };
  if (data.includes(0)) return { warning: 'Received notify message with embedded NUL bytes. Ignoring.' };
  const tags: string[] = [];
  const notUtf8: number[] = [];
  const strict = new TextDecoder('utf-8', { fatal: true });
  const lenient = new TextDecoder('utf-8');
  let start = 0;
  for (let i = 0; i <= data.length; i++) {
    if (i < data.length && !NEWLINE.has(data[i])) continue;
    if (i > start) {
      const bytes = data.subarray(start, i);
      try {
        tags.push(strict.decode(bytes));
      } catch {
        notUtf8.push(tags.length);
        tags.push(lenient.decode(bytes));
      }
    }
    start = i + 1;
  }
  return { tags, notUtf8 };
}

/** Splits a message given as text (the in-memory kernel's sd_notify()) into its tags. */
export function notifyTagsOf(message: string): string[] {
  return message.split(/[\n\r]+/).filter((tag) => tag !== '');
}

/** True when the message is only a sd_notify_barrier() (its fd is closed at once and nothing else happens). */
export function isBarrier(tags: readonly string[]): boolean {
  return tags.length === 1 && tags[0] === 'BARRIER=1';
}

/** Who may send for a service: undefined when `pid` may, else the warning PID 1 logs (and the message is dropped). */
export function notifyRefusal(access: NotifyAccess, pid: number, mainPid?: number, controlPid?: number): string | undefined {
  const got = `Got notification message from PID ${pid}`;
  if (access === 'none') return `${got}, but reception is disabled.`;
  if (access === 'main' && pid !== mainPid) {
    return mainPid ? `${got}, but reception only permitted for main PID ${mainPid}` : `${got}, but reception only permitted for main PID which is currently not known`;
  }
  if (access === 'exec' && pid !== mainPid && pid !== controlPid) {
    if (mainPid && controlPid) return `${got}, but reception only permitted for main PID ${mainPid} and control PID ${controlPid}`;
    if (mainPid) return `${got}, but reception only permitted for main PID ${mainPid}`;
    if (controlPid) return `${got}, but reception only permitted for control PID ${controlPid}`;
    return `${got}, but reception only permitted for main PID and control PID which are currently not known`;
  }
  return undefined;
}

/** What one message asks of its service, field by field as service_notify_message() reads them. */
export interface NotifyRequest {
  /** MAINPID=: the new main process. */
  mainPid?: number;
  reloading: boolean;
  ready: boolean;
  stopping: boolean;
  /** STATUS=: the new status text; null when STATUS= is empty (it clears the text). */
  status?: string | null;
  /** ERRNO=: StatusErrno=. */
  errno?: number;
  /** EXTEND_TIMEOUT_USEC=: the running start/stop timeout is extended to at least this much from now. */
  extendTimeoutUsec?: number;
  /** WATCHDOG=1 (a keep-alive ping) or WATCHDOG=trigger (fail as if the watchdog fired). */
  watchdog?: 'ping' | 'trigger';
  /** WATCHDOG_USEC=: a new watchdog timeout. */
  watchdogUsec?: number;
  /** FDSTORE=1: keep the fds sent with the message, under FDNAME= (default "stored"). */
  fdStore?: { name?: string; poll: boolean };
  /** FDSTOREREMOVE=1 with FDNAME=: drop the stored fds of that name. */
  fdStoreRemove?: string;
  /** Warnings for malformed fields (the rest of the message still applies). */
  warnings: string[];
}

/** The first tag's value after `prefix` (strv_find_startswith). */
function valueOf(tags: readonly string[], prefix: string): string | undefined {
  const tag = tags.find((t) => t.startsWith(prefix));
  return tag === undefined ? undefined : tag.slice(prefix.length);
}

/** safe_atou64(): decimal digits only (leading whitespace and a '+' as strtoull takes them), within 2^64. */
function parseUnsigned(text: string): bigint | undefined {
  const match = /^\s*\+?(\d+)$/.exec(text);
  if (!match) return undefined;
  const value = BigInt(match[1]);
  return value < 2n ** 64n ? value : undefined;
}

/** parse_pid(): a positive integer that fits pid_t, not 0. */
function parsePid(text: string): number | undefined {
  const value = parseUnsigned(text);
  return value !== undefined && value > 0n && value <= 0x7fffffffn ? Number(value) : undefined;
}

/** parse_errno(): an errno name or 0…4095; a string error when it is neither. */
function parseErrno(text: string): number | 'Invalid argument' | 'Numerical result out of range' {
  if (Object.hasOwn(ERRNO, text)) return ERRNO[text].errno;
  const match = /^\s*([+-]?\d+)$/.exec(text);
  if (!match) return 'Invalid argument';
  const value = Number(match[1]);
  return value >= 0 && value <= 4095 ? value : 'Numerical result out of range';
}

/** fdname_is_valid(): printable ASCII without ':', at most 255 characters. */
function isValidFdName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && /^[\x20-\x7e]+$/.test(name) && !name.includes(':');
}

/**
 * Interprets the tags of one message (service_notify_message() of systemd 252), without the state checks;
 * `notUtf8` lists the tags that were not valid UTF-8 (readNotifyDatagram()).
 */
export function interpretNotifyTags(tags: readonly string[], notUtf8: readonly number[] = []): NotifyRequest {
  const request: NotifyRequest = {
    reloading: tags.includes('RELOADING=1'),
    ready: tags.includes('READY=1'),
    stopping: tags.includes('STOPPING=1'),
    warnings: [],
  };
  const mainPid = valueOf(tags, 'MAINPID=');
  if (mainPid !== undefined) {
    const pid = parsePid(mainPid);
    if (pid === undefined) request.warnings.push(`Failed to parse MAINPID= field in notification message, ignoring: ${mainPid}`);
    else request.mainPid = pid;
  }
  const statusIndex = tags.findIndex((t) => t.startsWith('STATUS='));
  if (statusIndex >= 0) {
    const status = tags[statusIndex].slice('STATUS='.length);
    if (status === '') request.status = null;
    else if (notUtf8.includes(statusIndex)) request.warnings.push('Status message in notification message is not UTF-8 clean, ignoring.');
    else request.status = status;
  }
  const errno = valueOf(tags, 'ERRNO=');
  if (errno !== undefined) {
    const value = parseErrno(errno);
    if (typeof value === 'number') request.errno = value;
    else request.warnings.push(`Failed to parse ERRNO= field value '${errno}' in notification message: ${value}`);
  }
  const extend = valueOf(tags, 'EXTEND_TIMEOUT_USEC=');
  if (extend !== undefined) {
    const value = parseUnsigned(extend);
    if (value === undefined) request.warnings.push(`Failed to parse EXTEND_TIMEOUT_USEC=${extend}`);
    else request.extendTimeoutUsec = Number(value);
  }
  const watchdog = valueOf(tags, 'WATCHDOG=');
  if (watchdog !== undefined) {
    if (watchdog === '1') request.watchdog = 'ping';
    else if (watchdog === 'trigger') request.watchdog = 'trigger';
    else request.warnings.push('Passed WATCHDOG= field is invalid, ignoring.');
  }
  const watchdogUsec = valueOf(tags, 'WATCHDOG_USEC=');
  if (watchdogUsec !== undefined) {
    const value = parseUnsigned(watchdogUsec);
    if (value === undefined) request.warnings.push(`Failed to parse WATCHDOG_USEC=${watchdogUsec}`);
    else request.watchdogUsec = Number(value);
  }
  const fdName = valueOf(tags, 'FDNAME=');
  if (tags.includes('FDSTOREREMOVE=1')) {
    if (fdName === undefined || !isValidFdName(fdName)) request.warnings.push('FDSTOREREMOVE=1 requested, but no valid file descriptor name passed, ignoring.');
    else request.fdStoreRemove = fdName;
  } else if (tags.includes('FDSTORE=1')) {
    let name = fdName;
    if (name !== undefined && !isValidFdName(name)) {
      request.warnings.push('Passed FDNAME= name is invalid, ignoring.');
      name = undefined;
    }
    request.fdStore = { name, poll: !tags.includes('FDPOLL=0') };
  }
  return request;
}

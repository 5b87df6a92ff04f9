/**
 * What the emulator tells the outside world: a plain-data snapshot of units, sockets and the journal,
 * and the events a live diagram subscribes to. Everything here is structured-clone safe (it crosses
 * Worker and WebContainer boundaries as JSON).
 */
import type { UnitType } from './unit-file/unit-types.ts';

/** systemd's active states. */
export type ActiveState = 'inactive' | 'activating' | 'active' | 'deactivating' | 'failed' | 'reloading';

/** One unit as `systemctl show` would describe it. */
export interface UnitSnapshot {
  name: string;
  type: UnitType;
  description: string;
  loadState: 'loaded' | 'not-found' | 'bad-setting' | 'error' | 'masked';
  activeState: ActiveState;
  /** Sub state: dead, listening, running, start-pre, exited, failed, waiting, … */
  subState: string;
  /** Result: success, exit-code, signal, trigger-limit-hit, start-limit-hit, service-start-limit-hit, … */
  result: string;
  /** enabled, disabled, static, masked, indirect, generated… */
  unitFileState: string;
  mainPid?: number;
  /** Units this one triggers (socket → service, path → service). */
  triggers: string[];
  triggeredBy: string[];
  /** Sockets only: listen addresses as status shows them, with connections waiting in each backlog. */
  listen?: Array<{ address: string; kind: string; pending: number }>;
  /** Sockets with Accept=yes: counters. */
  accepted?: number;
  connected?: number;
  refused?: number;
  /** Services: the fds handed at the last start (fd number → name), and the LISTEN_* it got. */
  fds?: Array<{ fd: number; name: string; socket: string }>;
  /** ms since epoch when it entered its current active state. */
  stateChangeTimestamp: number;
}

/** One journal entry. */
export interface JournalEntry {
  /** ms since epoch. */
  timestamp: number;
  /** The unit the message is about (UNIT= / _SYSTEMD_UNIT=). */
  unit?: string;
  /** `systemd` for PID 1's messages, else the program's name. */
  identifier: string;
  pid: number;
  message: string;
  /** syslog priority 0–7 (3 = err, 4 = warning, 6 = info). */
  priority: number;
  /** Boot number, 0 = current. */
  boot: number;
  /** PID 1's job messages (Starting…, Started…, Stopped…): JOB_ID=, JOB_TYPE= and, once done, JOB_RESULT=. */
  job?: JournalJobFields;
}

/** The job fields job_emit_begin_message()/job_emit_done_message() add to their journal entries. */
export interface JournalJobFields {
  id: number;
  type: 'start' | 'stop';
  result?: string;
}

/** A plain-data picture of the whole system. */
export interface SystemSnapshot {
  /** The clock's now() when taken. */
  time: number;
  units: UnitSnapshot[];
  journal: JournalEntry[];
}

/** Events for live views. */
export type SystemEvent =
  | { type: 'unit'; unit: UnitSnapshot }
  | { type: 'journal'; entry: JournalEntry }
  | { type: 'connection'; socket: string; action: 'queued' | 'accepted' | 'closed' | 'refused'; pending: number; peer?: string }
  | { type: 'reload' };

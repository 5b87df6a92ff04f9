/**
 * The state and result names of each unit type, as src/basic/unit-def.h and the per-type headers
 * (service.h, socket.h, path.h) define them in systemd 252, and the translation of each sub-state to
 * an active state (the `state_translation_table` of service.c, socket.c, path.c, target.c).
 * Only the names here can be a unit's sub-state or result: call sites never write free strings.
 */
import type { ActiveState } from '../system-events.ts';

/** ServiceState (unit-def.h), without `cleaning` (systemctl clean is not modelled). */
export type ServiceState =
  | 'dead' | 'condition' | 'start-pre' | 'start' | 'start-post' | 'running' | 'exited' | 'reload'
  | 'stop' | 'stop-watchdog' | 'stop-sigterm' | 'stop-sigkill' | 'stop-post'
  | 'final-watchdog' | 'final-sigterm' | 'final-sigkill' | 'failed' | 'auto-restart';

/** SocketState (unit-def.h), without `cleaning`. */
export type SocketState =
  | 'dead' | 'start-pre' | 'start-chown' | 'start-post' | 'listening' | 'running'
  | 'stop-pre' | 'stop-pre-sigterm' | 'stop-pre-sigkill' | 'stop-post' | 'final-sigterm' | 'final-sigkill' | 'failed';

/** PathState (unit-def.h). */
export type PathState = 'dead' | 'waiting' | 'running' | 'failed';

/** TargetState (unit-def.h). */
export type TargetState = 'dead' | 'active';

/** ServiceResult (service.h, service_result_to_string()). */
export type ServiceResult =
  | 'success' | 'resources' | 'protocol' | 'timeout' | 'exit-code' | 'signal' | 'core-dump'
  | 'watchdog' | 'start-limit-hit' | 'oom-kill' | 'exec-condition';

/** SocketResult (socket.h, socket_result_to_string()). */
export type SocketResult =
  | 'success' | 'resources' | 'timeout' | 'exit-code' | 'signal' | 'core-dump'
  | 'start-limit-hit' | 'trigger-limit-hit' | 'service-start-limit-hit';

/** PathResult (path.h, path_result_to_string()). */
export type PathResult = 'success' | 'resources' | 'start-limit-hit' | 'unit-start-limit-hit' | 'trigger-limit-hit';

/** Targets have no result of their own; `systemctl show` has none either. */
export type TargetResult = 'success';

/** A `state_translation_table`: every sub-state of a type mapped to its active state. */
export type StateTranslationTable<S extends string> = Readonly<Record<S, ActiveState>>;

/** service.c state_translation_table. */
export const SERVICE_STATE_TRANSLATION: StateTranslationTable<ServiceState> = {
  dead: 'inactive',
  condition: 'activating',
  'start-pre': 'activating',
  start: 'activating',
  'start-post': 'activating',
  running: 'active',
  exited: 'active',
  reload: 'reloading',
  stop: 'deactivating',
  'stop-watchdog': 'deactivating',
  'stop-sigterm': 'deactivating',
  'stop-sigkill': 'deactivating',
  'stop-post': 'deactivating',
  'final-watchdog': 'deactivating',
  'final-sigterm': 'deactivating',
  'final-sigkill': 'deactivating',
  failed: 'failed',
  // auto-restart maps to activating: a pending start job stays (unit_process_job()) through the restart.
  'auto-restart': 'activating',
};

/** socket.c state_translation_table. */
export const SOCKET_STATE_TRANSLATION: StateTranslationTable<SocketState> = {
  dead: 'inactive',
  'start-pre': 'activating',
  'start-chown': 'activating',
  'start-post': 'activating',
  listening: 'active',
  running: 'active',
  'stop-pre': 'deactivating',
  'stop-pre-sigterm': 'deactivating',
  'stop-pre-sigkill': 'deactivating',
  'stop-post': 'deactivating',
  'final-sigterm': 'deactivating',
  'final-sigkill': 'deactivating',
  failed: 'failed',
};

/** path.c state_translation_table. */
export const PATH_STATE_TRANSLATION: StateTranslationTable<PathState> = {
  dead: 'inactive',
  waiting: 'active',
  running: 'active',
  failed: 'failed',
};

/** target.c state_translation_table. */
export const TARGET_STATE_TRANSLATION: StateTranslationTable<TargetState> = {
  dead: 'inactive',
  active: 'active',
};

/** SliceState (unit-def.h). */
export type SliceState = 'dead' | 'active';

/** slice.c state_translation_table. */
export const SLICE_STATE_TRANSLATION: StateTranslationTable<SliceState> = {
  dead: 'inactive',
  active: 'active',
};

/** True for the active states UNIT_IS_INACTIVE_OR_FAILED() accepts. */
export function isInactiveOrFailed(state: ActiveState): boolean {
  return state === 'inactive' || state === 'failed';
}

/** True for the active states UNIT_IS_ACTIVE_OR_RELOADING() accepts. */
export function isActiveOrReloading(state: ActiveState): boolean {
  return state === 'active' || state === 'reloading';
}

/**
 * The job status messages PID 1 logs ("Starting X...", "Listening on X.", "Closed X."), as src/core/job.c
 * chooses them: a unit type's own `status_message_formats` first (its vtable), then the generic ones; and
 * how X names the unit with Debian 12's StatusUnitFormat=combined (unit_status_string()).
 */
import type { JobResult, JobType } from './unit.ts';

/** A format with one `%s` for the unit, as in systemd's tables. */
export type StatusFormat = string;

/** UnitStatusMessageFormats (unit.h): what a unit type says about its jobs. */
export interface UnitStatusMessageFormats {
  /** [start, stop]: "Starting %s..." / "Stopping %s..." when the type has its own words. */
  startingStopping?: readonly [StatusFormat | undefined, StatusFormat | undefined];
  finishedStartJob?: Partial<Record<JobResult, StatusFormat>>;
  finishedStopJob?: Partial<Record<JobResult, StatusFormat>>;
}

/** The job kinds a status message is about (a restart job logs as its stop half, then its start half). */
export type StatusJobType = Exclude<JobType, 'restart'>;

/** job.c generic_finished_start_job. */
const GENERIC_FINISHED_START_JOB: Partial<Record<JobResult, StatusFormat>> = {
  done: 'Started %s.',
  timeout: 'Timed out starting %s.',
  failed: 'Failed to start %s.',
  dependency: 'Dependency failed for %s.',
  skipped: 'Condition check resulted in %s being skipped.',
};

/** job.c generic_finished_stop_job. */
const GENERIC_FINISHED_STOP_JOB: Partial<Record<JobResult, StatusFormat>> = {
  done: 'Stopped %s.',
  failed: 'Stopped %s with error.',
  timeout: 'Timed out stopping %s.',
};

/**
 * unit_status_string() with StatusUnitFormat=combined (Debian 12's default since 252.5-1):
 * `foo.socket - Foo socket`, or the name alone when there is no Description= (or it equals the name).
 */
export function unitStatusString(name: string, description: string | undefined): string {
  if (!description || description === name) return name;
  return `${name} - ${description}`;
}

/** Puts the unit's status string into a format's `%s`. */
export function formatStatus(format: StatusFormat, ident: string): string {
  return format.replace('%s', ident);
}

/** job_get_begin_status_message_format(): the type's own words or "Starting %s..." / "Stopping %s...". */
export function beginStatusFormat(formats: UnitStatusMessageFormats, type: StatusJobType): StatusFormat {
  const own = formats.startingStopping?.[type === 'stop' ? 1 : 0];
  if (own) return own;
  return type === 'stop' ? 'Stopping %s...' : 'Starting %s...';
}

/**
 * job_get_done_status_message_format(): the type's `finished_job` choice, then its table, then the
 * generic table; undefined when the result has no message (canceled).
 */
export function doneStatusFormat(formats: UnitStatusMessageFormats, type: StatusJobType, result: JobResult, finishedJob?: StatusFormat): StatusFormat | undefined {
  if (finishedJob) return finishedJob;
  const own = type === 'stop' ? formats.finishedStopJob : formats.finishedStartJob;
  return own?.[result] ?? (type === 'stop' ? GENERIC_FINISHED_STOP_JOB : GENERIC_FINISHED_START_JOB)[result];
}

/**
 * The message catalog `journalctl -x` shows under PID 1's unit messages (catalog/systemd.catalog.in, systemd 252
 * as Debian ships it): each entry's text with the unit's name, result and exit status filled in. The emulator's
 * journal keeps messages, not MESSAGE_ID= fields, so the entry is recognised by the message PID 1 logs with it.
 * The job messages end with the job's paragraph from the entry's JOB_ID= (and JOB_RESULT=, except for a start
 * that finished successfully: its catalog text names the id only).
 */
import type { JournalEntry } from '../system-events.ts';

const HEADER = ['Defined-By: systemd', 'Support: https://www.debian.org/support'];

/** One catalog entry: its subject and body paragraphs (lines), for the unit `u`. */
function entry(subject: string, ...body: string[]): string[] {
  return [`Subject: ${subject}`, ...HEADER, '', ...body];
}

/** The catalog text for a journal entry (without the `░░ ` prefix), or undefined when it has none. */
function catalogText(e: JournalEntry): string[] | undefined {
  const u = e.unit;
  if (u === undefined || e.identifier !== 'systemd' || e.pid !== 1) return undefined;
  const m = e.message;
  if (m.startsWith(`${u}: `)) {
    const rest = m.slice(u.length + 2);
    if (rest === 'Deactivated successfully.') return entry('Unit succeeded', `The unit ${u} has successfully entered the 'dead' state.`);
    const failed = /^Failed with result '([^']+)'\.$/.exec(rest);
    if (failed) return entry('Unit failed', `The unit ${u} has entered the 'failed' state with result '${failed[1]}'.`);
    const exited = /^Main process exited, code=(\w+), status=(\d+)/.exec(rest);
    if (exited) {
      return entry('Unit process exited', `An ExecStart= process belonging to unit ${u} has exited.`, '', `The process' exit code is '${exited[1]}' and its exit status is ${exited[2]}.`);
    }
    if (/^Scheduled restart job, restart counter is at \d+\.$/.test(rest)) {
      return entry('Automatic restarting of a unit has been scheduled', `Automatic restarting of the unit ${u} has been scheduled, as the result for`, 'the configured Restart= setting for the unit.');
    }
    return undefined;
  }
  // The job messages name the unit after their verb: "Started x.service - x service.", "Listening on x.socket - …".
  const about = (verbs: string[], end: string): boolean => verbs.some((verb) => m.startsWith(`${verb} ${u}`) && m.endsWith(end));
  // "The job identifier is @JOB_ID@." (begun, finished successfully) or "… and the job result is @JOB_RESULT@.".
  const job = (withResult: boolean): string[] => {
    if (!e.job) return [];
    return ['', withResult && e.job.result ? `The job identifier is ${e.job.id} and the job result is ${e.job.result}.` : `The job identifier is ${e.job.id}.`];
  };
  if (about(['Starting'], '...')) return entry(`A start job for unit ${u} has begun execution`, `A start job for unit ${u} has begun execution.`, ...job(false));
  if (about(['Stopping'], '...')) return entry(`A stop job for unit ${u} has begun execution`, `A stop job for unit ${u} has begun execution.`, ...job(false));
  if (about(['Failed to start', 'Failed to listen on'], '.')) return entry(`A start job for unit ${u} has failed`, `A start job for unit ${u} has finished with a failure.`, ...job(true));
  if (about(['Started', 'Listening on', 'Finished', 'Reached target'], '.')) {
    return entry(`A start job for unit ${u} has finished successfully`, `A start job for unit ${u} has finished successfully.`, ...job(false));
  }
  if (about(['Stopped', 'Closed', 'Stopped target'], '.')) return entry(`A stop job for unit ${u} has finished`, `A stop job for unit ${u} has finished.`, ...job(true));
  return undefined;
}

/** The `░░ `-prefixed lines journalctl -x prints after an entry (none for most entries). */
export function catalogLines(e: JournalEntry): string[] {
  return (catalogText(e) ?? []).map((line) => `░░ ${line}`);
}

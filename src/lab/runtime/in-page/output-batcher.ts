/**
 * What keeps the page responsive when a program floods: the Worker does not post one message per write or
 * per journal entry, but queues them and posts one `batch` per task (after the current task, on a timer), with
 * consecutive output of one command merged into one text. Each batch is bounded: past MAX_OUTPUT_PER_BATCH
 * characters of a command's output, or MAX_EVENTS_PER_BATCH events, the oldest part of the batch is dropped and
 * the terminal is told so in one line — a terminal that cannot keep up shows the newest output, and Ctrl+C is
 * never queued behind megabytes of text.
 */
import type { FromWorker } from './runtime-protocol.ts';

/** Output characters of one command per batch. */
export const MAX_OUTPUT_PER_BATCH = 256 * 1024;
/** Live events (journal entries, unit changes) per batch. */
export const MAX_EVENTS_PER_BATCH = 1000;

/** Queues messages and posts them in one batch per task. */
export class OutputBatcher {
  private queue: FromWorker[] = [];
  private outputChars = new Map<number, number>();
  private dropped = new Map<number, number>();
  private events = 0;
  private scheduled = false;
  private readonly post: (message: FromWorker) => void;
  private readonly schedule: (flush: () => void) => void;

  constructor(post: (message: FromWorker) => void, schedule: (flush: () => void) => void = (flush) => setTimeout(flush, 0)) {
    this.post = post;
    this.schedule = schedule;
  }

  /** Queues a message; results, errors and exits flush what is queued first, in order. */
  send(message: FromWorker): void {
    if (message.kind === 'output') this.addOutput(message);
    else if (message.kind === 'event') this.addEvent(message);
    else this.queue.push(message);
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.flush());
    }
  }

  /** Posts everything queued now. */
  flush(): void {
    this.scheduled = false;
    const messages = this.queue.splice(0);
    for (const [id, chars] of this.dropped) {
      const first = messages.findIndex((m) => m.kind === 'output' && m.id === id);
      if (first >= 0) messages.splice(first, 0, { kind: 'output', id, stream: 'stderr', text: `[… ${chars} characters of output not shown: the terminal could not keep up …]\n` });
    }
    this.dropped.clear();
    this.outputChars.clear();
    this.events = 0;
    if (messages.length === 1) this.post(messages[0]);
    else if (messages.length > 1) this.post({ kind: 'batch', messages });
  }

  private addOutput(message: Extract<FromWorker, { kind: 'output' }>): void {
    const total = (this.outputChars.get(message.id) ?? 0) + message.text.length;
    this.outputChars.set(message.id, total);
    const last = this.queue[this.queue.length - 1];
    if (last?.kind === 'output' && last.id === message.id && last.stream === message.stream) last.text += message.text;
    else this.queue.push({ ...message });
    if (total > MAX_OUTPUT_PER_BATCH) this.trimOutput(message.id, total - MAX_OUTPUT_PER_BATCH);
  }

  /** Drops `excess` characters from the oldest queued output of command `id`. */
  private trimOutput(id: number, excess: number): void {
    let left = excess;
    for (let i = 0; i < this.queue.length && left > 0; i++) {
      const queued = this.queue[i];
      if (queued.kind !== 'output' || queued.id !== id) continue;
      const cut = Math.min(left, queued.text.length);
      queued.text = queued.text.slice(cut);
      left -= cut;
      if (queued.text === '') this.queue.splice(i--, 1);
    }
    this.outputChars.set(id, MAX_OUTPUT_PER_BATCH);
    this.dropped.set(id, (this.dropped.get(id) ?? 0) + excess - left);
  }

  private addEvent(message: Extract<FromWorker, { kind: 'event' }>): void {
    this.queue.push(message);
    if (++this.events <= MAX_EVENTS_PER_BATCH) return;
    const oldest = this.queue.findIndex((m) => m.kind === 'event');
    this.queue.splice(oldest, 1);
    this.events--;
  }
}

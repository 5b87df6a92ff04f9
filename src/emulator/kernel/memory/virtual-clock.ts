/**
 * Clocks for the in-memory kernel.
 *
 * The virtual clock never moves by itself: `advance(ms)` and `runUntilIdle()` run the due timers in
 * order of due time, then of creation (two timers due at the same instant run in the order they were set),
 * and let the promise jobs (microtasks) each timer callback queued settle before the next one runs.
 * That makes a 1,000-unit boot instant and every run identical.
 *
 * Asynchrony contract of the in-memory kernel (what the manager and tests can rely on):
 *  - data, end and close on connections, onPending of listening sockets, fs watch callbacks and the start of
 *    a spawned program are delivered in MICROTASKS (after the current synchronous code, before any timer);
 *  - everything that waits (setTimeout in a program, RestartSec, a TCP SYN retransmit, the "event loop is
 *    empty" exit of a sandboxed program) goes through the CLOCK, so in virtual mode it happens only when the
 *    clock is advanced.
 */
import type { Clock } from '../kernel.ts';

interface Timer {
  handle: number;
  due: number;
  seq: number;
  callback: () => void;
}

/** Lets queued promise jobs run: a few macrotask-free hops through the microtask queue. */
export async function settleMicrotasks(rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** A clock whose time moves only when asked; deterministic ordering of timers. */
export class VirtualClock implements Clock {
  private time: number;
  private timers = new Map<number, Timer>();
  private nextHandle = 1;
  private seq = 0;

  constructor(startMs: number) {
    this.time = startMs;
  }

  /** Current virtual time (ms since the epoch). */
  now(): number {
    return this.time;
  }

  /** Schedules `callback` at now + ms (negative or NaN counts as 0). */
  setTimer(ms: number, callback: () => void): number {
    const handle = this.nextHandle++;
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    this.timers.set(handle, { handle, due: this.time + delay, seq: this.seq++, callback });
    return handle;
  }

  /** Cancels a timer; unknown handles are ignored. */
  cancelTimer(handle: number): void {
    this.timers.delete(handle);
  }

  /** Number of timers still waiting. */
  pendingTimers(): number {
    return this.timers.size;
  }

  /** Runs every timer due within the next `ms` milliseconds, then sets the time to now + ms. */
  async advance(ms: number): Promise<void> {
    const end = this.time + Math.max(0, ms);
    await settleMicrotasks();
    for (;;) {
      const next = this.earliest();
      if (!next || next.due > end) break;
      this.fire(next);
      await settleMicrotasks();
    }
    this.time = end;
  }

  /**
   * Runs timers (jumping the time forward to each) until none is left, or until `maxMs` of virtual time
   * have passed (a program with setInterval never becomes idle). Returns the virtual ms that passed.
   */
  async runUntilIdle(maxMs = 24 * 3600 * 1000): Promise<number> {
    const start = this.time;
    await settleMicrotasks();
    for (;;) {
      const next = this.earliest();
      if (!next || next.due - start > maxMs) break;
      this.fire(next);
      await settleMicrotasks();
    }
    return this.time - start;
  }

  private fire(timer: Timer): void {
    this.timers.delete(timer.handle);
    if (timer.due > this.time) this.time = timer.due;
    timer.callback();
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers.values()) {
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

/** The host's clock: Date.now and setTimeout. */
export class RealClock implements Clock {
  private timers = new Map<number, ReturnType<typeof setTimeout>>();
  private nextHandle = 1;

  /** Host wall-clock time. */
  now(): number {
    return Date.now();
  }

  /** Host setTimeout. */
  setTimer(ms: number, callback: () => void): number {
    const handle = this.nextHandle++;
    this.timers.set(
      handle,
      setTimeout(() => {
        this.timers.delete(handle);
        callback();
      }, Math.max(0, ms)),
    );
    return handle;
  }

  /** Host clearTimeout; unknown handles are ignored. */
  cancelTimer(handle: number): void {
    const t = this.timers.get(handle);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(handle);
  }
}

/**
 * systemd's RateLimit (src/basic/ratelimit.c): at most `burst` events per `interval`,
 * the window starting at the first event after the previous window ran out.
 */

/** A rate limit over a clock; interval or burst 0 means "no limit". */
export interface RateLimit {
  /** Counts one event at `now`; false when the limit is hit (the event must be refused). */
  below(now: number): boolean;
  /** Forgets every counted event (systemctl reset-failed, daemon-reload of changed limits). */
  reset(): void;
}

/** Creates a rate limit allowing `burst` events per `intervalMs`. */
export function createRateLimit(intervalMs: number, burst: number): RateLimit {
  let begin = -1;
  let count = 0;
  return {
    below(now: number): boolean {
      if (intervalMs <= 0 || burst <= 0) return true;
      if (begin < 0 || now - begin > intervalMs) {
        begin = now;
        count = 1;
        return true;
      }
      if (count < burst) {
        count++;
        return true;
      }
      return false;
    },
    reset(): void {
      begin = -1;
      count = 0;
    },
  };
}

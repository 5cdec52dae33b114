/**
 * Failure throttling for password checks and sign-ups: per key (an account,
 * a client address), failures within a window are counted; at the limit the
 * key is locked for a while, and every further failure while over the limit
 * doubles the lock (capped). Time is passed in, so tests drive a clock
 * instead of sleeping.
 *
 * State is in memory, per app instance: enough for one machine (the default
 * deployment). Several instances behind a load balancer each count on their
 * own, which multiplies the allowance by the instance count (docs/security.md).
 */

export interface ThrottlePolicy {
  /** Failures within `windowMs` that lock the key. */
  maxFailures: number;
  windowMs: number;
  /** The first lock; doubled for each failure past the limit. */
  lockMs: number;
  maxLockMs: number;
}

interface Entry {
  failures: number[];
  lockedUntil: number;
}

/** Entries kept at most; the oldest are forgotten first (bounds memory under a spray of addresses). */
const MAX_ENTRIES = 100_000;

export class FailureThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly policy: ThrottlePolicy) {}

  /** Milliseconds until `key` may try again; 0 when it may now. */
  retryAfterMs(key: string, now: number): number {
    const entry = this.entries.get(key);
    return entry ? Math.max(0, entry.lockedUntil - now) : 0;
  }

  /** Counts a failure (or, for sign-ups, an attempt) of `key` at `now`. */
  recordFailure(key: string, now: number): void {
    const entry = this.entries.get(key) ?? { failures: [], lockedUntil: 0 };
    entry.failures = entry.failures.filter((at) => now - at < this.policy.windowMs);
    entry.failures.push(now);
    const over = entry.failures.length - this.policy.maxFailures;
    if (over >= 0) {
      const lock = Math.min(this.policy.maxLockMs, this.policy.lockMs * 2 ** Math.min(over, 30));
      entry.lockedUntil = Math.max(entry.lockedUntil, now + lock);
    }
    // Re-insert so Map order is "least recently failed first".
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** Forgets `key`'s failures (a successful sign-in of that account). */
  reset(key: string): void {
    this.entries.delete(key);
  }
}

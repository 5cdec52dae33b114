/**
 * One token bucket with continuous refill on the exchange clock. Tokens are
 * kept as integer milli-tokens (a rate of R tokens/s adds exactly R
 * milli-tokens per millisecond), so refill and spending are exact.
 */
import type { BucketLimit } from "@/server/sim/rate-limit/tiers";

export class TokenBucket {
  /** Milli-tokens held. */
  private milli: number;
  private updatedMs: number;

  /** Starts full: a new client may burst at once. */
  constructor(
    private limit: BucketLimit,
    nowMs: number,
  ) {
    this.milli = limit.capacity * 1000;
    this.updatedMs = nowMs;
  }

  /**
   * Refills up to `nowMs` at the old rate, then applies `limit` (a tier
   * change): the balance is kept but never exceeds the new capacity.
   */
  private refill(nowMs: number, limit: BucketLimit): void {
    // A clock set back (tests) neither refills nor drains.
    const elapsed = Math.max(0, nowMs - this.updatedMs);
    this.milli = Math.min(this.limit.capacity * 1000, this.milli + elapsed * this.limit.refillRate);
    this.updatedMs = Math.max(this.updatedMs, nowMs);
    this.limit = limit;
    this.milli = Math.min(this.milli, limit.capacity * 1000);
  }

  /** Takes `cost` tokens if the bucket holds them all; otherwise takes nothing and returns false. */
  take(cost: number, nowMs: number, limit: BucketLimit): boolean {
    this.refill(nowMs, limit);
    const needed = cost * 1000;
    if (this.milli < needed) return false;
    this.milli -= needed;
    return true;
  }

  /** Whole tokens available at `nowMs` (tests, diagnostics). */
  available(nowMs: number, limit: BucketLimit): number {
    this.refill(nowMs, limit);
    return Math.floor(this.milli / 1000);
  }
}

/**
 * A client-side token bucket mirroring Kalshi's (getting_started/rate_limits.md):
 * it refills continuously at `refillRate` tokens per second up to `capacity`,
 * and a request may go once the bucket covers its cost.
 *
 * Waiting callers reserve their tokens up front (the balance may go negative),
 * so they are served in arrival order and a cheap request can never starve an
 * expensive one.
 */
import type { KalshiClock } from "./clock";

export interface BucketLimit {
  /** Tokens added per second. */
  refillRate: number;
  /** Most tokens the bucket holds. */
  capacity: number;
}

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private limit: BucketLimit,
    private readonly clock: KalshiClock,
  ) {
    this.tokens = limit.capacity;
    this.updatedAt = clock.now();
  }

  get capacity(): number {
    return this.limit.capacity;
  }

  /** Tokens available now (negative while callers are queued). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /**
   * Adopts new limits (once the account's tier is known). What was already
   * spent stays spent: a full bucket stays full at the new capacity.
   */
  setLimit(limit: BucketLimit): void {
    this.refill();
    const spent = this.limit.capacity - this.tokens;
    this.limit = limit;
    this.tokens = limit.capacity - spent;
  }

  /**
   * Reserves `cost` tokens and returns how long the caller must wait before
   * sending (0 = go now). Throws RangeError if the cost can never fit.
   */
  reserve(cost: number): number {
    if (cost > this.limit.capacity) {
      throw new RangeError(`cost ${cost} exceeds bucket capacity ${this.limit.capacity}`);
    }
    this.refill();
    this.tokens -= cost;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.limit.refillRate) * 1000);
  }

  /** Gives back a reservation that was never used (the caller gave up waiting). */
  refund(cost: number): void {
    this.refill();
    this.tokens = Math.min(this.tokens + cost, this.limit.capacity);
  }

  /**
   * The exchange said 429 although we thought we had budget (another process
   * uses the same key, or our limits are stale): assume the bucket is empty.
   */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  /** Waits until `cost` tokens are ours. Rejects (and refunds) if the signal aborts. */
  async take(cost: number, signal?: AbortSignal): Promise<number> {
    const waitMs = this.reserve(cost);
    if (waitMs > 0) {
      try {
        await this.clock.sleep(waitMs, signal);
      } catch (error) {
        this.refund(cost);
        throw error;
      }
    }
    return waitMs;
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(now - this.updatedAt, 0);
    this.updatedAt = now;
    this.tokens = Math.min(
      this.tokens + (elapsed / 1000) * this.limit.refillRate,
      this.limit.capacity,
    );
  }
}

/**
 * The exchange's token buckets: per user a Read and a Write bucket (plus a
 * Write bucket per exchange shard a single-order write targets), sized by the
 * user's tier at the moment of each request. Unsigned public requests are not
 * limited. Refill runs on the exchange clock, so a test
 * with a ManualClock controls it exactly.
 */
import type { UserRecord } from "@/server/sim/model";
import type { RequestCharge } from "@/server/sim/rate-limit/endpoint-costs";
import { effectiveTier, tierLimits, type BucketLimit } from "@/server/sim/rate-limit/tiers";
import { TokenBucket } from "@/server/sim/rate-limit/token-bucket";
import { statePart, type SimState } from "@/server/sim/state";

export class RateLimiter {
  /** False turns limiting off for this exchange (sim-only switch; Kalshi has none). */
  enabled = true;
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly state: SimState) {}

  private bucket(key: string, limit: BucketLimit): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(limit, this.state.now());
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private static userKey(
    user: UserRecord,
    charge: Pick<RequestCharge, "bucket" | "shard">,
  ): string {
    const shard = charge.bucket === "write" && charge.shard !== null ? `:${charge.shard}` : "";
    return `user:${user.userId}:${charge.bucket}${shard}`;
  }

  /** Spends a signed request's charge from the user's bucket; false (nothing spent) when it does not fit. */
  takeForUser(user: UserRecord, charge: RequestCharge): boolean {
    const limit = tierLimits(effectiveTier(user.tier))[charge.bucket];
    return this.bucket(RateLimiter.userKey(user, charge), limit).take(
      charge.cost,
      this.state.now(),
      limit,
    );
  }

  /**
   * Call when a user's tier changes: settles the user's buckets at the old
   * tier's rate up to now, so the new rate and capacity apply from this
   * moment rather than from the user's previous request.
   */
  tierChanged(user: UserRecord, previousTier: string): void {
    const previous = tierLimits(effectiveTier(previousTier));
    const current = tierLimits(effectiveTier(user.tier));
    const prefix = `user:${user.userId}:`;
    for (const [key, bucket] of this.buckets) {
      if (!key.startsWith(prefix)) continue;
      const kind = key.slice(prefix.length).startsWith("write") ? "write" : "read";
      bucket.available(this.state.now(), previous[kind]);
      bucket.available(this.state.now(), current[kind]);
    }
  }

  /** Whole tokens a user's bucket holds now (tests and diagnostics). */
  userTokens(user: UserRecord, bucket: "read" | "write", shard: number | null = null): number {
    const limit = tierLimits(effectiveTier(user.tier))[bucket];
    return this.bucket(RateLimiter.userKey(user, { bucket, shard }), limit).available(
      this.state.now(),
      limit,
    );
  }
}

// Token buckets are runtime, not exchange state: a restarted simulator starts them full.
const LIMITER = statePart("rate-limiter", (state) => new RateLimiter(state), { persist: false });

/** The exchange's rate limiter, created on first use. */
export function rateLimiter(state: SimState): RateLimiter {
  return state.part(LIMITER);
}

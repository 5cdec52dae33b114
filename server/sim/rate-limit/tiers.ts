/**
 * API usage tiers and their token budgets (getting_started/rate_limits.md,
 * "Tiers and budgets" and "Bucket capacity and bursting"). Budgets are tokens
 * per second; capacities follow the documented rule: Basic and Advanced Read
 * buckets and every Write bucket above Basic hold two seconds of budget;
 * Read buckets above Advanced and the Basic Write bucket hold one second.
 */

export const USAGE_TIERS = [
  "basic",
  "advanced",
  "expert",
  "premier",
  "paragon",
  "prime",
  "prestige",
] as const;
export type UsageTier = (typeof USAGE_TIERS)[number];

/** One bucket's budget, as GET /account/limits reports it (BucketLimit). */
export interface BucketLimit {
  /** Tokens added per second. */
  refillRate: number;
  /** Most tokens the bucket holds. */
  capacity: number;
}

export interface TierLimits {
  read: BucketLimit;
  write: BucketLimit;
}

/** [read budget, write budget] per second, from the docs' table. */
const BUDGETS: Record<UsageTier, readonly [number, number]> = {
  basic: [200, 100],
  advanced: [300, 300],
  expert: [600, 600],
  premier: [1000, 1000],
  paragon: [2000, 2000],
  prime: [4000, 4000],
  prestige: [10_000, 8000],
};

export function isUsageTier(value: string): value is UsageTier {
  return (USAGE_TIERS as readonly string[]).includes(value);
}

/** A user's tier as recorded; anything unrecognised counts as Basic (every account has at least that). */
export function effectiveTier(recorded: string): UsageTier {
  return isUsageTier(recorded) ? recorded : "basic";
}

/** Read and Write bucket budgets and capacities of a tier. */
export function tierLimits(tier: UsageTier): TierLimits {
  const [read, write] = BUDGETS[tier];
  const readSeconds = tier === "basic" || tier === "advanced" ? 2 : 1;
  const writeSeconds = tier === "basic" ? 1 : 2;
  return {
    read: { refillRate: read, capacity: read * readSeconds },
    write: { refillRate: write, capacity: write * writeSeconds },
  };
}

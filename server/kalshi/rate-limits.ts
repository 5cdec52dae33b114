/**
 * Per-credential rate budgets: Kalshi's separate Read and Write token buckets
 * (getting_started/rate_limits.md), sized from `GET /account/limits`, with
 * per-endpoint costs from `GET /account/endpoint_costs`. Both are fetched once
 * per credential and cached for the life of the process; if either fails we
 * fall back to the documented Basic-tier figures and try again later.
 */
import type { AccountLimits, EndpointCosts } from "@/lib/schemas/account";

import type { KalshiClock } from "./clock";
import { TokenBucket, type BucketLimit } from "./token-bucket";

export type BucketName = "read" | "write";

export interface RateBudget {
  read: BucketLimit;
  write: BucketLimit;
  defaultCost: number;
  /** `METHOD /normalised/path` → tokens. */
  costs: ReadonlyMap<string, number>;
}

/**
 * Basic tier per rate_limits.md: Read refills 200/s and (Basic and Advanced
 * Read) holds two seconds; Basic Write refills 100/s and holds one second.
 * Default cost 10; a cancel costs 2 (the batch-cancel example: 25 × 2).
 */
export const BASIC_TIER_BUDGET: RateBudget = {
  read: { refillRate: 200, capacity: 400 },
  write: { refillRate: 100, capacity: 100 },
  defaultCost: 10,
  costs: new Map([
    ["DELETE /portfolio/events/orders/*", 2],
    ["DELETE /portfolio/events/orders/batched", 2],
    ["DELETE /portfolio/orders/*", 2],
    ["DELETE /portfolio/orders/batched", 2],
  ]),
};

/** After a failed limits fetch, how long to run on the Basic defaults before asking again. */
const RETRY_LIMITS_AFTER_MS = 60_000;

/**
 * "/trade-api/v2/portfolio/orders/{order_id}" and "/portfolio/orders/:order_id"
 * both become "/portfolio/orders/*", so costs match whatever template style
 * the exchange lists.
 */
export function normaliseRoute(path: string): string {
  const withoutPrefix = path.replace(/^\/trade-api\/v2(?=\/|$)/, "").split("?")[0] ?? "";
  return withoutPrefix
    .split("/")
    .map((segment) => (/^\{.+\}$/.test(segment) || segment.startsWith(":") ? "*" : segment))
    .join("/")
    .replace(/\/+$/, "");
}

/**
 * How much of the exchange's bucket we leave unspent. Requests we space
 * perfectly can still arrive bunched (a busy event loop, the network): a
 * schedule that fits (rate, capacity) here fits (rate, capacity + rate × delay)
 * upstream, so a burst paced to the exact capacity meets a 429 as soon as the
 * first requests are held up. Keeping back 250 ms of refill (at least two
 * default-cost calls) absorbs that jitter.
 */
const JITTER_ALLOWANCE_S = 0.25;

function withHeadroom(refillRate: number, capacity: number, defaultCost: number): BucketLimit {
  const headroom = Math.max(2 * defaultCost, Math.ceil(refillRate * JITTER_ALLOWANCE_S));
  return { refillRate, capacity: Math.max(defaultCost, capacity - headroom) };
}

export function budgetFromAccount(limits: AccountLimits, costs: EndpointCosts): RateBudget {
  const cost = costs.default_cost;
  return {
    read: withHeadroom(limits.read.refill_rate, limits.read.bucket_capacity, cost),
    write: withHeadroom(limits.write.refill_rate, limits.write.bucket_capacity, cost),
    defaultCost: costs.default_cost,
    costs: new Map(
      costs.endpoint_costs.map((entry) => [
        `${entry.method.toUpperCase()} ${normaliseRoute(entry.path)}`,
        entry.cost,
      ]),
    ),
  };
}

/** Tokens one call to `method route` costs under `budget` (route as a template). */
export function costOf(budget: RateBudget, method: string, route: string): number {
  return budget.costs.get(`${method.toUpperCase()} ${normaliseRoute(route)}`) ?? budget.defaultCost;
}

/**
 * The two buckets of one credential, plus how to learn its real limits.
 * `load` is supplied by the client (it needs a signed fetch).
 */
export class RateLimiter {
  readonly read: TokenBucket;
  readonly write: TokenBucket;
  private budget: RateBudget;
  private loading: Promise<void> | undefined;
  private loadedAt: number | undefined;
  private failedAt: number | undefined;

  constructor(
    private readonly clock: KalshiClock,
    initial: RateBudget = BASIC_TIER_BUDGET,
  ) {
    this.budget = initial;
    this.read = new TokenBucket(initial.read, clock);
    this.write = new TokenBucket(initial.write, clock);
  }

  get current(): RateBudget {
    return this.budget;
  }

  bucket(name: BucketName): TokenBucket {
    return name === "read" ? this.read : this.write;
  }

  /** Applies a budget learned from the exchange (or given by a test). */
  apply(budget: RateBudget): void {
    this.budget = budget;
    this.read.setLimit(budget.read);
    this.write.setLimit(budget.write);
    this.loadedAt = this.clock.now();
    this.failedAt = undefined;
  }

  /**
   * Makes sure the real limits were asked for once. Never throws: on failure
   * the Basic defaults stay in force and the fetch is retried a minute later.
   */
  async ensureLoaded(load: () => Promise<RateBudget>): Promise<void> {
    if (this.loadedAt !== undefined) return;
    if (this.failedAt !== undefined && this.clock.now() - this.failedAt < RETRY_LIMITS_AFTER_MS) {
      return;
    }
    this.loading ??= load()
      .then((budget) => this.apply(budget))
      .catch(() => {
        this.failedAt = this.clock.now();
      })
      .finally(() => {
        this.loading = undefined;
      });
    await this.loading;
  }
}

const limiters = new Map<string, RateLimiter>();

/**
 * The one limiter of a credential in this process, shared by every client
 * built for it (route handlers create a client per request).
 */
export function limiterFor(key: string, clock: KalshiClock): RateLimiter {
  let limiter = limiters.get(key);
  if (limiter === undefined) {
    limiter = new RateLimiter(clock);
    limiters.set(key, limiter);
  }
  return limiter;
}

/** Forgets every cached limiter (tests only). */
export function resetRateLimitersForTests(): void {
  limiters.clear();
}

import { describe, expect, it } from "vitest";

import {
  BASIC_TIER_BUDGET,
  budgetFromAccount,
  costOf,
  normaliseRoute,
  RateLimiter,
} from "./rate-limits";
import { createFakeClock } from "./testing/fake-clock";
import { TokenBucket } from "./token-bucket";

describe("TokenBucket", () => {
  it("lets a full bucket burst, then paces callers at the refill rate in arrival order", async () => {
    const clock = createFakeClock();
    const bucket = new TokenBucket({ refillRate: 100, capacity: 200 }, clock);
    const waits: number[] = [];
    for (let i = 0; i < 25; i += 1) waits.push(bucket.reserve(10));
    // 200 tokens cover 20 requests at once; then one every 100 ms.
    expect(waits.slice(0, 20).every((w) => w === 0)).toBe(true);
    expect(waits.slice(20)).toEqual([100, 200, 300, 400, 500]);
  });

  it("refills continuously up to capacity, never beyond", () => {
    const clock = createFakeClock();
    const bucket = new TokenBucket({ refillRate: 100, capacity: 100 }, clock);
    bucket.reserve(100);
    clock.advance(250);
    expect(bucket.available()).toBeCloseTo(25);
    clock.advance(10_000);
    expect(bucket.available()).toBe(100);
  });

  it("take() sleeps for the deficit and refunds if aborted while waiting", async () => {
    const clock = createFakeClock();
    const bucket = new TokenBucket({ refillRate: 10, capacity: 10 }, clock);
    await bucket.take(10);
    expect(clock.sleeps).toEqual([]);
    await bucket.take(10);
    expect(clock.sleeps).toEqual([1000]);
    const aborted = AbortSignal.abort(new Error("gone"));
    await expect(bucket.take(10, aborted)).rejects.toThrow("gone");
    expect(bucket.available()).toBe(0);
  });

  it("drain() empties the bucket after an unexpected 429", () => {
    const clock = createFakeClock();
    const bucket = new TokenBucket({ refillRate: 100, capacity: 200 }, clock);
    bucket.drain();
    expect(bucket.reserve(10)).toBe(100);
  });

  it("refuses a cost larger than the capacity", () => {
    const bucket = new TokenBucket({ refillRate: 100, capacity: 100 }, createFakeClock());
    expect(() => bucket.reserve(101)).toThrow(RangeError);
  });
});

describe("rate budgets", () => {
  it("matches endpoint costs whatever template style the exchange lists", () => {
    expect(normaliseRoute("/trade-api/v2/portfolio/events/orders/{order_id}")).toBe(
      "/portfolio/events/orders/*",
    );
    expect(normaliseRoute("/portfolio/events/orders/:order_id/amend")).toBe(
      "/portfolio/events/orders/*/amend",
    );
    const budget = budgetFromAccount(
      {
        usage_tier: "premier",
        read: { refill_rate: 1000, bucket_capacity: 1000 },
        write: { refill_rate: 1000, bucket_capacity: 2000 },
        grants: [],
      },
      {
        default_cost: 10,
        endpoint_costs: [
          { method: "delete", path: "/trade-api/v2/portfolio/events/orders/{order_id}", cost: 2 },
        ],
      },
    );
    // 250 ms of refill kept back for arrival jitter and the unbilled limits lookups.
    expect(budget.write).toEqual({ refillRate: 1000, capacity: 1750 });
    expect(budget.read).toEqual({ refillRate: 1000, capacity: 750 });
    expect(costOf(budget, "DELETE", "/portfolio/events/orders/{order_id}")).toBe(2);
    expect(costOf(budget, "POST", "/portfolio/events/orders")).toBe(10);
  });

  it("starts on the documented Basic tier: read 200/s holding 2 s, write 100/s holding 1 s", () => {
    expect(BASIC_TIER_BUDGET.read).toEqual({ refillRate: 200, capacity: 400 });
    expect(BASIC_TIER_BUDGET.write).toEqual({ refillRate: 100, capacity: 100 });
    expect(BASIC_TIER_BUDGET.defaultCost).toBe(10);
  });

  it("loads limits once, and falls back to Basic (retrying later) when the fetch fails", async () => {
    const clock = createFakeClock();
    const limiter = new RateLimiter(clock);
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw new Error("404");
    };
    await Promise.all([limiter.ensureLoaded(failing), limiter.ensureLoaded(failing)]);
    await limiter.ensureLoaded(failing);
    expect(calls).toBe(1);
    expect(limiter.current).toBe(BASIC_TIER_BUDGET);
    clock.advance(61_000);
    const premier = { ...BASIC_TIER_BUDGET, write: { refillRate: 1000, capacity: 2000 } };
    await limiter.ensureLoaded(async () => {
      calls += 1;
      return premier;
    });
    await limiter.ensureLoaded(failing);
    expect(calls).toBe(2);
    expect(limiter.write.capacity).toBe(2000);
  });
});

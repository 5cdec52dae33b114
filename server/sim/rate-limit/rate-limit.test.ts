/** Tier budgets, bucket arithmetic and endpoint costs, without HTTP. */
import { describe, expect, it } from "vitest";
import {
  chargeFor,
  DEFAULT_COST,
  nonDefaultEndpointCosts,
} from "@/server/sim/rate-limit/endpoint-costs";
import { effectiveTier, tierLimits, USAGE_TIERS } from "@/server/sim/rate-limit/tiers";
import { TokenBucket } from "@/server/sim/rate-limit/token-bucket";

const q = (s = "") => new URLSearchParams(s);

describe("tiers", () => {
  it("match the documented budgets and capacities for every tier", () => {
    const table = Object.fromEntries(
      USAGE_TIERS.map((tier) => {
        const l = tierLimits(tier);
        return [tier, [l.read.refillRate, l.read.capacity, l.write.refillRate, l.write.capacity]];
      }),
    );
    expect(table).toEqual({
      basic: [200, 400, 100, 100],
      advanced: [300, 600, 300, 600],
      expert: [600, 600, 600, 1200],
      premier: [1000, 1000, 1000, 2000],
      paragon: [2000, 2000, 2000, 4000],
      prime: [4000, 4000, 4000, 8000],
      prestige: [10_000, 10_000, 8000, 16_000],
    });
  });

  it("treats an unknown recorded tier as basic", () => {
    expect(effectiveTier("premier")).toBe("premier");
    expect(effectiveTier("gold")).toBe("basic");
  });
});

describe("token bucket", () => {
  const limit = { refillRate: 1000, capacity: 2000 };

  it("bursts the capacity, then refills continuously at the rate (the docs' Premier example)", () => {
    const bucket = new TokenBucket(limit, 0);
    for (let i = 0; i < 200; i += 1) expect(bucket.take(10, 0, limit)).toBe(true);
    expect(bucket.take(10, 0, limit)).toBe(false);
    // 10 ms later exactly one more 10-token order fits; 9 ms is not enough.
    expect(bucket.take(10, 9, limit)).toBe(false);
    expect(bucket.take(10, 10, limit)).toBe(true);
    expect(bucket.available(1010, limit)).toBe(1000);
    expect(bucket.available(60_000, limit)).toBe(2000);
  });

  it("rejects a charge larger than the balance without spending any of it", () => {
    const bucket = new TokenBucket({ refillRate: 100, capacity: 100 }, 0);
    expect(bucket.take(110, 0, { refillRate: 100, capacity: 100 })).toBe(false);
    expect(bucket.available(0, { refillRate: 100, capacity: 100 })).toBe(100);
  });

  it("keeps the balance across a tier change, clamped to the new capacity", () => {
    const basic = { refillRate: 100, capacity: 100 };
    const premier = { refillRate: 1000, capacity: 2000 };
    const bucket = new TokenBucket(basic, 0);
    expect(bucket.take(100, 0, basic)).toBe(true);
    expect(bucket.available(500, premier)).toBe(50); // refilled at the old rate up to the change
    expect(bucket.available(1500, premier)).toBe(1050);
    expect(bucket.available(1500, basic)).toBe(100);
  });
});

describe("endpoint costs", () => {
  it("bills the documented costs and buckets", () => {
    const charge = (method: string, path: string, body?: unknown, query = "") =>
      chargeFor(method, path, body, q(query));
    expect(charge("GET", "/markets")).toEqual({ bucket: "read", shard: null, cost: 10 });
    expect(charge("GET", "/portfolio/orders/abc")).toEqual({
      bucket: "read",
      shard: null,
      cost: 2,
    });
    expect(charge("POST", "/portfolio/events/orders", {})).toEqual({
      bucket: "write",
      shard: null,
      cost: 10,
    });
    expect(charge("DELETE", "/portfolio/events/orders/abc")).toEqual({
      bucket: "write",
      shard: null,
      cost: 2,
    });
    expect(charge("POST", "/portfolio/orders", {})).toEqual({
      bucket: "write",
      shard: null,
      cost: 100,
    });
    expect(charge("POST", "/portfolio/orders/abc/decrease", {}).cost).toBe(100);
    expect(charge("POST", "/portfolio/order_groups/create")).toMatchObject({
      bucket: "write",
      cost: 10,
    });
    expect(charge("GET", "/portfolio/order_groups")).toMatchObject({ bucket: "read", cost: 10 });
    expect(charge("POST", "/communications/quotes")).toMatchObject({ bucket: "write", cost: 2 });
    expect(charge("GET", "/communications/quotes/q1")).toMatchObject({ bucket: "read", cost: 2 });
    expect(charge("PUT", "/communications/quotes/q1/accept")).toMatchObject({
      bucket: "write",
      cost: 10,
    });
    expect(charge("POST", "/communications/rfqs")).toMatchObject({ bucket: "read", cost: 10 });
    expect(charge("POST", "/communications/block-trade-proposals/b1/accept")).toMatchObject({
      bucket: "write",
    });
    expect(charge("POST", "/account/api_usage_level/upgrade")).toMatchObject({
      bucket: "write",
      cost: 30,
    });
    expect(charge("POST", "/api_keys/generate", {})).toMatchObject({ bucket: "read", cost: 10 });
  });

  it("bills batches per item; an unreadable batch counts as one item", () => {
    const orders = (n: number) => ({ orders: Array.from({ length: n }, () => ({})) });
    expect(chargeFor("POST", "/portfolio/events/orders/batched", orders(7), q()).cost).toBe(70);
    expect(chargeFor("DELETE", "/portfolio/events/orders/batched", orders(25), q()).cost).toBe(50);
    expect(chargeFor("POST", "/portfolio/orders/batched", orders(3), q()).cost).toBe(30);
    expect(
      chargeFor("DELETE", "/portfolio/orders/batched", { ids: ["a", "b"], ...orders(1) }, q()).cost,
    ).toBe(6);
    expect(chargeFor("POST", "/portfolio/events/orders/batched", undefined, q()).cost).toBe(10);
    // Batches always bill the unscoped Write bucket.
    expect(
      chargeFor(
        "POST",
        "/portfolio/events/orders/batched",
        { ...orders(2), exchange_index: 2 },
        q(),
      ).shard,
    ).toBe(null);
  });

  it("sends single-order writes with exchange_index ≥ 1 to that shard's bucket", () => {
    expect(chargeFor("POST", "/portfolio/events/orders", { exchange_index: 1 }, q()).shard).toBe(1);
    expect(chargeFor("POST", "/portfolio/events/orders", { exchange_index: 0 }, q()).shard).toBe(
      null,
    );
    expect(chargeFor("POST", "/portfolio/events/orders", { exchange_index: -1 }, q()).shard).toBe(
      null,
    );
    expect(
      chargeFor("DELETE", "/portfolio/events/orders/x", undefined, q("exchange_index=3")).shard,
    ).toBe(3);
  });

  it("lists exactly the non-default costs with full API paths", () => {
    const list = nonDefaultEndpointCosts("/trade-api/v2");
    expect(list.every((e) => e.cost !== DEFAULT_COST)).toBe(true);
    expect(list).toContainEqual({
      method: "GET",
      path: "/trade-api/v2/portfolio/orders/{order_id}",
      cost: 2,
    });
    expect(list).toContainEqual({
      method: "DELETE",
      path: "/trade-api/v2/portfolio/events/orders/batched",
      cost: 2,
    });
    expect(list).toContainEqual({
      method: "POST",
      path: "/trade-api/v2/portfolio/orders",
      cost: 100,
    });
    expect(list).toContainEqual({
      method: "POST",
      path: "/trade-api/v2/account/api_usage_level/upgrade",
      cost: 30,
    });
    expect(
      list.find((e) => e.path.endsWith("/portfolio/events/orders/batched") && e.method === "POST"),
    ).toBeUndefined();
    expect(list).toHaveLength(15);
  });
});

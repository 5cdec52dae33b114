/**
 * Rate limits over real HTTP on a manual clock: exact 429s, separate Read and
 * Write buckets, refill, batch billing, tiers, GET /account/limits, and
 * unsigned public requests and sim-only routes never limited.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "@/server/sim/clock";
import type { UserRecord } from "@/server/sim/model";
import { rateLimiter } from "@/server/sim/rate-limit/rate-limiter";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { addMarket } from "@/server/sim/testing/engine-fixtures";
import { createSignedFetch, type SignedFetch } from "@/server/sim/testing/signed-fetch";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const clock = new ManualClock(Date.now());
let sim: RunningSim;
let origin: string;
const TICKER = "KXRATE-26JAN01-T50";

interface Trader {
  user: UserRecord;
  fetch: SignedFetch;
}

/** A fresh account (fresh, full buckets) through the sim-only bootstrap. */
async function trader(tier?: string): Promise<Trader> {
  const response = await fetch(`${origin}/sim/v1/accounts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(tier ? { tier } : {}),
  });
  expect(response.status).toBe(201);
  const created = (await response.json()) as Json;
  return {
    user: sim.exchange.state.users.get(created.user_id)!,
    fetch: createSignedFetch({
      restBaseUrl: sim.restBaseUrl,
      apiKeyId: created.api_key_id,
      privateKeyPem: created.private_key,
      now: () => clock.now(),
    }),
  };
}

let sequence = 0;
const order = (overrides: Json = {}) => ({
  ticker: TICKER,
  side: "bid",
  count: "1",
  price: "0.10",
  time_in_force: "good_till_canceled",
  self_trade_prevention_type: "taker_at_cross",
  client_order_id: `rl-${(sequence += 1)}`,
  ...overrides,
});

const place = (t: Trader, body: Json = order()) =>
  t.fetch("/portfolio/events/orders", { method: "POST", body: JSON.stringify(body) });
const batch = (t: Trader, n: number) =>
  t.fetch("/portfolio/events/orders/batched", {
    method: "POST",
    body: JSON.stringify({ orders: Array.from({ length: n }, () => order()) }),
  });

async function expectThrottled(response: Response): Promise<void> {
  expect(response.status).toBe(429);
  expect(await response.text()).toBe('{"error":"too many requests"}');
  expect(response.headers.get("retry-after")).toBeNull();
  expect([...response.headers.keys()].filter((h) => h.startsWith("x-ratelimit"))).toEqual([]);
}

const ordersOf = (t: Trader) =>
  [...sim.exchange.state.orders.values()].filter((o) => o.userId === t.user.userId).length;

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false, clock, tickMs: 3_600_000 });
  origin = new URL(sim.restBaseUrl).origin;
  addMarket(sim.exchange.state, {
    ticker: TICKER,
    eventTicker: "KXRATE-26JAN01",
    seriesTicker: "KXRATE",
  });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  // Let every bucket touched by an earlier test fill up again.
  clock.advance(60_000);
});

describe("write bucket (Basic: 100 tokens/s, holds 100)", () => {
  it("a burst of writes gets an exact 429 that changes nothing, while reads still pass", async () => {
    const t = await trader();
    for (let i = 0; i < 10; i += 1) expect((await place(t)).status).toBe(201);
    const before = ordersOf(t);
    await expectThrottled(await place(t));
    expect(ordersOf(t)).toBe(before);
    // The Read bucket is separate.
    expect((await t.fetch("/portfolio/balance")).status).toBe(200);
    expect((await t.fetch("/portfolio/orders")).status).toBe(200);
  });

  it("refills continuously on the exchange clock: 10 tokens take exactly 100 ms", async () => {
    const t = await trader();
    for (let i = 0; i < 10; i += 1) expect((await place(t)).status).toBe(201);
    await expectThrottled(await place(t));
    clock.advance(99);
    await expectThrottled(await place(t));
    clock.advance(1);
    expect((await place(t)).status).toBe(201);
    await expectThrottled(await place(t));
  });

  it("bills a batch of N creates N × 10 and rejects a batch that does not fit as a whole", async () => {
    const t = await trader("advanced"); // write bucket holds 600
    expect((await batch(t, 20)).status).toBe(201);
    expect(rateLimiter(sim.exchange.state).userTokens(t.user, "write")).toBe(400);
    expect((await batch(t, 7)).status).toBe(201);
    expect(rateLimiter(sim.exchange.state).userTokens(t.user, "write")).toBe(330);

    const basic = await trader();
    const before = ordersOf(basic);
    await expectThrottled(await batch(basic, 11)); // 110 > 100
    expect(ordersOf(basic)).toBe(before);
    expect((await batch(basic, 10)).status).toBe(201); // exactly 100
    await expectThrottled(await place(basic));
  });

  it("bills cancels 2 tokens each (batch cancel per item) and legacy creates 100", async () => {
    const t = await trader("advanced");
    const placed = (await (await batch(t, 5)).json()) as Json;
    const ids = placed.orders.map((o: Json) => o.order_id as string);
    const limiter = rateLimiter(sim.exchange.state);
    expect(limiter.userTokens(t.user, "write")).toBe(550);
    const canceled = await t.fetch("/portfolio/events/orders/batched", {
      method: "DELETE",
      body: JSON.stringify({ orders: ids.slice(0, 4).map((order_id: string) => ({ order_id })) }),
    });
    expect(canceled.status).toBe(200);
    expect(limiter.userTokens(t.user, "write")).toBe(542);
    expect((await t.fetch(`/portfolio/events/orders/${ids[4]}`, { method: "DELETE" })).status).toBe(
      200,
    );
    expect(limiter.userTokens(t.user, "write")).toBe(540);
    const legacy = await t.fetch("/portfolio/orders", {
      method: "POST",
      body: JSON.stringify({ ticker: TICKER, side: "yes", action: "buy", count: 1, yes_price: 10 }),
    });
    expect(legacy.status).toBe(201);
    expect(limiter.userTokens(t.user, "write")).toBe(440);
    expect((await t.fetch(`/portfolio/orders/${ids[0]}`)).status).toBe(200);
    expect(limiter.userTokens(t.user, "read")).toBe(598);
  });

  it("bills single writes aimed at shard 1 to that shard's own bucket", async () => {
    const t = await trader();
    for (let i = 0; i < 10; i += 1) expect((await place(t)).status).toBe(201);
    await expectThrottled(await place(t));
    const shard = await place(t, order({ exchange_index: 1 }));
    expect(shard.status).not.toBe(429);
    expect(rateLimiter(sim.exchange.state).userTokens(t.user, "write", 1)).toBe(90);
  });
});

describe("read bucket (Basic: 200 tokens/s, holds 400)", () => {
  it("allows 40 default-cost reads at once, then 429, while writes still pass", async () => {
    const t = await trader();
    for (let i = 0; i < 40; i += 1) expect((await t.fetch("/portfolio/balance")).status).toBe(200);
    await expectThrottled(await t.fetch("/portfolio/balance"));
    expect((await place(t)).status).toBe(201);
    clock.advance(50);
    expect((await t.fetch("/portfolio/balance")).status).toBe(200);
  });
});

describe("tiers", () => {
  it("GET /account/limits reflects the tier, and a tier change changes the limits at once", async () => {
    const t = await trader();
    const limits = async () => (await (await t.fetch("/account/limits")).json()) as Json;
    expect(await limits()).toEqual({
      usage_tier: "basic",
      read: { refill_rate: 200, bucket_capacity: 400 },
      write: { refill_rate: 100, bucket_capacity: 100 },
      grants: [],
    });
    for (let i = 0; i < 10; i += 1) expect((await place(t)).status).toBe(201);
    await expectThrottled(await place(t));

    const put = await fetch(`${origin}/sim/v1/accounts/${t.user.userId}/tier`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tier: "premier" }),
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ user_id: t.user.userId, tier: "premier" });
    expect(await limits()).toEqual({
      usage_tier: "premier",
      read: { refill_rate: 1000, bucket_capacity: 1000 },
      write: { refill_rate: 1000, bucket_capacity: 2000 },
      grants: [{ exchange_instance: "event_contract", level: "premier", source: "manual" }],
    });
    // Premier refills 1,000 tokens a second: 10 ms buys one more order (Basic needed 100 ms).
    clock.advance(10);
    expect((await place(t)).status).toBe(201);
    clock.advance(2000);
    expect((await batch(t, 20)).status).toBe(201);
    expect(rateLimiter(sim.exchange.state).userTokens(t.user, "write")).toBe(1800);
  });

  it("rejects an unknown tier or account on the sim-only control", async () => {
    const t = await trader();
    const bad = await fetch(`${origin}/sim/v1/accounts/${t.user.userId}/tier`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tier: "gold" }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).message).toContain("tier");
    expect(t.user.tier).toBe("basic");
    const missing = await fetch(`${origin}/sim/v1/accounts/nobody/tier`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tier: "prime" }),
    });
    expect(missing.status).toBe(404);
  });

  it("self-serve upgrade costs 30 write tokens and grants Advanced once an order exists", async () => {
    const t = await trader();
    const upgrade = () => t.fetch("/account/api_usage_level/upgrade", { method: "POST" });
    expect((await upgrade()).status).toBe(403);
    expect(rateLimiter(sim.exchange.state).userTokens(t.user, "write")).toBe(70);
    clock.advance(1000);
    expect((await place(t)).status).toBe(201);
    expect((await upgrade()).status).toBe(201);
    expect(t.user.tier).toBe("advanced");
  });
});

describe("unsigned and sim-only requests", () => {
  it("never limits unsigned public requests, but bills signed ones to their user", async () => {
    const t = await trader();
    // Far more than a Basic Read bucket holds (400 tokens = 40 requests), on a frozen clock.
    const pub = () => fetch(`${sim.restBaseUrl}/exchange/status`);
    for (let i = 0; i < 60; i += 1) expect((await pub()).status).toBe(200);
    // A signed request on a public path is billed to its user's Read bucket.
    const before = rateLimiter(sim.exchange.state).userTokens(t.user, "read");
    expect((await t.fetch("/exchange/status")).status).toBe(200);
    expect(rateLimiter(sim.exchange.state).userTokens(t.user, "read")).toBe(before - 10);
    // Sim-only routes are never limited.
    for (let i = 0; i < 50; i += 1) expect((await fetch(`${origin}/sim/v1/info`)).status).toBe(200);
  });

  it("GET /account/endpoint_costs is public and lists the non-default costs", async () => {
    const response = await fetch(`${sim.restBaseUrl}/account/endpoint_costs`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    expect(body.default_cost).toBe(10);
    expect(body.endpoint_costs).toContainEqual({
      method: "DELETE",
      path: "/trade-api/v2/portfolio/events/orders/{order_id}",
      cost: 2,
    });
  });
});

/**
 * The Kalshi client's transport against a scripted local server: 429 backoff
 * with full jitter, what is and is not retried, timeouts, schema validation,
 * client-side pacing, and limits learned from /account/limits.
 */
import { generateKeyPairSync, constants, verify } from "node:crypto";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createKalshiClient, type KalshiClientTuning } from "./client";
import { KalshiError } from "./errors";
import { BASIC_TIER_BUDGET, RateLimiter, type RateBudget } from "./rate-limits";
import { createFakeClock, type FakeClock } from "./testing/fake-clock";
import { json, startHttpStub, type HttpStub } from "./testing/http-stub";
import { backoffDelayMs, PACING_MARGIN_MS } from "./transport";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
let stub: HttpStub;
let clock: FakeClock;

const balanceBody = {
  balance: 1000,
  balance_dollars: "10.0000",
  portfolio_value: 0,
  updated_ts: 1,
};
const createdBody = {
  order_id: "o-1",
  client_order_id: "c",
  fill_count: "0.00",
  remaining_count: "1.00",
  ts_ms: 1,
};
const order = {
  ticker: "KXT-1",
  side: "bid" as const,
  count: "1",
  price: "0.50",
  time_in_force: "good_till_canceled" as const,
  self_trade_prevention_type: "taker_at_cross" as const,
};

function client(tuning: KalshiClientTuning = {}) {
  return createKalshiClient({
    apiKeyId: "key-1",
    privateKey,
    restBaseUrl: stub.restBaseUrl,
    clock,
    random: () => 0.5,
    limiter: new RateLimiter(clock),
    budget: BASIC_TIER_BUDGET,
    log: () => undefined,
    ...tuning,
  });
}

async function rejection(promise: Promise<unknown>): Promise<KalshiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KalshiError) return error;
    throw error;
  }
  throw new Error("expected a KalshiError");
}

beforeAll(async () => {
  stub = await startHttpStub();
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
  clock = createFakeClock(Date.now());
});

describe("signing", () => {
  it("sends KALSHI-ACCESS-* headers over timestamp + METHOD + path without the query", async () => {
    stub.handle((_req, res) => json(res, 200, { orders: [], cursor: "" }));
    await client().listOrders({ limit: 5, status: "resting" });
    const request = stub.requests[0];
    expect(request?.url).toBe("/trade-api/v2/portfolio/orders?limit=5&status=resting");
    const timestamp = String(request?.headers["kalshi-access-timestamp"]);
    expect(timestamp).toBe(String(clock.now()));
    expect(request?.headers["kalshi-access-key"]).toBe("key-1");
    const ok = verify(
      "sha256",
      Buffer.from(`${timestamp}GET/trade-api/v2/portfolio/orders`),
      {
        key: publicKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      },
      Buffer.from(String(request?.headers["kalshi-access-signature"]), "base64"),
    );
    expect(ok).toBe(true);
  });
});

describe("429 backoff", () => {
  it("retries a 429 with exponential backoff and full jitter, then succeeds", async () => {
    let calls = 0;
    stub.handle((_req, res) => {
      calls += 1;
      if (calls <= 2) return json(res, 429, { error: "too many requests" });
      json(res, 200, balanceBody);
    });
    const sleepsBefore = clock.sleeps.length;
    await expect(client().getBalance()).resolves.toMatchObject({ balance: 1000 });
    expect(calls).toBe(3);
    // random() = 0.5 → half of min(cap, 100 × 2^(n-1)); the drained bucket adds its own pacing waits.
    const backoffs = clock.sleeps.slice(sleepsBefore).filter((ms) => ms === 50 || ms === 100);
    expect(backoffs).toEqual([50, 100]);
  });

  it("retries a 429 even on a non-idempotent POST, since the exchange did nothing", async () => {
    let calls = 0;
    stub.handle((_req, res) => {
      calls += 1;
      if (calls === 1) return json(res, 429, { error: "too many requests" });
      json(res, 201, { order_group_id: "g-1", subaccount: 0 });
    });
    await expect(client().createOrderGroup({ contracts_limit: "5" })).resolves.toMatchObject({
      order_group_id: "g-1",
    });
    expect(calls).toBe(2);
  });

  it("gives up after the bounded attempts with rate_limited", async () => {
    stub.handle((_req, res) => json(res, 429, { error: "too many requests" }));
    const error = await rejection(client({ retry: { maxAttempts: 3 } }).getBalance());
    expect(error).toMatchObject({ status: 429, code: "rate_limited", attempts: 3 });
    expect(stub.requests).toHaveLength(3);
  });

  it("caps each backoff and draws it uniformly below the cap", () => {
    const policy = { maxAttempts: 10, baseMs: 100, capMs: 2_000 };
    expect(backoffDelayMs(policy, 1, () => 0.999)).toBe(99);
    expect(backoffDelayMs(policy, 4, () => 0.999)).toBe(799);
    expect(backoffDelayMs(policy, 9, () => 0.999)).toBe(1998);
    expect(backoffDelayMs(policy, 9, () => 0)).toBe(0);
  });
});

describe("retry policy for 5xx, timeouts and network errors", () => {
  it("retries a 5xx on a GET", async () => {
    let calls = 0;
    stub.handle((_req, res) => {
      calls += 1;
      if (calls === 1) return json(res, 503, "<html>busy</html>");
      json(res, 200, balanceBody);
    });
    await expect(client().getBalance()).resolves.toMatchObject({ balance: 1000 });
    expect(calls).toBe(2);
  });

  it("does not retry a 5xx on a POST other than order creation", async () => {
    stub.handle((_req, res) => json(res, 500, { code: "internal_server_error", message: "boom" }));
    const error = await rejection(client().createOrderGroup({ contracts_limit: "5" }));
    expect(error).toMatchObject({ status: 500, code: "internal_server_error", attempts: 1 });
    expect(stub.requests).toHaveLength(1);
  });

  it("retries order creation on a 5xx with the same client_order_id", async () => {
    let calls = 0;
    stub.handle((_req, res) => {
      calls += 1;
      if (calls === 1) return json(res, 502, "bad gateway");
      json(res, 201, createdBody);
    });
    await client().placeOrder(order);
    const ids = stub.requests.map(
      (r) => (JSON.parse(r.body) as { client_order_id: string }).client_order_id,
    );
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBe(ids[0]);
  });

  it("does not retry a batch create on a 5xx", async () => {
    stub.handle((_req, res) => json(res, 500, { code: "internal_server_error", message: "boom" }));
    await rejection(client().batchCreateOrders({ orders: [order] }));
    expect(stub.requests).toHaveLength(1);
    const sent = JSON.parse(stub.requests[0]?.body ?? "{}") as {
      orders: { client_order_id?: string }[];
    };
    expect(sent.orders[0]?.client_order_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("times out each attempt and reports timeout", async () => {
    stub.handle(() => {
      // never answers
    });
    const error = await rejection(
      client({ timeoutMs: 50, retry: { maxAttempts: 2 } }).getBalance(),
    );
    expect(error).toMatchObject({ status: 0, code: "timeout", attempts: 2 });
  });

  it("does not retry a POST whose connection dropped, unless it is an order create", async () => {
    stub.handle((_req, res) => {
      res.destroy();
    });
    const error = await rejection(
      client().createRfq({ market_ticker: "KXT-1", contracts: "5", rest_remainder: false }),
    );
    expect(error).toMatchObject({ status: 0, code: "network_error", attempts: 1 });
  });
});

describe("response validation", () => {
  it("turns a malformed 2xx body into invalid_response naming the field", async () => {
    stub.handle((_req, res) => json(res, 200, { ...balanceBody, balance: "lots" }));
    const error = await rejection(client().getBalance());
    expect(error).toMatchObject({ code: "invalid_response", status: 200 });
    expect(error.message).toContain("balance");
  });

  it("rejects a non-JSON 2xx body", async () => {
    stub.handle((_req, res) => json(res, 200, "<html>ok</html>"));
    expect((await rejection(client().getBalance())).code).toBe("invalid_response");
  });

  it("keeps Kalshi's code, message and status for business errors", async () => {
    stub.handle((_req, res) =>
      json(res, 400, {
        code: "INSUFFICIENT_BALANCE",
        message: "not enough cash",
        details: "need $5",
      }),
    );
    const error = await rejection(client().placeOrder(order));
    expect(error).toMatchObject({
      status: 400,
      code: "INSUFFICIENT_BALANCE",
      message: "not enough cash",
      details: "need $5",
    });
  });
});

describe("client-side pacing", () => {
  it("waits for the write bucket instead of sending into a 429", async () => {
    stub.handle((_req, res) => json(res, 201, { order_group_id: "g", subaccount: 0 }));
    const tiny: RateBudget = { ...BASIC_TIER_BUDGET, write: { refillRate: 10, capacity: 20 } };
    const c = client({ budget: tiny });
    for (let i = 0; i < 4; i += 1) await c.createOrderGroup({ contracts_limit: "1" });
    // 20 tokens = two requests at once; then one per second (cost 10 at 10 tokens/s).
    expect(clock.sleeps).toHaveLength(2);
    for (const ms of clock.sleeps)
      expect(Math.abs(ms - 1000)).toBeLessThanOrEqual(PACING_MARGIN_MS + 1);
    expect(stub.requests).toHaveLength(4);
  });

  it("bills reads and writes to separate buckets", async () => {
    stub.handle((req, res) =>
      req.method === "GET"
        ? json(res, 200, balanceBody)
        : json(res, 201, { order_group_id: "g", subaccount: 0 }),
    );
    const tiny: RateBudget = {
      ...BASIC_TIER_BUDGET,
      read: { refillRate: 10, capacity: 10 },
      write: { refillRate: 10, capacity: 10 },
    };
    const c = client({ budget: tiny });
    await c.getBalance();
    await c.createOrderGroup({ contracts_limit: "1" });
    expect(clock.sleeps).toEqual([]);
  });

  it("fails fast with rate_limited when the queue would wait too long", async () => {
    stub.handle((_req, res) => json(res, 200, balanceBody));
    const tiny: RateBudget = { ...BASIC_TIER_BUDGET, read: { refillRate: 1, capacity: 10 } };
    const c = client({ budget: tiny, maxQueueWaitMs: 1000 });
    await c.getBalance();
    const error = await rejection(c.getBalance());
    expect(error).toMatchObject({ status: 429, code: "rate_limited", attempts: 0 });
    expect(stub.requests).toHaveLength(1);
  });

  it("refuses a batch that can never fit the bucket, without sending it", async () => {
    const error = await rejection(
      client().batchCreateOrders({ orders: Array.from({ length: 11 }, () => order) }),
    );
    expect(error).toMatchObject({ status: 400, code: "exceeds_rate_budget" });
    expect(stub.requests).toHaveLength(0);
  });

  it("sizes its buckets from /account/limits and /account/endpoint_costs, fetched once", async () => {
    stub.handle((req, res) => {
      if (req.url.endsWith("/account/limits")) {
        return json(res, 200, {
          usage_tier: "advanced",
          read: { refill_rate: 300, bucket_capacity: 600 },
          write: { refill_rate: 300, bucket_capacity: 600 },
          grants: [],
        });
      }
      if (req.url.endsWith("/account/endpoint_costs")) {
        return json(res, 200, {
          default_cost: 10,
          endpoint_costs: [{ method: "GET", path: "/portfolio/balance", cost: 300 }],
        });
      }
      json(res, 200, balanceBody);
    });
    const limiter = new RateLimiter(clock);
    const c = client({ budget: undefined, limiter });
    await c.getBalance();
    await c.getBalance();
    await c.getBalance();
    const paths = stub.requests.map((r) => r.url);
    expect(paths.filter((p) => p.endsWith("/account/limits"))).toHaveLength(1);
    expect(paths.filter((p) => p.endsWith("/account/endpoint_costs"))).toHaveLength(1);
    // 600 held upstream, 75 (250 ms of refill) kept back for arrival jitter.
    expect(limiter.read.capacity).toBe(525);
    // 525 tokens, minus 20 for the two limit reads, then 300 per balance: the second
    // call waits for 95 tokens (317 ms at 300/s), the third for a full 300 (1 s).
    expect(clock.sleeps).toHaveLength(2);
    expect(Math.abs((clock.sleeps[0] ?? 0) - 317)).toBeLessThanOrEqual(PACING_MARGIN_MS + 1);
    expect(Math.abs((clock.sleeps[1] ?? 0) - 1000)).toBeLessThanOrEqual(PACING_MARGIN_MS + 1);
  });

  it("falls back to the Basic tier when the limits endpoints fail", async () => {
    stub.handle((req, res) =>
      req.url.includes("/account/")
        ? json(res, 404, { code: "not_found", message: "no" })
        : json(res, 200, balanceBody),
    );
    const limiter = new RateLimiter(clock);
    await client({ budget: undefined, limiter }).getBalance();
    expect(limiter.current).toBe(BASIC_TIER_BUDGET);
  });
});

/**
 * The Kalshi client against the real simulator: signing the simulator
 * verifies, typed market data and portfolio reads, idempotent order
 * placement through a lossy proxy, and the no-retry rule for other POSTs.
 */
import { createPrivateKey } from "node:crypto";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { createTestAccount, type TestAccount } from "@/server/sim/testing/new-account";

import {
  createKalshiClient,
  createPublicKalshiClient,
  resetKalshiClientCachesForTests,
  type KalshiClient,
} from "./client";
import { resetPlacedOrderMemoryForTests } from "./order-dedupe";
import { systemClock } from "./clock";
import { KalshiError } from "./errors";
import { BASIC_TIER_BUDGET, RateLimiter, resetRateLimitersForTests } from "./rate-limits";
import { forward, json, startHttpStub, type HttpStub } from "./testing/http-stub";

let sim: RunningSim;
let account: TestAccount;
let proxy: HttpStub;
let openTicker: string;
let seriesTicker: string;

const noWait = { sleep: async () => undefined, now: () => Date.now() };

/** A signed client on the real clock, so its buckets really pace against the simulator's limits. */
function clientFor(restBaseUrl: string, who: TestAccount = account): KalshiClient {
  return createKalshiClient({
    apiKeyId: who.apiKeyId,
    privateKey: createPrivateKey(who.privateKeyPem),
    restBaseUrl,
    limiter: new RateLimiter(systemClock),
    budget: BASIC_TIER_BUDGET,
    log: () => undefined,
  });
}

function ordersWithClientId(clientOrderId: string) {
  return [...sim.exchange.state.orders.values()].filter(
    (order) => order.clientOrderId === clientOrderId,
  );
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
  sim = await startSimExchange({ port: 0, bots: false });
  account = await createTestAccount(sim.restBaseUrl, { balanceCents: 500_000 });
  proxy = await startHttpStub();
  const markets = await createPublicKalshiClient(sim.restBaseUrl, { clock: noWait }).listMarkets({
    status: "open",
    limit: 50,
  });
  const market = markets.markets.find(
    (m) => Number(m.yes_ask_dollars) > 0.2 && Number(m.yes_bid_dollars) < 0.8,
  );
  if (!market) throw new Error("the seeded simulator has no open market");
  openTicker = market.ticker;
  const event = await createPublicKalshiClient(sim.restBaseUrl, { clock: noWait }).getEvent(
    market.event_ticker,
  );
  seriesTicker = event.event.series_ticker;
});

afterAll(async () => {
  await proxy.close();
  await sim.close();
});

beforeEach(() => {
  resetRateLimitersForTests();
  resetKalshiClientCachesForTests();
  proxy.handle(async (request, res) => {
    const answer = await forward(request, new URL(sim.restBaseUrl).origin);
    json(res, answer.status, answer.text);
  });
});

describe("signing", () => {
  it("signs requests the simulator accepts (balance of a fresh account)", async () => {
    const balance = await clientFor(sim.restBaseUrl).getBalance();
    expect(balance.balance).toBe(500_000);
  });

  it("signs the path without the query string", async () => {
    const list = await clientFor(sim.restBaseUrl).listOrders({ limit: 5, status: "resting" });
    expect(list.orders).toEqual([]);
  });

  it("surfaces a key the exchange rejects as a 401 KalshiError", async () => {
    const other = await createTestAccount(sim.restBaseUrl);
    const wrongKey = createKalshiClient({
      apiKeyId: account.apiKeyId,
      privateKey: createPrivateKey(other.privateKeyPem),
      restBaseUrl: sim.restBaseUrl,
      clock: noWait,
      limiter: new RateLimiter(noWait),
      budget: BASIC_TIER_BUDGET,
    });
    const error = await rejection(wrongKey.getBalance());
    expect(error).toMatchObject({ status: 401, attempts: 1 });
  });
});

describe("market data", () => {
  it("reads markets, events, series, books, trades and candlesticks through validated schemas", async () => {
    const client = createPublicKalshiClient(sim.restBaseUrl, { clock: noWait });
    const market = await client.getMarket(openTicker);
    expect(market.ticker).toBe(openTicker);
    const book = await client.getOrderbook(openTicker, { depth: 5 });
    expect(Array.isArray(book.orderbook_fp.yes_dollars)).toBe(true);
    expect((await client.listEvents({ limit: 3 })).events.length).toBeGreaterThan(0);
    expect((await client.getSeries(seriesTicker)).ticker).toBe(seriesTicker);
    expect((await client.listSeries()).series.length).toBeGreaterThan(0);
    await expect(client.listTrades({ ticker: openTicker, limit: 5 })).resolves.toHaveProperty(
      "trades",
    );
    const now = Math.floor(Date.now() / 1000);
    const candles = await client.getMarketCandlesticks(openTicker, {
      series_ticker: seriesTicker,
      start_ts: now - 7 * 86_400,
      end_ts: now,
      period_interval: 60,
    });
    expect(candles.ticker).toBe(openTicker);
    expect(candles.candlesticks.length).toBeGreaterThan(0);
    expect((await client.getExchangeStatus()).exchange_active).toBe(true);
  });

  it("keeps Kalshi's code for an unknown market", async () => {
    const error = await rejection(
      createPublicKalshiClient(sim.restBaseUrl, { clock: noWait }).getMarket("NOPE-1"),
    );
    expect(error.status).toBe(404);
    expect(error.code).toMatch(/not_found/i);
  });
});

describe("order placement", () => {
  it("always sends a client_order_id (a uuid) when the caller gave none", async () => {
    const placed = await clientFor(sim.restBaseUrl).placeOrder({
      ticker: openTicker,
      side: "bid",
      count: "1",
      price: "0.01",
      time_in_force: "good_till_canceled",
      self_trade_prevention_type: "taker_at_cross",
    });
    expect(placed.client_order_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(placed.deduplicated).toBe(false);
    expect(ordersWithClientId(placed.client_order_id ?? "")).toHaveLength(1);
  });

  it("places an order exactly once when the first response is lost after forwarding", async () => {
    let creates = 0;
    proxy.handle(async (request, res) => {
      const answer = await forward(request, new URL(sim.restBaseUrl).origin);
      if (request.method === "POST" && request.url.endsWith("/portfolio/events/orders")) {
        creates += 1;
        // The exchange placed it; the answer never reaches the client.
        if (creates === 1) return void res.destroy();
      }
      json(res, answer.status, answer.text);
    });
    const placed = await clientFor(proxy.restBaseUrl).placeOrder({
      ticker: openTicker,
      side: "bid",
      count: "2",
      price: "0.02",
      time_in_force: "good_till_canceled",
      self_trade_prevention_type: "taker_at_cross",
    });
    expect(creates).toBe(2);
    expect(placed.deduplicated).toBe(true);
    const bodies = proxy.requests
      .filter((r) => r.method === "POST" && r.url.endsWith("/portfolio/events/orders"))
      .slice(-2)
      .map((r) => (JSON.parse(r.body) as { client_order_id: string }).client_order_id);
    expect(bodies[0]).toBe(bodies[1]);
    const placedOnce = ordersWithClientId(bodies[0] ?? "");
    expect(placedOnce).toHaveLength(1);
    expect(placed.order_id).toBe(placedOnce[0]?.orderId);
  });

  it("returns the existing order on a double submit with the same client_order_id", async () => {
    const client = clientFor(sim.restBaseUrl);
    const input = {
      ticker: openTicker,
      side: "bid" as const,
      count: "1",
      price: "0.03",
      time_in_force: "good_till_canceled" as const,
      self_trade_prevention_type: "taker_at_cross" as const,
      client_order_id: "double-submit-1",
    };
    const first = await client.placeOrder(input);
    const second = await client.placeOrder(input);
    expect(second).toMatchObject({ order_id: first.order_id, deduplicated: true });
    expect(ordersWithClientId("double-submit-1")).toHaveLength(1);
  });

  describe("a reused client_order_id with a different order", () => {
    const base = {
      ticker: "",
      side: "bid" as const,
      count: "1",
      price: "0.03",
      time_in_force: "good_till_canceled" as const,
      self_trade_prevention_type: "taker_at_cross" as const,
    };
    const variants: Array<[string, Partial<Parameters<KalshiClient["placeOrder"]>[0]>]> = [
      ["price", { price: "0.04" }],
      ["count", { count: "2" }],
      ["side (action)", { side: "ask", price: "0.97" }],
      ["time in force", { time_in_force: "immediate_or_cancel" }],
      ["expiration", { expiration_time: Math.floor(Date.now() / 1000) + 86_400 }],
      ["post-only", { post_only: true }],
      ["reduce-only", { reduce_only: true }],
      ["self-trade prevention", { self_trade_prevention_type: "maker" }],
    ];

    it.each(variants)(
      "is a 409 client_order_id_reused when the %s differs, and nothing more is placed",
      async (what, change) => {
        const client = clientFor(sim.restBaseUrl);
        const clientOrderId = `reuse-${what.replace(/\W+/g, "-")}-${Date.now()}`;
        const first = { ...base, ticker: openTicker, client_order_id: clientOrderId };
        await client.placeOrder(first);
        const error = await rejection(client.placeOrder({ ...first, ...change }));
        expect(error).toMatchObject({ status: 409, code: "client_order_id_reused" });
        expect(error.message).toContain(clientOrderId);
        expect(error.message).toMatch(/different order/);
        expect(ordersWithClientId(clientOrderId)).toHaveLength(1);
      },
    );

    it("is a 409 client_order_id_reused when the earlier order is on another ticker or subaccount", async () => {
      const client = clientFor(sim.restBaseUrl);
      const clientOrderId = `reuse-ticker-${Date.now()}`;
      await client.placeOrder({ ...base, ticker: openTicker, client_order_id: clientOrderId });
      const markets = await client.listMarkets({ status: "open", limit: 50 });
      const other = markets.markets.find((m) => m.ticker !== openTicker);
      if (!other) throw new Error("the seeded simulator has a single open market");
      const error = await rejection(
        client.placeOrder({ ...base, ticker: other.ticker, client_order_id: clientOrderId }),
      );
      expect(error).toMatchObject({ status: 409, code: "client_order_id_reused" });
    });

    it("is recognised from the exchange's order alone (another process placed the first one)", async () => {
      const clientOrderId = `reuse-cold-${Date.now()}`;
      const first = { ...base, ticker: openTicker, client_order_id: clientOrderId };
      await clientFor(sim.restBaseUrl).placeOrder(first);
      resetPlacedOrderMemoryForTests();
      const error = await rejection(
        clientFor(sim.restBaseUrl).placeOrder({ ...first, price: "0.05" }),
      );
      expect(error).toMatchObject({ status: 409, code: "client_order_id_reused" });
      // The same order again is still a replay, not a reuse.
      resetPlacedOrderMemoryForTests();
      await expect(clientFor(sim.restBaseUrl).placeOrder(first)).resolves.toMatchObject({
        deduplicated: true,
      });
    });
  });

  it("does not retry a 5xx on a POST that is not an order create", async () => {
    let hits = 0;
    proxy.handle((request, res) => {
      if (request.method === "POST") {
        hits += 1;
        return json(res, 503, { code: "service_unavailable", message: "try later" });
      }
      json(res, 404, { code: "not_found", message: "x" });
    });
    const error = await rejection(
      clientFor(proxy.restBaseUrl).createOrderGroup({ contracts_limit: "10" }),
    );
    expect(error).toMatchObject({ status: 503, attempts: 1 });
    expect(hits).toBe(1);
  });

  it("amends, decreases and cancels through the V2 endpoints", async () => {
    const client = clientFor(sim.restBaseUrl);
    const placed = await client.placeOrder({
      ticker: openTicker,
      side: "bid",
      count: "5",
      price: "0.04",
      time_in_force: "good_till_canceled",
      self_trade_prevention_type: "taker_at_cross",
    });
    const amended = await client.amendOrder(placed.order_id, {
      ticker: openTicker,
      side: "bid",
      price: "0.05",
      count: "5",
    });
    const decreased = await client.decreaseOrder(amended.order_id, { reduce_by: "1" });
    expect(decreased.remaining_count).toBe("4.00");
    const canceled = await client.cancelOrder(decreased.order_id);
    expect(canceled.reduced_by).toBe("4.00");
    const batch = await client.batchCreateOrders({
      orders: [0.06, 0.07].map((price) => ({
        ticker: openTicker,
        side: "bid" as const,
        count: "1",
        price: String(price),
        time_in_force: "good_till_canceled" as const,
        self_trade_prevention_type: "taker_at_cross" as const,
      })),
    });
    expect(batch.orders.every((o) => o.order_id && !o.error)).toBe(true);
    const cancelled = await client.batchCancelOrders({
      orders: batch.orders.map((o) => ({ order_id: o.order_id ?? "" })),
    });
    expect(cancelled.orders).toHaveLength(2);
  });
});

describe("subaccount transfers", () => {
  it("moves the cash exactly once when the first answer is lost, after finding the transfer", async () => {
    const trader = await createTestAccount(sim.restBaseUrl, {
      tier: "advanced",
      balanceCents: 10_000,
    });
    const client = clientFor(proxy.restBaseUrl, trader);
    const { subaccount_number: to } = await clientFor(sim.restBaseUrl, trader).createSubaccount();
    let posts = 0;
    proxy.handle(async (request, res) => {
      const answer = await forward(request, new URL(sim.restBaseUrl).origin);
      if (request.method === "POST" && request.url.endsWith("/portfolio/subaccounts/transfer")) {
        posts += 1;
        if (posts === 1) return void res.destroy();
      }
      json(res, answer.status, answer.text);
    });
    await client.transferBetweenSubaccounts({
      from_subaccount: 0,
      to_subaccount: to,
      amount_cents: 1_234,
    });
    expect(posts).toBe(2);
    const balances = await clientFor(sim.restBaseUrl, trader).getSubaccountBalances();
    const of = (n: number) =>
      balances.subaccount_balances.find((b) => b.subaccount_number === n)?.balance;
    expect([of(0), of(to)]).toEqual(["87.6600", "12.3400"]);
  });

  it("refuses a reused client_transfer_id for a different transfer, moving nothing more", async () => {
    const trader = await createTestAccount(sim.restBaseUrl, {
      tier: "advanced",
      balanceCents: 10_000,
    });
    const client = clientFor(sim.restBaseUrl, trader);
    const { subaccount_number: to } = await client.createSubaccount();
    const id = "0d1f4c52-8a43-4b7e-9d35-6f0e2b9c1a77";
    await client.transferBetweenSubaccounts({
      from_subaccount: 0,
      to_subaccount: to,
      amount_cents: 100,
      client_transfer_id: id,
    });
    const error = await rejection(
      client.transferBetweenSubaccounts({
        from_subaccount: 0,
        to_subaccount: to,
        amount_cents: 200,
        client_transfer_id: id,
      }),
    );
    expect(error.status).toBe(409);
    const transfers = await client.listSubaccountTransfers();
    expect(transfers.transfers).toHaveLength(1);
  });
});

describe("portfolio", () => {
  it("reads positions, fills, settlements and orders", async () => {
    const client = clientFor(sim.restBaseUrl);
    await expect(client.getPositions()).resolves.toHaveProperty("market_positions");
    await expect(client.listFills({ limit: 5 })).resolves.toHaveProperty("fills");
    await expect(client.listSettlements({ limit: 5 })).resolves.toHaveProperty("settlements");
    const orders = await client.listOrders({ ticker: openTicker });
    expect(orders.orders.length).toBeGreaterThan(0);
    const one = await client.getOrder(orders.orders[0]?.order_id ?? "");
    expect(one.ticker).toBe(openTicker);
  });
});

describe("against the simulator's rate limits", () => {
  it("serves GET /account/limits, the budget the client paces by", async () => {
    // A failure here is a broken simulator, not a reason to skip the tests below.
    const who = await createTestAccount(sim.restBaseUrl, { tier: "basic" });
    const response = await who.fetch("/account/limits");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ usage_tier: "basic" });
  });

  function countingProxy() {
    const statuses: number[] = [];
    proxy.handle(async (request, res) => {
      const answer = await forward(request, new URL(sim.restBaseUrl).origin);
      statuses.push(answer.status);
      json(res, answer.status, answer.text);
    });
    return statuses;
  }

  it("rides out a burst the simulator answers with 429s, by backing off", async () => {
    const burster = await createTestAccount(sim.restBaseUrl, { tier: "basic" });
    const statuses = countingProxy();
    // Pretend to a budget far above Basic so our own buckets do not pace: the exchange must push back.
    const reckless = createKalshiClient({
      apiKeyId: burster.apiKeyId,
      privateKey: createPrivateKey(burster.privateKeyPem),
      restBaseUrl: proxy.restBaseUrl,
      limiter: new RateLimiter(systemClock),
      budget: { ...BASIC_TIER_BUDGET, read: { refillRate: 100_000, capacity: 100_000 } },
      retry: { maxAttempts: 12, baseMs: 100, capMs: 1_000 },
      log: () => undefined,
    });
    // Basic holds 40 balance reads and refills 20 a second: 80 at once must overflow it.
    const results = await Promise.allSettled(
      Array.from({ length: 80 }, () => reckless.getBalance()),
    );
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
  });

  it("paces the same burst client-side from GET /account/limits so the simulator never says 429", async () => {
    // A fresh account: its buckets are full, and nothing else spends from them.
    const careful = await createTestAccount(sim.restBaseUrl, { tier: "basic" });
    const statuses = countingProxy();
    const client = createKalshiClient({
      apiKeyId: careful.apiKeyId,
      privateKey: createPrivateKey(careful.privateKeyPem),
      restBaseUrl: proxy.restBaseUrl,
      limiter: new RateLimiter(systemClock),
      log: () => undefined,
    });
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => client.getBalance()));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(statuses.filter((status) => status === 429)).toEqual([]);
  });
});

/**
 * The live/historical split over HTTP: with the cutoffs pinned at T, a record
 * at T − 1 ms is served only by /historical/*, one at T only by the live
 * endpoints; plus the seeded default cutoffs, filters, cursors and errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "@/server/sim/accounts";
import { ManualClock } from "@/server/sim/clock";
import {
  historicalCutoffs,
  LIVE_WINDOW_MS,
  pinHistoricalCutoffs,
} from "@/server/sim/historical/cutoff";
import type { EventRecord, MarketRecord, UserRecord } from "@/server/sim/model";
import { rateLimiter } from "@/server/sim/rate-limit/rate-limiter";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { addMarket, addUser } from "@/server/sim/testing/engine-fixtures";
import { createSignedFetch, type SignedFetch } from "@/server/sim/testing/signed-fetch";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NOW = Date.UTC(2025, 7, 21, 17, 30, 0);
const HOUR = 3_600_000;
/** The pinned boundary for the split tests: one hour before the start. */
const T = NOW - HOUR;

const clock = new ManualClock(NOW);
let sim: RunningSim;
let alice: { user: UserRecord; fetch: SignedFetch };
let bob: { user: UserRecord; fetch: SignedFetch };
/** Traded and settled at T − 1 (historical). */
let oldMarket: MarketRecord;
/** Traded and settled at T (live). */
let newMarket: MarketRecord;

function account(): { user: UserRecord; fetch: SignedFetch } {
  const user = addUser(sim.exchange.state, 1_000_000);
  const key = generateApiKey(sim.exchange.state, user, "historical-test");
  return {
    user,
    fetch: createSignedFetch({
      restBaseUrl: sim.restBaseUrl,
      apiKeyId: key.apiKeyId,
      privateKeyPem: key.privateKeyPem,
      now: () => clock.now(),
    }),
  };
}

async function get(path: string, status = 200, fetcher?: SignedFetch): Promise<Json> {
  const response = fetcher ? await fetcher(path) : await fetch(`${sim.restBaseUrl}${path}`);
  const body = (await response.json()) as Json;
  expect(response.status, `${path} → ${JSON.stringify(body).slice(0, 300)}`).toBe(status);
  return body;
}

function addEvent(eventTicker: string, seriesTicker: string, marketTickers: string[]): void {
  const event: EventRecord = {
    eventTicker,
    seriesTicker,
    title: eventTicker,
    subTitle: "",
    category: "Test",
    mutuallyExclusive: false,
    collateralReturnType: "",
    strikeDate: null,
    strikePeriod: "",
    availableOnBrokers: false,
    marketTickers,
    imageUrl: "",
    competition: null,
    lastUpdatedTs: clock.now(),
  };
  sim.exchange.state.events.set(eventTicker, event);
}

/** Alice bids, Bob sells into it: one trade, one fill each, both orders executed. */
function cross(ticker: string, clientOrderId: string): void {
  const { engine } = sim.exchange;
  const common = { ticker, price: 400_000, count: 500, timeInForce: "good_till_canceled" as const };
  engine.placeOrder({
    ...common,
    userId: alice.user.userId,
    side: "bid",
    clientOrderId: `${clientOrderId}-a`,
  });
  engine.placeOrder({
    ...common,
    userId: bob.user.userId,
    side: "ask",
    clientOrderId: `${clientOrderId}-b`,
  });
}

function finalize(market: MarketRecord, atMs: number): void {
  market.status = "finalized";
  market.result = "yes";
  market.settlementValue = 1_000_000;
  market.determinationTime = atMs;
  market.settlementTime = atMs;
}

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false, clock, seed: 7 });
  // These tests are about tiers, not budgets.
  rateLimiter(sim.exchange.state).enabled = false;
  alice = account();
  bob = account();
  const { state } = sim.exchange;
  clock.set(T - 2 * HOUR);
  oldMarket = addMarket(state, {
    ticker: "KXHIST-OLD-T1",
    eventTicker: "KXHIST-OLD",
    seriesTicker: "KXHIST",
  });
  newMarket = addMarket(state, {
    ticker: "KXHIST-NEW-T1",
    eventTicker: "KXHIST-NEW",
    seriesTicker: "KXHIST",
  });
  addEvent("KXHIST-OLD", "KXHIST", [oldMarket.ticker]);
  addEvent("KXHIST-NEW", "KXHIST", [newMarket.ticker]);
  // An order canceled just before T, and one left resting (resting orders are always live).
  const canceled = sim.exchange.engine.placeOrder({
    userId: alice.user.userId,
    ticker: oldMarket.ticker,
    side: "bid",
    price: 100_000,
    count: 100,
    timeInForce: "good_till_canceled",
    clientOrderId: "canceled-old",
  });
  sim.exchange.engine.placeOrder({
    userId: alice.user.userId,
    ticker: newMarket.ticker,
    side: "bid",
    price: 100_000,
    count: 100,
    timeInForce: "good_till_canceled",
    clientOrderId: "resting-old",
  });
  clock.set(T - 1);
  sim.exchange.engine.cancelOrder(alice.user.userId, canceled.order.orderId);
  cross(oldMarket.ticker, "old");
  clock.set(T);
  cross(newMarket.ticker, "new");
  finalize(oldMarket, T - 1);
  finalize(newMarket, T);
  clock.set(NOW);
});

afterAll(async () => {
  pinHistoricalCutoffs(sim.exchange.state, null);
  await sim.close();
});

describe("default cutoffs on the seeded exchange", () => {
  it("sit one live window behind the clock's hour and move it to the historical tier", async () => {
    const cutoff = new Date(Math.floor(NOW / HOUR) * HOUR - LIVE_WINDOW_MS).toISOString();
    expect(await get("/historical/cutoff")).toEqual({
      market_settled_ts: cutoff,
      trades_created_ts: cutoff,
      orders_updated_ts: cutoff,
      market_positions_last_updated_ts: cutoff,
    });
    // The June CPI event of the seed settled ~24 days back: historical. Everything else is live.
    const { markets } = await get("/historical/markets?limit=1000");
    const tickers = markets.map((m: Json) => m.ticker);
    expect(tickers.length).toBe(5);
    expect(tickers.every((t: string) => t.startsWith("KXCPI-25JUN-"))).toBe(true);
    const live = await get("/markets?series_ticker=KXCPI&limit=1000");
    expect(live.markets.some((m: Json) => tickers.includes(m.ticker))).toBe(false);
    await get(`/markets/${tickers[0]}`, 404);
    const single = await get(`/historical/markets/${tickers[0]}`);
    expect(single.market.status).toBe("finalized");
    // The event stays listed; its archived markets are no longer nested in it.
    const events = await get("/events?series_ticker=KXCPI&with_nested_markets=true");
    const june = events.events.find((e: Json) => e.event_ticker === "KXCPI-25JUN");
    expect(june.markets).toEqual([]);
    // Seeded trades older than the window are historical only.
    const cutoffMs = Date.parse(cutoff);
    const oldTrades = await get(`/historical/trades?ticker=${tickers[0]}&limit=1000`);
    const expected = sim.exchange.state.tradesByMarket.get(tickers[0])!;
    expect(expected.every((t) => t.createdTime < cutoffMs)).toBe(true);
    expect(oldTrades.trades).toHaveLength(expected.length);
    expect((await get(`/markets/trades?ticker=${tickers[0]}`)).trades).toEqual([]);
  });
});

describe("the split at a pinned cutoff", () => {
  beforeAll(() => {
    pinHistoricalCutoffs(sim.exchange.state, {
      marketSettled: T,
      tradesCreated: T,
      ordersUpdated: T,
      marketPositionsLastUpdated: T,
    });
  });

  it("reports the pinned cutoffs", async () => {
    const iso = new Date(T).toISOString();
    expect((await get("/historical/cutoff")).trades_created_ts).toBe(iso);
    expect(historicalCutoffs(sim.exchange.state).ordersUpdated).toBe(T);
  });

  it("markets: settled at T − 1 only historical, at T only live", async () => {
    const hist = await get("/historical/markets?series_ticker=KXHIST");
    expect(hist.markets.map((m: Json) => m.ticker)).toEqual([oldMarket.ticker]);
    expect(hist.markets[0].settlement_ts).toBe(new Date(T - 1).toISOString());
    const live = await get("/markets?series_ticker=KXHIST");
    expect(live.markets.map((m: Json) => m.ticker)).toEqual([newMarket.ticker]);
    await get(`/historical/markets/${newMarket.ticker}`, 404);
    await get(`/markets/${oldMarket.ticker}`, 404);
    await get(`/historical/markets/NOPE`, 404);
  });

  it("trades: T − 1 only historical, T only live", async () => {
    const hist = await get(`/historical/trades?ticker=${oldMarket.ticker}`);
    expect(hist.trades).toHaveLength(1);
    expect(hist.trades[0]).toMatchObject({
      ticker: oldMarket.ticker,
      count_fp: "5.00",
      yes_price_dollars: "0.4000",
    });
    expect((await get(`/markets/trades?ticker=${oldMarket.ticker}`)).trades).toEqual([]);
    expect((await get(`/markets/trades?ticker=${newMarket.ticker}`)).trades).toHaveLength(1);
    expect((await get(`/historical/trades?ticker=${newMarket.ticker}`)).trades).toEqual([]);
    expect(hist.trades[0].created_time).toBe(new Date(T - 1).toISOString());
    // Everything the seed traded before the pinned cutoff is historical too, in pages.
    const page = await get("/historical/trades?limit=3&max_ts=" + (NOW - 2 * HOUR) / 1000);
    expect(page.trades).toHaveLength(3);
    expect(page.cursor).not.toBe("");
  });

  it("fills: T − 1 only historical, T only live, and only the caller's", async () => {
    const hist = await get("/historical/fills", 200, alice.fetch);
    expect(hist.fills.map((f: Json) => f.ticker)).toEqual([oldMarket.ticker]);
    const live = await get("/portfolio/fills", 200, alice.fetch);
    expect(live.fills.map((f: Json) => f.ticker)).toEqual([newMarket.ticker]);
    expect(
      (await get("/historical/fills", 200, bob.fetch)).fills.map((f: Json) => f.ticker),
    ).toEqual([oldMarket.ticker]);
    expect(
      (await get(`/historical/fills?ticker=${newMarket.ticker}`, 200, alice.fetch)).fills,
    ).toEqual([]);
  });

  it("orders: done before T only historical, done at T and resting ones live", async () => {
    const hist = await get("/historical/orders", 200, alice.fetch);
    expect(hist.orders.map((o: Json) => [o.client_order_id, o.status]).sort()).toEqual([
      ["canceled-old", "canceled"],
      ["old-a", "executed"],
    ]);
    const live = await get("/portfolio/orders", 200, alice.fetch);
    expect(live.orders.map((o: Json) => [o.client_order_id, o.status]).sort()).toEqual([
      ["new-a", "executed"],
      ["resting-old", "resting"],
    ]);
  });

  it("positions: archived event only historical, later one only live", async () => {
    const hist = await get("/historical/positions", 200, alice.fetch);
    expect(hist.market_positions.map((p: Json) => [p.ticker, p.position_fp])).toEqual([
      [oldMarket.ticker, "5.00"],
    ]);
    expect(hist.event_positions.map((e: Json) => e.event_ticker)).toEqual(["KXHIST-OLD"]);
    const live = await get("/portfolio/positions", 200, alice.fetch);
    const liveTickers = live.market_positions.map((p: Json) => p.ticker);
    expect(liveTickers).toContain(newMarket.ticker);
    expect(liveTickers).not.toContain(oldMarket.ticker);
  });

  it("candlesticks: archived market only through the historical endpoint", async () => {
    const range = `start_ts=${(T - 3 * HOUR) / 1000}&end_ts=${T / 1000}&period_interval=1`;
    const hist = await get(`/historical/markets/${oldMarket.ticker}/candlesticks?${range}`);
    expect(hist.ticker).toBe(oldMarket.ticker);
    const traded = hist.candlesticks.filter((c: Json) => c.volume !== "0.00");
    expect(traded).toHaveLength(1);
    expect(traded[0]).toMatchObject({
      end_period_ts: T / 1000,
      volume: "5.00",
      price: { open: "0.4000", close: "0.4000", mean: "0.4000" },
    });
    await get(`/series/KXHIST/markets/${oldMarket.ticker}/candlesticks?${range}`, 404);
    await get(`/historical/markets/${newMarket.ticker}/candlesticks?${range}`, 404);
    await get(`/series/KXHIST/markets/${newMarket.ticker}/candlesticks?${range}`, 200);
  });
});

describe("historical query validation", () => {
  it("rejects combined filters, bad limits, unknown parameters and bad cursors with a 400 naming them", async () => {
    const bad = async (path: string, word: string, fetcher?: SignedFetch) => {
      const body = await get(path, 400, fetcher);
      expect(body.code).toBe("invalid_parameters");
      expect(body.message).toContain(word);
    };
    await bad("/historical/markets?event_ticker=A&series_ticker=B", "mutually exclusive");
    await bad("/historical/markets?limit=1001", "limit");
    await bad("/historical/markets?mve_filter=only", "mve_filter");
    await bad("/historical/markets?status=settled", "status");
    await bad("/historical/trades?cursor=nope", "cursor");
    await bad(
      "/historical/markets/KXHIST-OLD-T1/candlesticks?start_ts=1&end_ts=2&period_interval=5",
      "period_interval",
    );
    await bad("/historical/fills?limit=0", "limit", alice.fetch);
    await bad("/historical/orders?status=canceled", "status", alice.fetch);
    await bad("/historical/positions?subaccount=9", "subaccount", alice.fetch);
  });

  it("signs the private endpoints and leaves the public ones open", async () => {
    for (const path of ["/historical/fills", "/historical/orders", "/historical/positions"]) {
      expect((await fetch(`${sim.restBaseUrl}${path}`)).status).toBe(401);
    }
    for (const path of ["/historical/cutoff", "/historical/markets", "/historical/trades"]) {
      expect((await fetch(`${sim.restBaseUrl}${path}`)).status).toBe(200);
    }
  });

  it("pages historical markets with a cursor", async () => {
    const first = await get("/historical/markets?limit=2");
    expect(first.markets).toHaveLength(2);
    const second = await get(`/historical/markets?limit=2&cursor=${first.cursor}`);
    expect(second.markets[0].ticker).not.toBe(first.markets[0].ticker);
    const all = await get("/historical/markets?limit=1000");
    expect([...first.markets, ...second.markets].map((m: Json) => m.ticker)).toEqual(
      all.markets.slice(0, 4).map((m: Json) => m.ticker),
    );
  });
});

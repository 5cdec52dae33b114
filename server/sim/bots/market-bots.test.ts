/**
 * Bots on a manual clock: they trade, quote only on the grid, keep books
 * two-sided, leave books alone during pauses, and repeat exactly for a seed.
 */
import { describe, expect, it } from "vitest";
import { isOnGrid } from "@/lib/price-grid";
import { createBots } from "@/server/sim/bots/start-bots";
import { ManualClock } from "@/server/sim/clock";
import { SimExchange } from "@/server/sim/exchange";
import { seedInfo } from "@/server/sim/seed/seed-exchange";
import { addMarket, makeEngineExchange } from "@/server/sim/testing/engine-fixtures";
import { pauseExchange, resumeExchange } from "@/server/sim/http/routes/sim-admin";

function setup(seed = 7) {
  const fixture = makeEngineExchange({ seed });
  const { state } = fixture;
  addMarket(state, { ticker: "KXBOT-A", fairValue: 420_000 });
  addMarket(state, { ticker: "KXBOT-B", priceLevelStructure: "deci_cent", fairValue: 137_000 });
  addMarket(state, {
    ticker: "KXBOT-C",
    priceLevelStructure: "tapered_deci_cent",
    fairValue: 60_000,
  });
  addMarket(state, { ticker: "KXBOT-D", fairValue: 910_000 });
  const bots = createBots(fixture.exchange);
  return { ...fixture, bots };
}

/** Runs `steps` steps, 250 ms of manual time apart. */
function run(fixture: ReturnType<typeof setup>, steps: number): void {
  for (let i = 0; i < steps; i += 1) {
    fixture.bots.step();
    fixture.clock.advance(250);
    fixture.exchange.tick();
  }
}

describe("market bots", () => {
  it("trade, quote on the grid and keep every book two-sided", () => {
    const fixture = setup();
    run(fixture, 400);
    const { state } = fixture;
    expect(state.trades.length).toBeGreaterThan(50);
    const traded = new Set(state.trades.map((t) => t.ticker));
    expect(traded.size).toBe(4);
    // Fractional counts show up on the deci_cent market.
    expect(state.trades.some((t) => t.ticker === "KXBOT-B" && t.count % 100 !== 0)).toBe(true);

    const botIds = new Set([fixture.bots.makerUserId, ...fixture.bots.takerUserIds]);
    for (const order of state.orders.values()) {
      expect(botIds.has(order.userId)).toBe(true);
      const market = state.markets.get(order.ticker);
      expect(market && isOnGrid(order.price, market.priceRanges)).toBe(true);
    }
    for (const ticker of state.markets.keys()) {
      const book = state.book(ticker);
      const bid = book.bestBid();
      const ask = book.bestAsk();
      expect(bid, `${ticker} has bids`).toBeDefined();
      expect(ask, `${ticker} has asks`).toBeDefined();
      expect(bid!.price).toBeLessThan(ask!.price);
      expect(book.depth("bid").length).toBeGreaterThanOrEqual(3);
      expect(book.depth("ask").length).toBeGreaterThanOrEqual(3);
    }
    expect(fixture.bots.status().rejections.internal ?? 0).toBe(0);
  });

  it("moves each market's fair value and quotes around it within a simulated minute", () => {
    const fixture = setup();
    const seen = new Map(
      [...fixture.state.markets.values()].map((m) => [m.ticker, new Set([m.fairValue])]),
    );
    for (let i = 0; i < 240; i += 1) {
      run(fixture, 1); // 240 steps: one minute at the default 250 ms pace
      for (const m of fixture.state.markets.values()) seen.get(m.ticker)?.add(m.fairValue);
    }
    for (const market of fixture.state.markets.values()) {
      expect(seen.get(market.ticker)?.size, market.ticker).toBeGreaterThan(1);
      expect(isOnGrid(market.fairValue, market.priceRanges)).toBe(true);
      const book = fixture.state.book(market.ticker);
      expect(book.bestBid()!.price).toBeLessThanOrEqual(market.fairValue);
      expect(book.bestAsk()!.price).toBeGreaterThanOrEqual(market.fairValue);
    }
  });

  it("is deterministic for a fixed seed", () => {
    const digest = (seed: number) => {
      const fixture = setup(seed);
      run(fixture, 300);
      const { state } = fixture;
      return JSON.stringify({
        trades: state.trades.map((t) => [t.ticker, t.price, t.count, t.takerSide, t.createdTime]),
        fair: [...state.markets.values()].map((m) => m.fairValue),
        bids: [...state.markets.keys()].map((t) => state.book(t).depth("bid")),
      });
    };
    expect(digest(11)).toBe(digest(11));
    expect(digest(11)).not.toBe(digest(12));
  });

  it("idles during a pause and quotes again after resume", () => {
    const fixture = setup();
    run(fixture, 40);
    pauseExchange(fixture.exchange, "trading");
    const trades = fixture.state.trades.length;
    run(fixture, 40);
    expect(fixture.state.trades.length).toBe(trades);
    expect(fixture.bots.status().idle_steps).toBe(40);
    resumeExchange(fixture.exchange);
    run(fixture, 80);
    expect(fixture.state.trades.length).toBeGreaterThan(trades);
  });

  it("adopts an existing bot account's ladder instead of stacking a second one", () => {
    const fixture = makeEngineExchange({ seed: 3 });
    const { state, exchange } = fixture;
    const market = addMarket(state, { ticker: "KXBOT-SEEDED", fairValue: 500_000 });
    const seedMaker = createBots(exchange).makerUserId; // stands in for the seed's market-maker account
    exchange.engine.placeOrder({
      userId: seedMaker,
      ticker: market.ticker,
      side: "bid",
      price: 300_000,
      count: 1000,
      timeInForce: "good_till_canceled",
    });
    const bots = createBots(exchange);
    expect(bots.makerUserId).toBe(seedMaker);
    bots.step(5);
    // The stray 30¢ bid is not on the new ladder (49¢ down to 45¢), so it was replaced.
    expect(
      state
        .book(market.ticker)
        .depth("bid")
        .some(([p]) => p === 300_000),
    ).toBe(false);
  });

  it("keep 40 markets two-sided over 1000 steps (the load bench/market-bots.bench.ts times)", () => {
    const fixture = makeEngineExchange({ seed: 5 });
    for (let i = 0; i < 40; i += 1) {
      addMarket(fixture.state, {
        ticker: `KXCPU-${i}`,
        priceLevelStructure: i % 5 === 0 ? "deci_cent" : "linear_cent",
        fairValue: 100_000 + i * 20_000,
      });
    }
    const bots = createBots(fixture.exchange);
    bots.step(20); // build the ladders
    for (let i = 0; i < 1000; i += 1) {
      bots.step();
      fixture.clock.advance(250);
    }
    const { state } = fixture;
    for (const ticker of state.markets.keys()) {
      const book = state.book(ticker);
      expect(book.bestBid(), `${ticker} has bids`).toBeDefined();
      expect(book.bestAsk(), `${ticker} has asks`).toBeDefined();
    }
    expect(new Set(state.trades.map((t) => t.ticker)).size).toBeGreaterThan(30);
  });
});

describe("market bots on the seeded exchange", () => {
  function seeded(seed: number) {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 15));
    const exchange = new SimExchange({ seed, clock });
    const bots = createBots(exchange);
    return { exchange, clock, bots, state: exchange.state };
  }

  it("quote with the seed's market maker and keep every open market two-sided", () => {
    const fixture = seeded(42);
    const { state } = fixture;
    expect(fixture.bots.makerUserId).toBe(seedInfo(state)?.makerUserId);
    const tradesBefore = state.trades.length;
    for (let i = 0; i < 400; i += 1) {
      fixture.bots.step();
      fixture.clock.advance(250);
      fixture.exchange.tick();
    }
    expect(state.trades.length - tradesBefore).toBeGreaterThan(50);
    const now = state.now();
    for (const market of state.markets.values()) {
      if (market.status !== "active" || now >= market.closeTime) continue;
      const book = state.book(market.ticker);
      expect(book.bestBid(), `${market.ticker} bids`).toBeDefined();
      expect(book.bestAsk(), `${market.ticker} asks`).toBeDefined();
      expect(book.bestBid()!.price).toBeLessThan(book.bestAsk()!.price);
    }
    for (const set of state.restingByMarket.values()) {
      for (const order of set) {
        const market = state.markets.get(order.ticker);
        expect(market && isOnGrid(order.price, market.priceRanges)).toBe(true);
      }
    }
    expect(fixture.bots.status().rejections.internal ?? 0).toBe(0);
  });

  it("repeats exactly for the same seed", () => {
    const digest = () => {
      const fixture = seeded(9);
      for (let i = 0; i < 200; i += 1) {
        fixture.bots.step();
        fixture.clock.advance(250);
      }
      return JSON.stringify(fixture.state.trades.slice(-100));
    };
    expect(digest()).toBe(digest());
  });
});

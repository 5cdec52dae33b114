import { describe, expect, it } from "vitest";
import { ONE_DOLLAR } from "@/lib/fixed-point";
import { priceRangesFor } from "@/lib/price-grid";
import { createAccount } from "@/server/sim/accounts";
import { ManualClock } from "@/server/sim/clock";
import { SimExchange } from "@/server/sim/exchange";
import { serializeCandle } from "@/server/sim/http/serialize-market";
import { MarketCandles, periodEnd } from "@/server/sim/market-data/candles";
import { marketData } from "@/server/sim/market-data/market-data";
import type { MarketRecord } from "@/server/sim/model";

const T0 = Date.UTC(2025, 7, 21, 12, 0, 0);
const MIN = 60_000;
const c = (n: number) => n * 10_000; // cents → micros

function bareMarket(ticker: string, now: number): MarketRecord {
  return {
    ticker,
    eventTicker: "EV",
    seriesTicker: "SER",
    marketId: ticker,
    marketType: "binary",
    title: ticker,
    subtitle: "",
    yesSubTitle: "",
    noSubTitle: "",
    rulesPrimary: "",
    rulesSecondary: "",
    createdTime: now - 1000,
    updatedTime: now - 1000,
    openTime: now - 1000,
    closeTime: now + 30 * 86_400_000,
    expectedExpirationTime: now + 30 * 86_400_000,
    latestExpirationTime: now + 31 * 86_400_000,
    settlementTimerSeconds: 60,
    status: "active",
    result: "",
    settlementValue: null,
    determinationTime: null,
    settlementTime: null,
    canCloseEarly: false,
    strikeType: "greater",
    floorStrike: 1,
    capStrike: null,
    priceLevelStructure: "linear_cent",
    priceRanges: priceRangesFor("linear_cent"),
    fairValue: c(50),
    lastPrice: null,
    previousPrice: null,
    previousYesBid: null,
    previousYesAsk: null,
    volume: 0,
    dollarVolume: 0,
    openInterest: 0,
    notionalValue: ONE_DOLLAR,
    exchangeIndex: 0,
  };
}

describe("periodEnd", () => {
  it("labels a period by its inclusive end, aligned to the epoch", () => {
    expect(periodEnd(T0, 1)).toBe(T0);
    expect(periodEnd(T0 + 1, 1)).toBe(T0 + MIN);
    expect(periodEnd(T0 + 59 * MIN, 60)).toBe(T0 + 60 * MIN);
    expect(periodEnd(T0, 1440)).toBe(Date.UTC(2025, 7, 22));
  });
});

describe("MarketCandles", () => {
  it("aggregates trades into OHLC, mean, volume and open interest per period", () => {
    const candles = new MarketCandles();
    candles.recordQuote(T0 + 1_000, c(40), c(45), 0);
    candles.recordTrade(T0 + 2_000, c(45), 1000, 1000);
    candles.recordTrade(T0 + 30_000, c(41), 3000, 4000);
    candles.recordTrade(T0 + 50_000, c(43), 1000, 3000);

    const [minute] = candles.range(1, T0, T0 + MIN);
    expect(minute).toBeDefined();
    const wire = serializeCandle(minute!);
    expect(wire.end_period_ts).toBe((T0 + MIN) / 1000);
    expect(wire.price).toMatchObject({
      open_dollars: "0.4500",
      high_dollars: "0.4500",
      low_dollars: "0.4100",
      close_dollars: "0.4300",
      // (45×10 + 41×30 + 43×10) / 50
      mean_dollars: "0.4220",
      previous_dollars: null,
    });
    expect(wire.volume_fp).toBe("50.00");
    expect(wire.open_interest_fp).toBe("30.00");
    expect(wire.yes_bid).toEqual({
      open_dollars: "0.4000",
      low_dollars: "0.4000",
      high_dollars: "0.4000",
      close_dollars: "0.4000",
    });

    // The hour and the day hold the same single period's worth here.
    expect(candles.range(60, T0, T0 + 60 * MIN)[0]?.volume).toBe(5000);
    expect(candles.range(1440, T0, T0 + 86_400_000)[0]?.volume).toBe(5000);
  });

  it("carries bid/ask into the next period and leaves price null when nothing traded", () => {
    const candles = new MarketCandles();
    candles.recordQuote(T0 + 1_000, c(40), c(45));
    candles.recordTrade(T0 + 2_000, c(45), 500, 500);
    // Three minutes later only the quote moves.
    candles.recordQuote(T0 + 3 * MIN + 10_000, c(42), c(46));
    const list = candles.range(1, T0, T0 + 10 * MIN);
    expect(list.map((k) => k.endMs)).toEqual([T0 + MIN, T0 + 4 * MIN]);
    const quiet = serializeCandle(list[1]!);
    expect(quiet.yes_bid).toEqual({
      open_dollars: "0.4000",
      low_dollars: "0.4000",
      high_dollars: "0.4200",
      close_dollars: "0.4200",
    });
    expect(quiet.yes_ask.open_dollars).toBe("0.4500");
    expect(quiet.yes_ask.close_dollars).toBe("0.4600");
    expect(quiet.price.open_dollars).toBeNull();
    expect(quiet.price.close_dollars).toBeNull();
    expect(quiet.price.mean_dollars).toBeNull();
    expect(quiet.price.previous_dollars).toBe("0.4500");
    expect(quiet.volume_fp).toBe("0.00");
    expect(quiet.open_interest_fp).toBe("5.00");
  });

  it("ignores repeated identical quotes (no empty candles from ticker noise)", () => {
    const candles = new MarketCandles();
    candles.recordQuote(T0, c(40), c(45));
    candles.recordQuote(T0 + 5 * MIN, c(40), c(45));
    expect(candles.size(1)).toBe(1);
    expect(candles.latestBefore(1, T0 + 10 * MIN)?.endMs).toBe(T0);
    expect(candles.countInRange(1, T0, T0 + 10 * MIN)).toBe(1);
  });
});

describe("market-data store, fed by the matching engine", () => {
  it("builds candles and 24h volume incrementally from live trades", () => {
    const clock = new ManualClock(T0 + 5_000);
    const exchange = new SimExchange({ seed: 1, clock, seedData: false });
    const { state, engine } = exchange;
    state.markets.set("MKT", bareMarket("MKT", clock.now()));
    const store = marketData(state);
    const maker = createAccount(state, { balanceCents: 1_000_000 });
    const taker = createAccount(state, { balanceCents: 1_000_000 });

    engine.placeOrder({
      userId: maker.userId,
      ticker: "MKT",
      side: "ask",
      price: c(55),
      count: 1000,
      timeInForce: "good_till_canceled",
    });
    engine.placeOrder({
      userId: maker.userId,
      ticker: "MKT",
      side: "bid",
      price: c(50),
      count: 1000,
      timeInForce: "good_till_canceled",
    });
    clock.advance(20_000);
    engine.placeOrder({
      userId: taker.userId,
      ticker: "MKT",
      side: "bid",
      price: c(55),
      count: 400,
      timeInForce: "immediate_or_cancel",
    });
    clock.advance(2 * MIN);
    engine.placeOrder({
      userId: taker.userId,
      ticker: "MKT",
      side: "ask",
      price: c(50),
      count: 300,
      timeInForce: "immediate_or_cancel",
    });

    const minutes = store
      .candles("MKT")
      .range(1, T0, T0 + 10 * MIN)
      .map(serializeCandle);
    expect(minutes).toHaveLength(2);
    expect(minutes[0]).toMatchObject({
      end_period_ts: (T0 + MIN) / 1000,
      // The first observed quote (an ask, no bid yet) opens the first candle.
      yes_bid: { open_dollars: "0.0000", close_dollars: "0.5000" },
      yes_ask: { open_dollars: "0.5500", close_dollars: "0.5500" },
      price: { open_dollars: "0.5500", close_dollars: "0.5500" },
      volume_fp: "4.00",
      open_interest_fp: "4.00",
    });
    expect(minutes[1]).toMatchObject({
      price: { open_dollars: "0.5000", previous_dollars: "0.5500" },
      volume_fp: "3.00",
    });
    const hour = store
      .candles("MKT")
      .range(60, T0, T0 + 60 * MIN)
      .map(serializeCandle);
    expect(hour).toHaveLength(1);
    expect(hour[0]?.price).toMatchObject({
      open_dollars: "0.5500",
      close_dollars: "0.5000",
      high_dollars: "0.5500",
      low_dollars: "0.5000",
    });
    expect(hour[0]?.volume_fp).toBe("7.00");

    expect(store.volume24h("MKT")).toBe(700);
    clock.advance(86_400_000);
    expect(store.volume24h("MKT")).toBe(0);
  });

  it("replays trades recorded before the store existed", () => {
    const clock = new ManualClock(T0);
    const exchange = new SimExchange({ seed: 2, clock, seedData: false });
    const { state, engine } = exchange;
    state.markets.set("MKT", bareMarket("MKT", clock.now()));
    const a = createAccount(state, { balanceCents: 1_000_000 });
    const b = createAccount(state, { balanceCents: 1_000_000 });
    engine.placeOrder({
      userId: a.userId,
      ticker: "MKT",
      side: "ask",
      price: c(60),
      count: 200,
      timeInForce: "good_till_canceled",
    });
    engine.placeOrder({
      userId: b.userId,
      ticker: "MKT",
      side: "bid",
      price: c(60),
      count: 200,
      timeInForce: "immediate_or_cancel",
    });
    const store = marketData(state);
    expect(store.volume24h("MKT")).toBe(200);
    expect(store.candles("MKT").range(1, T0 - MIN, T0 + MIN)[0]?.priceClose).toBe(c(60));
  });
});

import { describe, expect, it } from "vitest";
import { isOnGrid } from "@/lib/price-grid";
import { ManualClock } from "@/server/sim/clock";
import { SimExchange } from "@/server/sim/exchange";
import { serializeMarket, serializeTrade } from "@/server/sim/http/serialize-market";
import { marketData } from "@/server/sim/market-data/market-data";
import { marketQuote } from "@/server/sim/market-quote";
import { seedInfo } from "@/server/sim/seed/seed-exchange";

const NOW = Date.UTC(2025, 7, 21, 17, 30, 0);
const DAY = 86_400_000;

function seeded(seed: number, now = NOW): SimExchange {
  return new SimExchange({ seed, clock: new ManualClock(now) });
}

function snapshot(exchange: SimExchange) {
  const { state } = exchange;
  return {
    markets: [...state.markets.values()].map((m) => serializeMarket(state, m)),
    trades: state.trades.map(serializeTrade),
    orders: [...state.orders.values()].map((o) => [
      o.orderId,
      o.ticker,
      o.side,
      o.price,
      o.remainingCount,
    ]),
  };
}

describe("seedExchange", () => {
  const exchange = seeded(42);
  const { state } = exchange;
  const markets = [...state.markets.values()];

  it("is deterministic for a seed and a clock, and differs across seeds", () => {
    expect(snapshot(seeded(42))).toEqual(snapshot(exchange));
    const other = snapshot(seeded(43));
    expect(other.markets.map((m) => m.yes_bid_dollars)).not.toEqual(
      snapshot(exchange).markets.map((m) => m.yes_bid_dollars),
    );
    expect(other.trades[0]?.trade_id).not.toBe(state.trades[0]?.tradeId);
  });

  it("lists series in every category with fees, tags and settlement sources", () => {
    const categories = new Set([...state.series.values()].map((s) => s.category));
    expect([...categories].sort()).toEqual([
      "Climate and Weather",
      "Crypto",
      "Economics",
      "Politics",
      "Sports",
    ]);
    for (const series of state.series.values()) {
      expect(series.tags.length).toBeGreaterThan(0);
      expect(series.settlementSources.length).toBeGreaterThan(0);
    }
    expect(state.series.get("KXBTC")?.feeMultiplier).toBe(0.5);
    expect(new Set([...state.series.values()].map((s) => s.feeType)).size).toBeGreaterThan(1);
  });

  it("builds weather brackets with tails and between strikes", () => {
    const today = [...state.events.values()].find(
      (e) =>
        e.seriesTicker === "KXHIGHNY" &&
        state.market(e.marketTickers[0] ?? "")?.status === "active",
    );
    expect(today?.marketTickers).toHaveLength(6);
    const ms = (today?.marketTickers ?? []).map((t) => state.market(t)!);
    expect(ms.map((m) => m.strikeType)).toEqual([
      "less",
      "between",
      "between",
      "between",
      "between",
      "greater",
    ]);
    expect(ms[1]?.ticker).toMatch(/^KXHIGHNY-25AUG2\d-B\d+\.5$/);
    expect(ms[1]!.capStrike! - ms[1]!.floorStrike!).toBe(1);
    expect(today?.mutuallyExclusive).toBe(true);
  });

  it("has markets in every lifecycle stage, with results on settled ones", () => {
    const statuses = new Set(markets.map((m) => m.status));
    for (const status of ["initialized", "active", "closed", "determined", "finalized"])
      expect(statuses).toContain(status);
    for (const m of markets) {
      if (m.status === "determined" || m.status === "finalized") {
        expect(["yes", "no"]).toContain(m.result);
        expect(m.settlementValue).toBe(m.result === "yes" ? 1_000_000 : 0);
        expect(m.determinationTime).not.toBeNull();
      } else {
        expect(m.result).toBe("");
      }
      if (m.status === "finalized") expect(m.settlementTime).not.toBeNull();
      if (m.status === "initialized") expect(m.openTime).toBeGreaterThan(NOW);
    }
    // Mutually exclusive settled events have exactly one winner.
    for (const event of state.events.values()) {
      const ms = event.marketTickers.map((t) => state.market(t)!);
      if (event.mutuallyExclusive && ms.every((m) => m.status === "finalized")) {
        expect(ms.filter((m) => m.result === "yes")).toHaveLength(1);
      }
    }
  });

  it("uses linear_cent, deci_cent and tapered_deci_cent grids, with fair values on them", () => {
    const structures = new Set(markets.map((m) => m.priceLevelStructure));
    for (const s of ["linear_cent", "deci_cent", "tapered_deci_cent"])
      expect(structures).toContain(s);
    for (const m of markets) expect(isOnGrid(m.fairValue, m.priceRanges)).toBe(true);
  });

  it("backfills days of trades in time order, with market totals to match", () => {
    expect(state.trades.length).toBeGreaterThan(10_000);
    for (let i = 1; i < state.trades.length; i += 1) {
      expect(state.trades[i]!.createdTime).toBeGreaterThanOrEqual(state.trades[i - 1]!.createdTime);
    }
    const weather = markets.find((m) => m.seriesTicker === "KXHIGHNY" && m.status === "active")!;
    const trades = state.tradesByMarket.get(weather.ticker) ?? [];
    expect(NOW - trades[0]!.createdTime).toBeGreaterThan(3 * DAY);
    expect(weather.volume).toBe(trades.reduce((s, t) => s + t.count, 0));
    expect(weather.lastPrice).toBe(trades[trades.length - 1]!.price);
    expect(weather.previousPrice).not.toBeNull();
    const cpi = markets.find((m) => m.seriesTicker === "KXCPI" && m.status === "active")!;
    expect(NOW - (state.tradesByMarket.get(cpi.ticker) ?? [])[0]!.createdTime).toBeGreaterThan(
      3 * DAY,
    );
    for (const m of markets)
      if (m.status === "initialized") expect(state.tradesByMarket.get(m.ticker)).toBeUndefined();
  });

  it("records candles at every resolution and a rolling 24h volume", () => {
    const m = markets.find((x) => x.seriesTicker === "KXFEDDECISION")!;
    const candles = marketData(state).candles(m.ticker);
    expect(candles.range(1, NOW - DAY, NOW).length).toBeGreaterThan(100);
    expect(candles.range(60, NOW - 3 * DAY, NOW).length).toBeGreaterThan(60);
    expect(candles.range(1440, NOW - 4 * DAY, NOW + DAY).length).toBeGreaterThanOrEqual(3);
    expect(marketData(state).volume24h(m.ticker)).toBeGreaterThan(0);
    expect(marketData(state).volume24h(m.ticker)).toBeLessThan(m.volume);
  });

  it("rests a market maker's ladder on every open market", () => {
    const info = seedInfo(state);
    expect(info).toBeDefined();
    expect(state.users.get(info!.makerUserId)?.isBot).toBe(true);
    const open = markets.filter((m) => m.status === "active");
    expect(info!.quotedTickers.sort()).toEqual(open.map((m) => m.ticker).sort());
    for (const m of open) {
      const book = state.book(m.ticker);
      const quote = marketQuote(state, m.ticker);
      expect(book.depth("bid").length + book.depth("ask").length).toBeGreaterThanOrEqual(5);
      expect(quote.yesAsk).toBeGreaterThan(quote.yesBid);
      if (quote.yesBid > 0) expect(quote.yesBid).toBeLessThanOrEqual(m.fairValue);
      if (quote.yesAsk < 1_000_000) expect(quote.yesAsk).toBeGreaterThanOrEqual(m.fairValue);
    }
    for (const m of markets.filter((x) => x.status !== "active")) {
      expect(state.books.get(m.ticker)?.bestBid()).toBeUndefined();
    }
  });

  it("keeps time-relative data current at any clock", () => {
    const winter = seeded(42, Date.UTC(2026, 0, 15, 3, 0, 0));
    const active = [...winter.state.markets.values()].filter((m) => m.status === "active");
    expect(active.length).toBeGreaterThan(20);
    for (const m of active) expect(m.closeTime).toBeGreaterThan(winter.state.now());
  });
});

describe("previous_* fields", () => {
  it("report the market as of 24 hours ago and roll with the clock", () => {
    const clock = new ManualClock(NOW);
    const exchange = new SimExchange({ seed: 5, clock });
    const { state } = exchange;
    const m = [...state.markets.values()].find(
      (x) => x.status === "active" && x.seriesTicker === "KXCPI",
    )!;
    const atSeed = serializeMarket(state, m);
    const before = (state.tradesByMarket.get(m.ticker) ?? []).filter(
      (t) => t.createdTime <= NOW - DAY,
    );
    expect(atSeed.previous_price_dollars).toBe(
      serializeTrade(before[before.length - 1]!).yes_price_dollars,
    );
    expect(m.previousPrice).toBe(before[before.length - 1]!.price);
    clock.advance(DAY / 2);
    const later = (state.tradesByMarket.get(m.ticker) ?? []).filter(
      (t) => t.createdTime <= NOW + DAY / 2 - DAY,
    );
    expect(serializeMarket(state, m).previous_price_dollars).toBe(
      serializeTrade(later[later.length - 1]!).yes_price_dollars,
    );
  });
});

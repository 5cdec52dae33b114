import { describe, expect, it } from "vitest";
import { ManualClock } from "@/server/sim/clock";
import { SimExchange } from "@/server/sim/exchange";
import type { MarketRecord } from "@/server/sim/model";
import { seedInfo } from "@/server/sim/seed/seed-exchange";
import type { SimState } from "@/server/sim/state";

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Wednesday 2026-06-10 10:30 EDT. */
const START = Date.UTC(2026, 5, 10, 14, 30);

function seeded(timeScale = 1) {
  const clock = new ManualClock(START);
  const exchange = new SimExchange({ seed: 21, clock, timeScale });
  const created: string[] = [];
  const events: string[] = [];
  const settled: string[] = [];
  exchange.state.bus.subscribe((event) => {
    if (event.kind === "event_lifecycle") events.push(event.eventTicker);
    if (event.kind === "market_lifecycle" && event.eventType === "created")
      created.push(event.ticker);
    if (event.kind === "market_lifecycle" && event.eventType === "settled")
      settled.push(event.ticker);
  });
  return { clock, exchange, state: exchange.state, created, events, settled };
}

function openMarkets(state: SimState, seriesTicker: string): MarketRecord[] {
  const now = state.now();
  return [...state.markets.values()].filter(
    (m) =>
      m.seriesTicker === seriesTicker &&
      m.status === "active" &&
      now >= m.openTime &&
      now < m.closeTime,
  );
}

describe("rolling generation of recurring series", () => {
  it("keeps KXBTC and KXHIGHNY listed with open markets for two days, announcing each new event", () => {
    const { clock, exchange, state, created, events } = seeded();
    const btcBefore = new Set(
      [...state.events.values()]
        .filter((e) => e.seriesTicker === "KXBTC")
        .map((e) => e.eventTicker),
    );
    for (let t = 0; t < 48 * 60; t += 5) {
      clock.set(START + t * MINUTE);
      exchange.tick();
      expect(openMarkets(state, "KXBTC").length, `KXBTC at +${t} min`).toBeGreaterThan(0);
      expect(openMarkets(state, "KXHIGHNY").length, `KXHIGHNY at +${t} min`).toBeGreaterThan(0);
    }
    const btcEvents = [...state.events.values()].filter(
      (e) => e.seriesTicker === "KXBTC" && !btcBefore.has(e.eventTicker),
    );
    // One fixing an hour: 48 hours of new events (each listed three hours ahead).
    expect(btcEvents.length).toBe(48);
    expect(btcEvents[0]!.eventTicker).toBe("KXBTC-26JUN1014");
    expect(btcEvents.map((e) => e.strikeDate! - btcEvents[0]!.strikeDate!)).toEqual(
      btcEvents.map((_, i) => i * HOUR),
    );
    const weatherEvents = [...state.events.values()]
      .filter((e) => e.seriesTicker === "KXHIGHNY")
      .map((e) => e.eventTicker);
    // Today and the next two days stay listed: the days after the seed's last (Jun 12) were added.
    expect(weatherEvents.slice(-2)).toEqual(["KXHIGHNY-26JUN13", "KXHIGHNY-26JUN14"]);

    // Every new event was announced, then each of its markets.
    const newEvents = [
      ...btcEvents.map((e) => e.eventTicker),
      "KXHIGHNY-26JUN13",
      "KXHIGHNY-26JUN14",
    ];
    expect(new Set(events)).toEqual(new Set(newEvents));
    const newMarkets = newEvents.flatMap((e) => state.events.get(e)!.marketTickers);
    expect(new Set(created)).toEqual(new Set(newMarkets));
    expect(created).toHaveLength(newMarkets.length);

    // Generated markets opened with the seed maker's ladder on both sides.
    const maker = seedInfo(state)!.makerUserId;
    for (const market of openMarkets(state, "KXBTC")) {
      const book = state.book(market.ticker);
      expect(book.bestBid()?.orders[0]?.userId ?? maker).toBe(maker);
      expect(book.bestBid(), market.ticker).toBeDefined();
      expect(book.bestAsk(), market.ticker).toBeDefined();
    }
    // Past events went all the way: every KXBTC event closed over 3 hours ago is finalized with one yes.
    const now = state.now();
    for (const event of btcEvents.filter((e) => e.strikeDate! < now - 3 * HOUR)) {
      const markets = event.marketTickers.map((t) => state.market(t)!);
      expect(
        markets.every((m) => m.status === "finalized"),
        event.eventTicker,
      ).toBe(true);
      expect(
        markets.filter((m) => m.result === "yes"),
        event.eventTicker,
      ).toHaveLength(1);
    }
  });

  it("with a time scale lists minute-long KXBTC fixings that close, determine and settle within minutes", () => {
    const { clock, exchange, state, settled } = seeded(60);
    exchange.tick();
    const compressed = [...state.events.values()].filter((e) =>
      /^KXBTC-26JUN10\d{4}$/.test(e.eventTicker),
    );
    expect(compressed.map((e) => e.eventTicker)).toEqual([
      "KXBTC-26JUN101031",
      "KXBTC-26JUN101032",
      "KXBTC-26JUN101033",
    ]);
    const first = state.market(compressed[0]!.marketTickers[0]!)!;
    expect(first.status).toBe("active");
    expect(first.closeTime).toBe(START + MINUTE);

    for (let t = 0; t <= 4 * 60; t += 1) {
      clock.set(START + t * 1000);
      exchange.tick();
    }
    // Closed at +1 min, determined 5 s later (5 min / 60), finalized 5 s after that (300 s / 60).
    expect(first.status).toBe("finalized");
    expect(first.determinationTime).toBe(START + MINUTE + 5_000);
    expect(first.settlementTime).toBe(START + MINUTE + 10_000);
    expect(settled).toEqual(expect.arrayContaining(compressed[0]!.marketTickers));
    expect(openMarkets(state, "KXBTC").some((m) => /^KXBTC-26JUN10\d{4}-/.test(m.ticker))).toBe(
      true,
    );
  });

  it("resumes from now after the clock jumps, without back-filling missed fixings", () => {
    const { clock, exchange, state } = seeded();
    exchange.tick();
    clock.set(START + 10 * 24 * HOUR);
    exchange.tick();
    expect(openMarkets(state, "KXBTC").length).toBeGreaterThan(0);
    expect(openMarkets(state, "KXHIGHNY").length).toBeGreaterThan(0);
    const jumped = [...state.events.values()].filter(
      (e) => e.seriesTicker === "KXBTC" && e.strikeDate! > START + 5 * HOUR,
    );
    expect(jumped.map((e) => e.strikeDate! - (START + 10 * 24 * HOUR))).toEqual([
      30 * MINUTE,
      90 * MINUTE,
      150 * MINUTE,
    ]);
  });
});

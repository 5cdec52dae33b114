/**
 * Combos on a ManualClock: leg validation with the documented 400/404
 * errors (nothing created on a refusal), one market per set of legs whatever
 * their order, trading through an RFQ, and settlement from the legs.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { ONE_DOLLAR } from "@/lib/fixed-point";
import type { ManualClock } from "@/server/sim/clock";
import type { CollectionRecord, ComboLeg } from "@/server/sim/combos/combo-model";
import { comboStore, type ComboStore } from "@/server/sim/combos/combo-store";
import type { SimExchange } from "@/server/sim/exchange";
import { advanceLifecycle } from "@/server/sim/lifecycle/market-lifecycle";
import { closeMarket, determineMarket } from "@/server/sim/lifecycle/transitions";
import type { MarketRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";
import {
  addMarket,
  addUser,
  catchSimError,
  makeEngineExchange,
  makeSeries,
} from "@/server/sim/testing/engine-fixtures";

const HOUR = 3_600_000;
let exchange: SimExchange;
let state: SimState;
let clock: ManualClock;
let store: ComboStore;
let game: MarketRecord;
let gameOther: MarketRecord;
let rain: MarketRecord;
let cpi: MarketRecord;

function collection(overrides: Partial<CollectionRecord> = {}): CollectionRecord {
  return {
    collectionTicker: "KXMVETEST",
    seriesTicker: "KXMVETEST",
    title: "Test combos",
    description: "",
    openDate: state.now(),
    closeDate: state.now() + 10 * 24 * HOUR,
    associatedEvents: [
      { ticker: "KXGAME-1", isYesOnly: false, sizeMax: 1, sizeMin: null },
      { ticker: "KXRAIN-1", isYesOnly: true, sizeMax: 1, sizeMin: null },
    ],
    isOrdered: false,
    sizeMin: 2,
    sizeMax: 2,
    functionalDescription: "",
    ...overrides,
  };
}

const leg = (market: MarketRecord, side: "yes" | "no"): ComboLeg => ({
  marketTicker: market.ticker,
  eventTicker: market.eventTicker,
  side,
});

beforeEach(() => {
  ({ exchange, state, clock } = makeEngineExchange());
  game = addMarket(state, {
    ticker: "KXGAME-1-A",
    eventTicker: "KXGAME-1",
    seriesTicker: "KXGAME",
    fairValue: 600_000,
  });
  gameOther = addMarket(state, {
    ticker: "KXGAME-1-B",
    eventTicker: "KXGAME-1",
    seriesTicker: "KXGAME",
    fairValue: 400_000,
  });
  rain = addMarket(state, {
    ticker: "KXRAIN-1-Y",
    eventTicker: "KXRAIN-1",
    seriesTicker: "KXRAIN",
    fairValue: 500_000,
    closeTime: state.now() + 2 * HOUR,
    expectedExpirationTime: state.now() + 3 * HOUR,
  });
  cpi = addMarket(state, { ticker: "KXCPI-1-T3", eventTicker: "KXCPI-1", seriesTicker: "KXCPI" });
  store = comboStore(state);
  store.addCollection(collection(), makeSeries({ ticker: "KXMVETEST", category: "Sports" }));
});

describe("creating a combo", () => {
  it("lists one market for the legs, priced as independent legs, closing with the first leg", () => {
    const combo = store.createOrFind("KXMVETEST", [leg(game, "no"), leg(rain, "yes")]);
    const market = state.market(combo.marketTicker);
    expect(combo.marketTicker.startsWith("KXMVETEST-S")).toBe(true);
    expect(market?.status).toBe("active");
    expect(market?.eventTicker).toBe(combo.eventTicker);
    // (1 − 0.60) × 0.50
    expect(market?.fairValue).toBe(200_000);
    expect(market?.closeTime).toBe(rain.closeTime);
    expect(combo.legs.map((l) => l.marketTicker)).toEqual([game.ticker, rain.ticker]);
  });

  it("finds the same market for the same legs in any order, and a new one for other sides", () => {
    const a = store.createOrFind("KXMVETEST", [leg(game, "yes"), leg(rain, "yes")]);
    const b = store.createOrFind("KXMVETEST", [leg(rain, "yes"), leg(game, "yes")]);
    const c = store.createOrFind("KXMVETEST", [leg(game, "no"), leg(rain, "yes")]);
    expect(b.marketTicker).toBe(a.marketTicker);
    expect(c.marketTicker).not.toBe(a.marketTicker);
    expect(store.combos.size).toBe(2);
    expect(store.lookup("KXMVETEST", [leg(rain, "yes"), leg(game, "yes")]).marketTicker).toBe(
      a.marketTicker,
    );
  });

  it.each([
    ["too few legs", () => [leg(game, "yes")], "takes 2 to 2 legs"],
    [
      "an event outside the collection",
      () => [leg(game, "yes"), leg(cpi, "yes")],
      "not an event of collection",
    ],
    [
      "two markets of one event",
      () => [leg(game, "yes"), leg(gameOther, "yes")],
      "at most 1 leg(s)",
    ],
    [
      "a no leg on a yes-only event",
      () => [leg(game, "yes"), leg(rain, "no")],
      "takes only the yes side",
    ],
    [
      "a market that is not in the named event",
      () => [leg(game, "yes"), { ...leg(cpi, "yes"), eventTicker: "KXRAIN-1" }],
      "is not a market of event KXRAIN-1",
    ],
  ])("refuses %s with 400 and creates nothing", (_name, legs, message) => {
    const marketsBefore = state.markets.size;
    const eventsBefore = state.events.size;
    const error = catchSimError(() => store.createOrFind("KXMVETEST", legs()));
    expect(error.status).toBe(400);
    expect(error.code).toBe("invalid_parameters");
    expect(error.message).toContain(message);
    expect(state.markets.size).toBe(marketsBefore);
    expect(state.events.size).toBe(eventsBefore);
    expect(store.combos.size).toBe(0);
  });

  it("refuses two markets of one event when the event allows one", () => {
    store.addCollection(
      collection({ collectionTicker: "KXMVEWIDE", sizeMax: 3 }),
      makeSeries({ ticker: "KXMVETEST" }),
    );
    const error = catchSimError(() =>
      store.createOrFind("KXMVEWIDE", [leg(game, "yes"), leg(gameOther, "no"), leg(rain, "yes")]),
    );
    expect(error.message).toContain("at most 1 leg(s) from event KXGAME-1");
    expect(store.combos.size).toBe(0);
  });

  it("answers 404 for an unknown collection and for a lookup of legs never created", () => {
    expect(catchSimError(() => store.createOrFind("KXMVENOPE", [])).status).toBe(404);
    const error = catchSimError(() =>
      store.lookup("KXMVETEST", [leg(game, "yes"), leg(rain, "yes")]),
    );
    expect(error.status).toBe(404);
  });

  it("refuses a leg whose market no longer trades (409-free: MARKET_INACTIVE) and a closed collection", () => {
    closeMarket(exchange, rain);
    const inactive = catchSimError(() =>
      store.createOrFind("KXMVETEST", [leg(game, "yes"), leg(rain, "yes")]),
    );
    expect(inactive.code).toBe("MARKET_INACTIVE");
    clock.advance(11 * 24 * HOUR);
    const closed = catchSimError(() =>
      store.createOrFind("KXMVETEST", [leg(game, "yes"), leg(rain, "yes")]),
    );
    expect(closed.message).toContain("is closed");
    expect(store.combos.size).toBe(0);
  });
});

describe("settlement from the legs", () => {
  function settleLeg(market: MarketRecord, yes: boolean): void {
    if (market.status === "active") closeMarket(exchange, market);
    determineMarket(exchange, market, {
      result: yes ? "yes" : "no",
      settlementValue: yes ? ONE_DOLLAR : 0,
    });
  }

  it("resolves yes when every leg comes true, and pays the holder $1 a contract", () => {
    game.closeTime += 60 * 24 * HOUR;
    const combo = store.createOrFind("KXMVETEST", [leg(game, "no"), leg(rain, "yes")]);
    const market = state.market(combo.marketTicker) as MarketRecord;
    const holder = addUser(state, 10_000);
    state.position(holder.userId, 0, market.ticker).position = 300; // 3 YES contracts
    clock.advance(2 * HOUR + 1);
    advanceLifecycle(exchange);
    expect(market.status).toBe("closed");
    settleLeg(rain, true);
    clock.advance(market.expectedExpirationTime - state.now() + 1);
    advanceLifecycle(exchange);
    // The game leg is still undecided: the combo waits instead of drawing an outcome.
    expect(game.result).toBe("");
    expect(market.status).toBe("closed");
    settleLeg(game, false);
    clock.advance(2_000);
    advanceLifecycle(exchange);
    expect(market.result).toBe("yes");
    expect(market.settlementValue).toBe(ONE_DOLLAR);
    const before = state.balance(holder, 0);
    clock.advance(market.settlementTimerSeconds * 1000 + 1);
    advanceLifecycle(exchange);
    expect(market.status).toBe("finalized");
    expect(state.balance(holder, 0) - before).toBe(3 * ONE_DOLLAR);
  });

  it("resolves no as soon as one leg fails, even with another undecided", () => {
    // The game trades on well past the combo's determination time.
    game.closeTime += 60 * 24 * HOUR;
    const combo = store.createOrFind("KXMVETEST", [leg(game, "yes"), leg(rain, "yes")]);
    const market = state.market(combo.marketTicker) as MarketRecord;
    settleLeg(rain, false);
    clock.advance(market.expectedExpirationTime - state.now() + 61_000);
    advanceLifecycle(exchange);
    expect(game.result).toBe("");
    expect(market.result).toBe("no");
    expect(market.settlementValue).toBe(0);
  });
});

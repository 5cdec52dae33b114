/**
 * Fixture builders for matching-engine tests and benchmarks: an empty
 * exchange on a manual clock, series and market records with sensible
 * defaults, and funded users. Nothing here touches seed data, so every number
 * a test sees comes from the records it built.
 */
import { centsToMicros, type Micros } from "@/lib/fixed-point";
import { priceRangesFor } from "@/lib/price-grid";
import { createAccount } from "@/server/sim/accounts";
import { ManualClock } from "@/server/sim/clock";
import { SimError } from "@/server/sim/errors";
import { SimExchange } from "@/server/sim/exchange";
import type { MarketRecord, SeriesRecord, UserRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";

/** 2026-01-01T00:00:00Z: a fixed start so timestamps in tests are stable. */
export const FIXTURE_START_MS = Date.UTC(2026, 0, 1);
/** Markets built here close 30 days after the fixture start unless told otherwise. */
const DEFAULT_OPEN_DAYS = 30;
const DAY_MS = 86_400_000;

export interface EngineFixture {
  exchange: SimExchange;
  state: SimState;
  clock: ManualClock;
}

/** An empty exchange (no seed data) on a manual clock. */
export function makeEngineExchange(
  options: { seed?: number; startMs?: number } = {},
): EngineFixture {
  const clock = new ManualClock(options.startMs ?? FIXTURE_START_MS);
  const exchange = new SimExchange({ seed: options.seed ?? 1, clock, seedData: false });
  return { exchange, state: exchange.state, clock };
}

/** A series record; defaults to Kalshi's plain `quadratic` fees with multiplier 1. */
export function makeSeries(overrides: Partial<SeriesRecord> = {}): SeriesRecord {
  return {
    ticker: "KXTEST",
    title: "Test series",
    category: "Testing",
    tags: [],
    frequency: "daily",
    feeType: "quadratic",
    feeMultiplier: 1,
    settlementSources: [],
    contractUrl: "",
    contractTermsUrl: "",
    additionalProhibitions: [],
    ...overrides,
  };
}

/**
 * A binary market record, active, on `linear_cent` unless
 * `priceLevelStructure` says otherwise (its `priceRanges` follow the name).
 */
export function makeMarket(
  overrides: Partial<MarketRecord> & { nowMs?: number } = {},
): MarketRecord {
  const { nowMs = FIXTURE_START_MS, ...rest } = overrides;
  const structure = rest.priceLevelStructure ?? "linear_cent";
  const seriesTicker = rest.seriesTicker ?? "KXTEST";
  const eventTicker = rest.eventTicker ?? `${seriesTicker}-26JAN01`;
  const ticker = rest.ticker ?? `${eventTicker}-T50`;
  return {
    ticker,
    eventTicker,
    seriesTicker,
    marketId: `${ticker}-id`,
    marketType: "binary",
    title: `Test market ${ticker}`,
    subtitle: "",
    yesSubTitle: "Yes",
    noSubTitle: "No",
    rulesPrimary: "",
    rulesSecondary: "",
    createdTime: nowMs,
    updatedTime: nowMs,
    openTime: nowMs,
    closeTime: nowMs + DEFAULT_OPEN_DAYS * DAY_MS,
    expectedExpirationTime: nowMs + (DEFAULT_OPEN_DAYS + 1) * DAY_MS,
    latestExpirationTime: nowMs + (DEFAULT_OPEN_DAYS + 7) * DAY_MS,
    settlementTimerSeconds: 300,
    status: "active",
    result: "",
    settlementValue: null,
    determinationTime: null,
    settlementTime: null,
    canCloseEarly: false,
    strikeType: "greater",
    floorStrike: 50,
    capStrike: null,
    priceLevelStructure: structure,
    priceRanges: priceRangesFor(structure),
    fairValue: 500_000,
    lastPrice: null,
    previousPrice: null,
    previousYesBid: null,
    previousYesAsk: null,
    volume: 0,
    dollarVolume: 0,
    openInterest: 0,
    notionalValue: 1_000_000,
    exchangeIndex: 0,
    ...rest,
  };
}

/** Inserts a series (unless one with that ticker exists) and a market built from `overrides`. */
export function addMarket(
  state: SimState,
  overrides: Partial<MarketRecord> = {},
  series: Partial<SeriesRecord> = {},
): MarketRecord {
  const market = makeMarket({ nowMs: state.now(), ...overrides });
  if (!state.series.has(market.seriesTicker)) {
    state.series.set(market.seriesTicker, makeSeries({ ticker: market.seriesTicker, ...series }));
  }
  state.markets.set(market.ticker, market);
  return market;
}

/** A funded (non-direct unless told) user. */
export function addUser(
  state: SimState,
  balanceCents: number,
  options: { directMember?: boolean; isBot?: boolean } = {},
): UserRecord {
  return createAccount(state, { balanceCents, ...options });
}

/** Free cash of a user's primary subaccount, micro-dollars. */
export function cashOf(state: SimState, user: UserRecord, subaccount = 0): Micros {
  return state.balance(user, subaccount);
}

/** Dollars to micro-dollars for readable expectations ("$12.34" → 12_340_000). */
export function usd(dollars: string): Micros {
  const negative = dollars.startsWith("-");
  const body = negative ? dollars.slice(1) : dollars;
  const [whole = "0", frac = ""] = body.split(".");
  const micros = Number(whole) * 1_000_000 + Number(frac.padEnd(6, "0"));
  return negative ? -micros : micros;
}

/** Whole dollars to micro-dollars via cents (keeps call sites integer-only). */
export function dollars(whole: number): Micros {
  return centsToMicros(whole * 100);
}

/**
 * Runs `fn` and returns the SimError it throws; throws itself when `fn`
 * succeeds or throws something else (so a test that expects a rejection fails
 * loudly when there is none).
 */
export function catchSimError(fn: () => unknown): SimError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SimError) return error;
    throw error;
  }
  throw new Error("expected a SimError, but the call succeeded");
}

/** Everything a rejected request must leave untouched, in a comparable shape. */
export interface EngineSnapshot {
  balances: Array<[string, Array<[number, Micros]>]>;
  books: Array<[string, { bids: Array<[Micros, number]>; asks: Array<[Micros, number]> }]>;
  orders: Array<[string, string]>;
  clientOrderIds: Array<[string, string]>;
  resting: Array<[string, string[]]>;
  positions: Array<[string, string]>;
  fills: number;
  trades: number;
  markets: Array<[string, string]>;
}

/**
 * A deep, order-stable copy of the engine-visible state. `orders: "count"`
 * copies only the number of orders (they are never deleted, so copying every
 * one on every step of a long random run is quadratic).
 */
export function snapshotEngine(
  state: SimState,
  options: { orders?: "all" | "count" } = {},
): EngineSnapshot {
  return {
    balances: [...state.users.values()].map((u) => [u.userId, [...u.balances.entries()]]),
    // Books are created lazily on first look; an empty one is not a change.
    books: [...state.books.entries()]
      .map(
        ([ticker, book]): [
          string,
          { bids: Array<[Micros, number]>; asks: Array<[Micros, number]> },
        ] => [ticker, { bids: book.depth("bid"), asks: book.depth("ask") }],
      )
      .filter(([, b]) => b.bids.length > 0 || b.asks.length > 0),
    orders:
      options.orders === "count"
        ? [["count", String(state.orders.size)]]
        : [...state.orders.entries()].map(([id, order]) => [id, JSON.stringify(order)]),
    clientOrderIds: [...state.clientOrderIds.entries()],
    resting: [...state.restingByMarket.entries()].map(([ticker, set]) => [
      ticker,
      [...set].map((o) => o.orderId).sort(),
    ]),
    positions: [...state.positions.entries()].map(([key, p]) => [key, JSON.stringify(p)]),
    fills: state.fills.length,
    trades: state.trades.length,
    markets: [...state.markets.entries()].map(([ticker, m]) => [ticker, JSON.stringify(m)]),
  };
}

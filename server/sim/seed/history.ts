/**
 * Seeded trading history: for each market that has been open, a few days of
 * trades and best bid/ask samples, written straight into the trade log and
 * the candle store with past timestamps (running the matching engine over
 * days of history would be far too slow for start-up).
 *
 * Fair value follows a random walk in log-odds, bridged so it ends exactly on
 * the market's current fair value (or near 0/1 for settled markets). Quotes
 * sit a spread around it; each trade lifts the ask or hits the bid. Trade
 * gaps are exponential, so activity looks bursty rather than clockwork.
 */
import { notional, ONE_CONTRACT, type Centis, type Micros } from "@/lib/fixed-point";
import { snapToGrid, type PriceRange } from "@/lib/price-grid";
import { marketData } from "@/server/sim/market-data/market-data";
import type { BookSide, TradeRecord } from "@/server/sim/model";
import type { SeededRandom } from "@/server/sim/random";
import type { BackfillPlan } from "@/server/sim/seed/builders";
import { DAY_MS, HOUR_MS } from "@/server/sim/seed/calendar";
import { gridBounds, logit, probabilityToPrice, sigmoid } from "@/server/sim/seed/probability";
import type { SimState } from "@/server/sim/state";

export interface Quote {
  bid: Micros;
  ask: Micros;
}

/**
 * A two-sided quote around `fair`: half-spread ≈ 2% of the binary's standard
 * deviation (1¢ at 50¢, tighter in the tails), within [tick, 1¢], on grid.
 */
export function quoteAround(
  fair: Micros,
  ranges: readonly PriceRange[],
  bounds: { min: Micros; max: Micros } = gridBounds(ranges),
): Quote {
  const { min, max } = bounds;
  const p = fair / 1_000_000;
  const half = Math.round(
    Math.min(Math.max(0.02 * Math.sqrt(p * (1 - p)), 0.002), 0.01) * 1_000_000,
  );
  let bid = snapToGrid(Math.max(fair - half, min), ranges, "down") ?? min;
  let ask = snapToGrid(Math.min(fair + half, max), ranges, "up") ?? max;
  if (bid >= ask) {
    // Pinned at an edge of the grid: keep one tick between them.
    if (ask < max) ask = snapToGrid(bid + 1, ranges, "up") ?? max;
    else bid = snapToGrid(ask - 1, ranges, "down") ?? min;
  }
  return { bid, ask };
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, "0");
}

/**
 * A version-4-shaped UUID from four draws of the seeded generator: as
 * deterministic as `state.newId()` and several times cheaper, which matters
 * for tens of thousands of historical trade ids.
 */
export function fastUuid(random: SeededRandom): string {
  const a = Math.floor(random.next() * 0x100000000);
  const b = Math.floor(random.next() * 0x100000000);
  const c = Math.floor(random.next() * 0x100000000);
  const d = Math.floor(random.next() * 0x100000000);
  const h =
    hex8(a) + hex8((b & 0xffff0fff) | 0x4000) + hex8((c & 0x3fffffff) | 0x80000000) + hex8(d);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A trade size: mostly whole contracts, heavy-tailed, now and then fractional. */
function tradeSize(random: SeededRandom): Centis {
  const contracts = Math.max(1, Math.round(-Math.log(1 - random.next()) * 35));
  if (random.chance(0.12)) return contracts * ONE_CONTRACT + random.int(1, 99);
  return contracts * ONE_CONTRACT;
}

/**
 * Backfills every plan. Trades go into `state.trades` in global time order
 * (the trade list is newest-last across all markets), candles per market.
 */
export function backfillHistory(state: SimState, plans: readonly BackfillPlan[]): void {
  const store = marketData(state);
  const all: TradeRecord[] = [];
  for (const plan of plans) backfillMarket(state, plan, all, store);
  // Stable sort keeps each market's own order for equal timestamps.
  all.sort((a, b) => a.createdTime - b.createdTime);
  for (const trade of all) state.recordTrade(trade);
}

function backfillMarket(
  state: SimState,
  plan: BackfillPlan,
  out: TradeRecord[],
  store: ReturnType<typeof marketData>,
): void {
  const { random } = state;
  const { market } = plan;
  const ranges = market.priceRanges;
  const bounds = gridBounds(ranges);
  const now = state.now();
  const dayAgo = now - DAY_MS;

  const times: number[] = [];
  for (let t = plan.startMs + random.next() * plan.meanGapMs; t < plan.endMs;) {
    times.push(Math.floor(t));
    t += -Math.log(1 - random.next()) * plan.meanGapMs;
  }
  if (times.length === 0) return;

  // Log-odds walk from somewhere near the target, bridged to end on it.
  const target = logit(plan.targetProbability);
  const walk: number[] = [];
  let x = target + random.gaussian() * 0.6;
  let prev = times[0] as number;
  for (const t of times) {
    x += plan.volatility * Math.sqrt((t - prev) / HOUR_MS) * random.gaussian();
    walk.push(x);
    prev = t;
  }
  const first = times[0] as number;
  const span = Math.max((times[times.length - 1] as number) - first, 1);
  const miss = target - (walk[walk.length - 1] as number);

  let openInterest: Centis = 0;
  let volume: Centis = 0;
  let dollarVolume: Micros = 0;
  let lastPrice: Micros | null = null;
  for (let i = 0; i < times.length; i += 1) {
    const t = times[i] as number;
    const fair = probabilityToPrice(
      sigmoid((walk[i] as number) + (miss * (t - first)) / span),
      ranges,
      bounds,
    );
    const quote = quoteAround(fair, ranges, bounds);
    const takerSide: BookSide = random.chance(0.5) ? "bid" : "ask";
    // A taker buying YES lifts the ask; one selling YES hits the bid.
    const price = takerSide === "bid" ? quote.ask : quote.bid;
    const block = random.chance(0.003);
    const count = block ? random.int(500, 2000) * ONE_CONTRACT : tradeSize(random);

    const roll = random.next();
    if (roll < 0.55) openInterest += count;
    else if (roll < 0.75 && openInterest >= count) openInterest -= count;

    store.recordQuote(market.ticker, t, quote.bid, quote.ask, openInterest);
    const trade: TradeRecord = {
      tradeId: fastUuid(random),
      ticker: market.ticker,
      price,
      count,
      takerSide,
      isBlockTrade: block,
      createdTime: t,
      seq: -1, // numbered by recordTrade (in time order, after the sort)
    };
    store.recordTrade(trade, openInterest);
    out.push(trade);

    volume += count;
    dollarVolume += notional(price, count);
    lastPrice = price;
    if (t <= dayAgo) {
      market.previousPrice = price;
      market.previousYesBid = quote.bid;
      market.previousYesAsk = quote.ask;
    }
  }
  market.lastPrice = lastPrice;
  market.volume = volume;
  market.dollarVolume = dollarVolume;
  market.openInterest = openInterest;
  if (market.status === "active")
    market.fairValue = probabilityToPrice(plan.targetProbability, ranges);
  else if (lastPrice !== null) market.fairValue = lastPrice;
}

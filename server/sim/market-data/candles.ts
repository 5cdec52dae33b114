/**
 * Candlesticks for one market, kept incrementally at 1-minute, 1-hour and
 * 1-day resolution (Kalshi's `period_interval` 1, 60, 1440).
 *
 * A candle exists for every period in which something happened: a trade, or
 * a change of the best YES bid/ask. Periods where nothing happened have no
 * candle (the endpoint's `include_latest_before_start` option exists exactly
 * to bridge such gaps). Within a candle:
 *
 * - `yes_bid` / `yes_ask` OHLC: open is the value carried in from before the
 *   period, close the value at its end; they always have values.
 * - `price` OHLC, mean: trades inside the period, null when none traded;
 *   `previous` is the last trade price before the period (null if none ever).
 * - volume: contracts traded in the period; open interest: at the period's end.
 *
 * Periods are aligned to the Unix epoch (days end at 00:00 UTC) and labelled
 * by their inclusive end, `end_period_ts`: an event at exactly 12:00:00.000
 * belongs to the candle ending 12:00, one at 12:00:00.001 to the one ending 12:01.
 *
 * Updates are O(1) per event (events arrive in time order); queries binary
 * search the sorted bucket arrays.
 */
import type { Centis, Micros } from "@/lib/fixed-point";

/** Supported candle lengths, in minutes. */
export const CANDLE_PERIODS = [1, 60, 1440] as const;
export type CandlePeriod = (typeof CANDLE_PERIODS)[number];

export function isCandlePeriod(value: number): value is CandlePeriod {
  return (CANDLE_PERIODS as readonly number[]).includes(value);
}

/** One period's aggregate, in micro-dollars and centi-contracts. */
export interface Candle {
  /** Inclusive end of the period, epoch ms. */
  endMs: number;
  bidOpen: Micros;
  bidLow: Micros;
  bidHigh: Micros;
  bidClose: Micros;
  askOpen: Micros;
  askLow: Micros;
  askHigh: Micros;
  askClose: Micros;
  /** Null when nothing traded in the period. */
  priceOpen: Micros | null;
  priceLow: Micros | null;
  priceHigh: Micros | null;
  priceClose: Micros | null;
  /** Σ price × count (micro-dollars × centi-contracts), for the volume-weighted mean. */
  priceVolumeSum: number;
  /** Last trade price before the period, or null when there was none. */
  previousPrice: Micros | null;
  volume: Centis;
  /** Open interest at the end of the period. */
  openInterest: Centis;
}

/** The market's running state, carried from one candle into the next. */
interface Carried {
  bid: Micros;
  ask: Micros;
  lastPrice: Micros | null;
  openInterest: Centis;
}

const MINUTE_MS = 60_000;

/** End of the period (inclusive) that contains `tMs`. */
export function periodEnd(tMs: number, period: CandlePeriod): number {
  const length = period * MINUTE_MS;
  return Math.ceil(tMs / length) * length;
}

/** Volume-weighted mean trade price of a candle, rounded to the micro-dollar, or null. */
export function candleMean(candle: Candle): Micros | null {
  return candle.volume > 0 ? Math.round(candle.priceVolumeSum / candle.volume) : null;
}

export class PeriodSeries {
  readonly buckets: Candle[] = [];

  constructor(readonly period: CandlePeriod) {}

  /** The bucket `tMs` falls into, opened from `carried` when it is new. */
  bucketAt(tMs: number, carried: Carried | null, fresh: Carried): Candle {
    const endMs = periodEnd(tMs, this.period);
    const last = this.buckets[this.buckets.length - 1];
    // Events arrive in time order; a late one (clock set back in a test) joins the newest bucket.
    if (last && last.endMs >= endMs) return last;
    const from = carried ?? fresh;
    const bucket: Candle = {
      endMs,
      bidOpen: from.bid,
      bidLow: from.bid,
      bidHigh: from.bid,
      bidClose: from.bid,
      askOpen: from.ask,
      askLow: from.ask,
      askHigh: from.ask,
      askClose: from.ask,
      priceOpen: null,
      priceLow: null,
      priceHigh: null,
      priceClose: null,
      priceVolumeSum: 0,
      previousPrice: from.lastPrice,
      volume: 0,
      openInterest: from.openInterest,
    };
    this.buckets.push(bucket);
    return bucket;
  }

  /** Index of the first bucket with endMs ≥ ms. */
  lowerBound(ms: number): number {
    let lo = 0;
    let hi = this.buckets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.buckets[mid] as Candle).endMs < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** All candle resolutions of one market. */
export class MarketCandles {
  private carried: Carried | null = null;
  private readonly series: Record<CandlePeriod, PeriodSeries> = {
    1: new PeriodSeries(1),
    60: new PeriodSeries(60),
    1440: new PeriodSeries(1440),
  };

  /** Last known best bid/ask (null before the first event). */
  get lastQuote(): { bid: Micros; ask: Micros } | null {
    return this.carried ? { bid: this.carried.bid, ask: this.carried.ask } : null;
  }

  /**
   * The best YES bid/ask changed (or was observed) at `tMs`. Does nothing when
   * the quote is unchanged, so repeated ticker notifications cost no memory.
   */
  recordQuote(tMs: number, bid: Micros, ask: Micros, openInterest?: Centis): void {
    const before = this.carried;
    if (before && before.bid === bid && before.ask === ask) return;
    const next: Carried = {
      bid,
      ask,
      lastPrice: before?.lastPrice ?? null,
      openInterest: openInterest ?? before?.openInterest ?? 0,
    };
    for (const period of CANDLE_PERIODS) {
      const bucket = this.series[period].bucketAt(tMs, before, next);
      bucket.bidClose = bid;
      bucket.askClose = ask;
      if (bid < bucket.bidLow) bucket.bidLow = bid;
      if (bid > bucket.bidHigh) bucket.bidHigh = bid;
      if (ask < bucket.askLow) bucket.askLow = ask;
      if (ask > bucket.askHigh) bucket.askHigh = ask;
      bucket.openInterest = next.openInterest;
    }
    this.carried = next;
  }

  /** A trade at `tMs`; `openInterest` is the market's open interest right after it. */
  recordTrade(tMs: number, price: Micros, count: Centis, openInterest: Centis): void {
    const before = this.carried;
    // A market's first-ever event may be a trade: open the books at an empty quote.
    const next: Carried = {
      bid: before?.bid ?? 0,
      ask: before?.ask ?? 1_000_000,
      lastPrice: price,
      openInterest,
    };
    for (const period of CANDLE_PERIODS) {
      const bucket = this.series[period].bucketAt(tMs, before, next);
      if (bucket.priceOpen === null) bucket.priceOpen = price;
      if (bucket.priceLow === null || price < bucket.priceLow) bucket.priceLow = price;
      if (bucket.priceHigh === null || price > bucket.priceHigh) bucket.priceHigh = price;
      bucket.priceClose = price;
      bucket.priceVolumeSum += price * count;
      bucket.volume += count;
      bucket.openInterest = openInterest;
    }
    this.carried = next;
  }

  /** Candles whose end lies in [startMs, endMs], oldest first (the live objects: do not mutate). */
  range(period: CandlePeriod, startMs: number, endMs: number): Candle[] {
    const series = this.series[period];
    const out: Candle[] = [];
    for (let i = series.lowerBound(startMs); i < series.buckets.length; i += 1) {
      const bucket = series.buckets[i] as Candle;
      if (bucket.endMs > endMs) break;
      out.push(bucket);
    }
    return out;
  }

  /** How many candles end in [startMs, endMs]. */
  countInRange(period: CandlePeriod, startMs: number, endMs: number): number {
    const series = this.series[period];
    return series.lowerBound(endMs + 1) - series.lowerBound(startMs);
  }

  /** The newest candle ending before `ms`, or undefined. */
  latestBefore(period: CandlePeriod, ms: number): Candle | undefined {
    const series = this.series[period];
    return series.buckets[series.lowerBound(ms) - 1];
  }

  /** Number of stored candles at a resolution (tests, memory checks). */
  size(period: CandlePeriod): number {
    return this.series[period].buckets.length;
  }
}

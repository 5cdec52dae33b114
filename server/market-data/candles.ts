/**
 * Candlesticks cached per market and period. A chart asks for period-aligned
 * ranges (older chunks as it scrolls back, the latest up to the end of the
 * live period); completed periods never change, so each is fetched once, and
 * the live candle is kept current from the stream: trades move its price
 * OHLC, mean and volume, tickers its bid/ask and open interest. When a period
 * ends the tail is fetched again once (the exchange's own candle replaces the
 * one built here), so what is served converges to what the exchange says.
 */
import { formatCount, formatDollars, parseCount, parseDollars } from "@/lib/fixed-point";
import type { Candlestick, CandlesticksQuery, CandlesticksResponse } from "@/lib/schemas/market";

import type { Coalescer } from "./coalescer";

/** (market, period) series kept at most; the least recently used go first. */
const MAX_SERIES = 2_000;

interface CandleSeries {
  ticker: string;
  periodS: number;
  candles: Map<number, Candlestick>;
  /** Earliest start_ts fetched. */
  from: number;
  /** Every period ending at or before this (unix s) is as the exchange reported it. */
  completeTo: number;
  lastUsed: number;
}

export type FetchCandles = (
  ticker: string,
  query: CandlesticksQuery,
) => Promise<CandlesticksResponse>;

export class CandleCache {
  private readonly series = new Map<string, CandleSeries>();

  constructor(
    private readonly coalescer: Coalescer,
    private readonly fetch: FetchCandles,
    private readonly now: () => number = Date.now,
  ) {}

  async get(
    ticker: string,
    query: CandlesticksQuery,
    signal?: AbortSignal,
  ): Promise<CandlesticksResponse> {
    const periodS = query.period_interval * 60;
    const key = `${ticker}|${periodS}`;
    let entry = this.series.get(key);
    if (!entry) {
      entry = {
        ticker,
        periodS,
        candles: new Map(),
        from: Number.POSITIVE_INFINITY,
        completeTo: Number.NEGATIVE_INFINITY,
        lastUsed: 0,
      };
      this.series.set(key, entry);
      this.evict();
    }
    entry.lastUsed = this.now();
    const nowS = Math.floor(this.now() / 1000);
    const liveEnd = Math.ceil(nowS / periodS) * periodS;
    const lastComplete = liveEnd - periodS;
    const wantCompleteTo = Math.min(query.end_ts, lastComplete);

    // Up to the live period when the ask reaches it (its candle comes along), else as asked.
    const fetchEnd = query.end_ts >= lastComplete ? liveEnd : query.end_ts;
    const fetches: Array<Promise<void>> = [];
    if (!Number.isFinite(entry.from)) {
      fetches.push(this.load(entry, query, query.start_ts, fetchEnd, signal));
    } else {
      // Older than anything held: fetch down to what is held.
      if (query.start_ts < entry.from)
        fetches.push(this.load(entry, query, query.start_ts, entry.from, signal));
      // Newer than the ended periods held (the tail moved on): from the last one held, once per period.
      if (wantCompleteTo > entry.completeTo)
        fetches.push(
          this.load(
            entry,
            query,
            Math.max(entry.from, entry.completeTo - periodS),
            fetchEnd,
            signal,
          ),
        );
    }
    if (fetches.length > 0) await Promise.all(fetches);

    const candlesticks = [...entry.candles.values()]
      .filter((c) => c.end_period_ts >= query.start_ts && c.end_period_ts <= query.end_ts)
      .sort((a, b) => a.end_period_ts - b.end_period_ts);
    return { ticker, candlesticks };
  }

  /** A trade on `ticker` at `tsMs`: the live candle's price, mean and volume. */
  applyTrade(ticker: string, price: string, count: string, tsMs: number): void {
    const priceMicros = safeDollars(price);
    const centis = safeCount(count);
    if (priceMicros === undefined || centis === undefined || centis <= 0) return;
    for (const entry of this.seriesOf(ticker)) {
      const candle = this.liveCandle(entry, tsMs);
      if (!candle) continue;
      const p = candle.price;
      const before = safeCount(candle.volume_fp) ?? 0;
      const mean = safeDollars(p.mean_dollars ?? undefined);
      const high = safeDollars(p.high_dollars ?? undefined);
      const low = safeDollars(p.low_dollars ?? undefined);
      const total = before + centis;
      candle.price = {
        ...p,
        open_dollars: p.open_dollars ?? price,
        high_dollars: formatDollars(high === undefined ? priceMicros : Math.max(high, priceMicros)),
        low_dollars: formatDollars(low === undefined ? priceMicros : Math.min(low, priceMicros)),
        close_dollars: formatDollars(priceMicros),
        mean_dollars: formatDollars(
          Math.round(((mean ?? priceMicros) * before + priceMicros * centis) / total),
        ),
      };
      candle.volume_fp = formatCount(total);
    }
  }

  /** A ticker update: the live candle's bid/ask OHLC and open interest. */
  applyTicker(
    ticker: string,
    quote: { bid?: string; ask?: string; openInterest?: string },
    tsMs: number,
  ): void {
    for (const entry of this.seriesOf(ticker)) {
      const candle = this.liveCandle(entry, tsMs);
      if (!candle) continue;
      if (quote.bid !== undefined) candle.yes_bid = moved(candle.yes_bid, quote.bid);
      if (quote.ask !== undefined) candle.yes_ask = moved(candle.yes_ask, quote.ask);
      if (quote.openInterest !== undefined) candle.open_interest_fp = quote.openInterest;
    }
  }

  /** Forgets everything held for `ticker` (the stream was interrupted). */
  invalidate(ticker?: string): void {
    for (const [key, entry] of this.series)
      if (ticker === undefined || entry.ticker === ticker) this.series.delete(key);
  }

  private seriesOf(ticker: string): CandleSeries[] {
    const out: CandleSeries[] = [];
    for (const entry of this.series.values()) if (entry.ticker === ticker) out.push(entry);
    return out;
  }

  /** The candle of the period holding `tsMs`, created from the previous one if needed; null for ended periods. */
  private liveCandle(entry: CandleSeries, tsMs: number): Candlestick | null {
    if (!Number.isFinite(entry.from)) return null;
    const end = Math.ceil(tsMs / 1000 / entry.periodS) * entry.periodS;
    if (end <= entry.completeTo) return null;
    const existing = entry.candles.get(end);
    if (existing) return existing;
    let previous: Candlestick | undefined;
    for (const candle of entry.candles.values())
      if (
        candle.end_period_ts < end &&
        (!previous || candle.end_period_ts > previous.end_period_ts)
      )
        previous = candle;
    if (!previous) return null; // nothing to carry bid/ask from: wait for the exchange's candle
    const bid = previous.yes_bid.close_dollars;
    const ask = previous.yes_ask.close_dollars;
    const candle: Candlestick = {
      end_period_ts: end,
      yes_bid: flat(bid),
      yes_ask: flat(ask),
      price: {
        open_dollars: null,
        low_dollars: null,
        high_dollars: null,
        close_dollars: null,
        mean_dollars: null,
        previous_dollars: previous.price.close_dollars ?? previous.price.previous_dollars ?? null,
      },
      volume_fp: "0.00",
      open_interest_fp: previous.open_interest_fp,
    };
    entry.candles.set(end, candle);
    return candle;
  }

  private async load(
    entry: CandleSeries,
    query: CandlesticksQuery,
    start: number,
    end: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const nowS = Math.floor(this.now() / 1000);
    const lastComplete = Math.ceil(nowS / entry.periodS) * entry.periodS - entry.periodS;
    const range = { ...query, start_ts: start, end_ts: end };
    const answer = await this.coalescer.get(
      `candles ${entry.ticker} ${entry.periodS} ${start} ${end}`,
      0,
      () => this.fetch(entry.ticker, range),
      signal,
    );
    for (const candle of answer.candlesticks)
      entry.candles.set(candle.end_period_ts, structuredClone(candle));
    entry.from = Math.min(entry.from, start);
    entry.completeTo = Math.max(entry.completeTo, Math.min(end, lastComplete));
  }

  private evict(): void {
    if (this.series.size <= MAX_SERIES) return;
    let oldestKey: string | undefined;
    let oldest = Number.POSITIVE_INFINITY;
    for (const [key, entry] of this.series)
      if (entry.lastUsed < oldest) {
        oldest = entry.lastUsed;
        oldestKey = key;
      }
    if (oldestKey !== undefined) this.series.delete(oldestKey);
  }
}

function flat(price: string): Candlestick["yes_bid"] {
  return { open_dollars: price, low_dollars: price, high_dollars: price, close_dollars: price };
}

function moved(ohlc: Candlestick["yes_bid"], price: string): Candlestick["yes_bid"] {
  const micros = safeDollars(price);
  if (micros === undefined) return ohlc;
  const high = safeDollars(ohlc.high_dollars) ?? micros;
  const low = safeDollars(ohlc.low_dollars) ?? micros;
  return {
    ...ohlc,
    high_dollars: formatDollars(Math.max(high, micros)),
    low_dollars: formatDollars(Math.min(low, micros)),
    close_dollars: formatDollars(micros),
  };
}

function safeDollars(text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  try {
    return parseDollars(text);
  } catch {
    return undefined;
  }
}

function safeCount(text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  try {
    return parseCount(text);
  } catch {
    return undefined;
  }
}

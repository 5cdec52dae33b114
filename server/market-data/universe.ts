/**
 * The exchange's universe in memory: series, events and markets exactly as
 * Kalshi's REST answers describe them, plus what the WebSocket says since
 * (quotes, last price, volume and open interest from `ticker`; 24h volume
 * from `trade`). Pure data and bookkeeping: loading, the feed and the
 * queries live in their own modules (loader.ts, feed.ts, queries.ts).
 *
 * Every change bumps `version`, so views sorted from it know when to rebuild.
 * Market entries are stable objects (one per ticker, updated in place) and
 * carry pre-parsed sort keys, so sorting tens of thousands of markets never
 * parses a dollar string.
 */
import { z } from "zod";

import {
  complement,
  formatCount,
  formatDollars,
  parseCount,
  parseDollars,
} from "@/lib/fixed-point";
import { seriesOfTicker } from "@/lib/queries/browse-filters";
import type { KalshiEvent, Market, Series } from "@/lib/schemas/market";

/** Ticker messages of markets not held yet kept at most (see applyTicker). */
const MAX_ORPHANS = 10_000;

export interface MarketEntry {
  market: Market;
  /** Listing order (first seen); the order lists have when nothing else sorts them. */
  index: number;
  /** The market's series ticker (from its event when known). */
  series: string;
  closeMs: number;
  openMs: number;
  /** Sort keys, parsed once per change: centi-contracts and micro-dollars. */
  volume24h: number;
  volume: number;
  openInterest: number;
  /** |last − previous day's price|, micro-dollars; 0 when unknown. */
  move: number;
  /** Local time (ms) the stream last changed a live field; REST answers older than this keep them. */
  liveAt: number;
  /** Local time (ms) the REST request that last described this market was sent. */
  restAt: number;
}

export interface EventEntry {
  /** The event as REST describes it, without nested markets. */
  event: KalshiEvent;
  index: number;
  /** Its markets' tickers in listing order. */
  markets: string[];
}

/** Fields the `ticker` channel keeps current (see docs/market-data.md). */
export const LIVE_FIELDS = [
  "yes_bid_dollars",
  "yes_ask_dollars",
  "no_bid_dollars",
  "no_ask_dollars",
  "yes_bid_size_fp",
  "yes_ask_size_fp",
  "last_price_dollars",
  "volume_fp",
  "open_interest_fp",
  "volume_24h_fp",
] as const;

/**
 * Fields that move with the clock or with every trade and that no stream
 * message carries: refreshed by the periodic reconcile only.
 */
export const ROLLING_FIELDS = [
  "updated_time",
  "volume_24h_fp",
  "previous_price_dollars",
  "previous_yes_bid_dollars",
  "previous_yes_ask_dollars",
] as const;

/** The `ticker` message fields read here (Kalshi's names; all optional but the ticker). */
export const TickerMsgSchema = z.looseObject({
  market_ticker: z.string().min(1),
  price_dollars: z.string().optional(),
  yes_bid_dollars: z.string().optional(),
  yes_ask_dollars: z.string().optional(),
  yes_bid_size_fp: z.string().optional(),
  yes_ask_size_fp: z.string().optional(),
  volume_fp: z.string().optional(),
  open_interest_fp: z.string().optional(),
});
export type TickerMsg = z.infer<typeof TickerMsgSchema>;

/** The `trade` message fields read here. */
export const TradeMsgSchema = z.looseObject({
  market_ticker: z.string().min(1),
  count_fp: z.string(),
  yes_price_dollars: z.string(),
  ts_ms: z.number().optional(),
  ts: z.number().optional(),
});
export type TradeMsg = z.infer<typeof TradeMsgSchema>;

function dollarsOrUndefined(text: unknown): number | undefined {
  if (typeof text !== "string" || text === "") return undefined;
  try {
    return parseDollars(text);
  } catch {
    return undefined;
  }
}

function countOrZero(text: unknown): number {
  if (typeof text !== "string" || text === "") return 0;
  try {
    return parseCount(text);
  } catch {
    return 0;
  }
}

/** A canonical dollar string ("0.56" → "0.5600"), or undefined when not one. */
function canonicalDollars(text: unknown): string | undefined {
  const micros = dollarsOrUndefined(text);
  return micros === undefined ? undefined : formatDollars(micros);
}

function canonicalCount(text: unknown): string | undefined {
  if (typeof text !== "string" || text === "") return undefined;
  try {
    return formatCount(parseCount(text));
  } catch {
    return undefined;
  }
}

/** How the universe's REST-derived content changes (the universe itself, or a cluster publisher). */
export interface UniverseWriter {
  upsertSeries(series: Series): void;
  upsertEvent(event: KalshiEvent): void;
  upsertMarket(market: Market, fetchedAt: number): void;
  removeMarket(ticker: string): void;
  removeEvent(eventTicker: string): void;
}

export class MarketUniverse implements UniverseWriter {
  readonly series = new Map<string, { series: Series; index: number }>();
  readonly events = new Map<string, EventEntry>();
  readonly markets = new Map<string, MarketEntry>();
  /** Events known only from a market's `event_ticker` (their record is still to be fetched). */
  readonly placeholders = new Set<string>();
  /** The last `ticker` message of markets not held yet, with its arrival time. */
  private readonly orphans = new Map<string, { msg: TickerMsg; at: number }>();
  /** Bumped on every change. */
  version = 0;
  private nextIndex = 0;

  constructor(private readonly now: () => number = Date.now) {}

  // ------------------------------------------------------------- writes

  upsertSeries(series: Series): void {
    const existing = this.series.get(series.ticker);
    this.series.set(series.ticker, { series, index: existing?.index ?? this.nextIndex++ });
    this.version += 1;
  }

  upsertEvent(event: KalshiEvent): void {
    const { markets: _nested, ...plain } = event;
    void _nested;
    const existing = this.events.get(event.event_ticker);
    this.placeholders.delete(event.event_ticker);
    if (existing) existing.event = plain;
    else
      this.events.set(event.event_ticker, {
        event: plain,
        index: this.nextIndex++,
        markets: [],
      });
    // Markets seen before their event take the event's series.
    for (const ticker of this.events.get(event.event_ticker)?.markets ?? []) {
      const entry = this.markets.get(ticker);
      if (entry) entry.series = event.series_ticker;
    }
    this.version += 1;
  }

  /**
   * A market as REST described it at `fetchedAt` (local ms when the request
   * was sent). Live fields the stream changed after that are kept.
   */
  upsertMarket(market: Market, fetchedAt: number): void {
    const existing = this.markets.get(market.ticker);
    let next = market;
    if (existing && existing.liveAt > fetchedAt) {
      next = { ...market };
      const from = existing.market as Record<string, unknown>;
      for (const field of LIVE_FIELDS)
        if (from[field] !== undefined) (next as Record<string, unknown>)[field] = from[field];
    }
    if (existing) {
      if (existing.market.event_ticker !== next.event_ticker) {
        this.detachFromEvent(existing.market.event_ticker, next.ticker);
        this.attachToEvent(next.event_ticker, next.ticker);
      }
      existing.market = next;
      existing.restAt = Math.max(existing.restAt, fetchedAt);
      existing.series = this.seriesOf(next.event_ticker);
      refreshKeys(existing);
    } else {
      const entry: MarketEntry = {
        market: next,
        index: this.nextIndex++,
        series: this.seriesOf(next.event_ticker),
        closeMs: 0,
        openMs: 0,
        volume24h: 0,
        volume: 0,
        openInterest: 0,
        move: 0,
        liveAt: 0,
        restAt: fetchedAt,
      };
      refreshKeys(entry);
      this.markets.set(next.ticker, entry);
      this.attachToEvent(next.event_ticker, next.ticker);
    }
    this.version += 1;
    const orphan = this.orphans.get(market.ticker);
    if (orphan) {
      this.orphans.delete(market.ticker);
      if (orphan.at > fetchedAt) this.applyTicker(orphan.msg);
    }
  }

  removeMarket(ticker: string): void {
    const entry = this.markets.get(ticker);
    if (!entry) return;
    this.markets.delete(ticker);
    this.detachFromEvent(entry.market.event_ticker, ticker);
    this.version += 1;
  }

  removeEvent(eventTicker: string): void {
    if (this.events.delete(eventTicker)) this.version += 1;
  }

  /** Applies a `ticker` message; false when the market is not held (yet). */
  applyTicker(msg: TickerMsg): boolean {
    const entry = this.markets.get(msg.market_ticker);
    if (!entry) {
      // Kept a moment: the market's REST record may be on its way (a new market),
      // and may be older than this message.
      this.orphans.delete(msg.market_ticker);
      this.orphans.set(msg.market_ticker, { msg, at: this.now() });
      if (this.orphans.size > MAX_ORPHANS) {
        const oldest = this.orphans.keys().next().value;
        if (oldest !== undefined) this.orphans.delete(oldest);
      }
      return false;
    }
    const next: Record<string, unknown> = { ...entry.market };
    const bid = canonicalDollars(msg.yes_bid_dollars);
    const ask = canonicalDollars(msg.yes_ask_dollars);
    if (bid !== undefined) {
      next.yes_bid_dollars = bid;
      next.no_ask_dollars = formatDollars(complement(parseDollars(bid)));
    }
    if (ask !== undefined) {
      next.yes_ask_dollars = ask;
      next.no_bid_dollars = formatDollars(complement(parseDollars(ask)));
    }
    const last = canonicalDollars(msg.price_dollars);
    if (last !== undefined) next.last_price_dollars = last;
    for (const field of [
      "yes_bid_size_fp",
      "yes_ask_size_fp",
      "volume_fp",
      "open_interest_fp",
    ] as const) {
      const value = canonicalCount(msg[field]);
      if (value !== undefined) next[field] = value;
    }
    entry.market = next as Market;
    entry.liveAt = this.now();
    refreshKeys(entry);
    this.version += 1;
    return true;
  }

  /** Adds a trade's size to the market's 24h volume (the reconcile corrects what rolls out). */
  applyTrade(msg: TradeMsg): boolean {
    const entry = this.markets.get(msg.market_ticker);
    if (!entry) return false;
    const count = countOrZero(msg.count_fp);
    if (count <= 0) return true;
    const volume24h = countOrZero(entry.market.volume_24h_fp) + count;
    entry.market = { ...entry.market, volume_24h_fp: formatCount(volume24h) };
    entry.liveAt = this.now();
    refreshKeys(entry);
    this.version += 1;
    return true;
  }

  /** Changes a market's close time (a `close_date_updated` message), ahead of its refetch. */
  applyCloseTime(ticker: string, closeTs: number): void {
    const entry = this.markets.get(ticker);
    if (!entry) return;
    entry.market = { ...entry.market, close_time: new Date(closeTs * 1000).toISOString() };
    refreshKeys(entry);
    this.version += 1;
  }

  /** Forgets everything (before loading a snapshot). */
  clear(): void {
    this.series.clear();
    this.events.clear();
    this.markets.clear();
    this.placeholders.clear();
    this.orphans.clear();
    this.version += 1;
  }

  /** Marks when the stream last changed a market's live fields (restoring a snapshot). */
  setLiveAt(ticker: string, liveAt: number): void {
    const entry = this.markets.get(ticker);
    if (entry) entry.liveAt = liveAt;
  }

  // -------------------------------------------------------------- reads

  market(ticker: string): Market | undefined {
    return this.markets.get(ticker)?.market;
  }

  /** The event's markets in listing order. */
  marketsOfEvent(eventTicker: string): MarketEntry[] {
    const out: MarketEntry[] = [];
    for (const ticker of this.events.get(eventTicker)?.markets ?? []) {
      const entry = this.markets.get(ticker);
      if (entry) out.push(entry);
    }
    return out;
  }

  /** series ticker → category. */
  categoryOf(seriesTicker: string): string | undefined {
    return this.series.get(seriesTicker)?.series.category;
  }

  get counts(): { series: number; events: number; markets: number } {
    return { series: this.series.size, events: this.events.size, markets: this.markets.size };
  }

  // ------------------------------------------------------------ helpers

  private seriesOf(eventTicker: string): string {
    return this.events.get(eventTicker)?.event.series_ticker ?? seriesOfTicker(eventTicker);
  }

  private attachToEvent(eventTicker: string, ticker: string): void {
    let entry = this.events.get(eventTicker);
    if (!entry) {
      // The event arrives later (loader.ts fetches missing events); keep the link meanwhile.
      entry = {
        event: {
          event_ticker: eventTicker,
          series_ticker: seriesOfTicker(eventTicker),
          title: "",
          sub_title: "",
          mutually_exclusive: false,
        },
        index: this.nextIndex++,
        markets: [],
      };
      this.placeholders.add(eventTicker);
      this.events.set(eventTicker, entry);
    }
    if (!entry.markets.includes(ticker)) entry.markets.push(ticker);
  }

  private detachFromEvent(eventTicker: string, ticker: string): void {
    const entry = this.events.get(eventTicker);
    if (!entry) return;
    entry.markets = entry.markets.filter((t) => t !== ticker);
  }

  /** True when the event's own record has been loaded (not only named by a market). */
  hasEventRecord(eventTicker: string): boolean {
    return this.events.has(eventTicker) && !this.placeholders.has(eventTicker);
  }
}

/** Re-parses an entry's sort keys after its market changed. */
function refreshKeys(entry: MarketEntry): void {
  const market = entry.market as Record<string, unknown>;
  entry.closeMs = Date.parse(entry.market.close_time);
  entry.openMs = typeof market.open_time === "string" ? Date.parse(market.open_time) : 0;
  entry.volume24h = countOrZero(entry.market.volume_24h_fp);
  entry.volume = countOrZero(entry.market.volume_fp);
  entry.openInterest = countOrZero(entry.market.open_interest_fp);
  const last = dollarsOrUndefined(entry.market.last_price_dollars);
  const previous = dollarsOrUndefined(market.previous_price_dollars);
  entry.move =
    last === undefined || previous === undefined || previous === 0 ? 0 : Math.abs(last - previous);
}

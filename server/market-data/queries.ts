/**
 * Reads over the in-memory universe, shaped like Kalshi's REST answers:
 * market lists with every filter GET /markets takes plus the browse page's
 * own (category, closing window, sort), events, one event, series.
 *
 * Sorted views are cached per filter and sort and rebuilt when the universe
 * changed and the view is older than VIEW_MAX_AGE_MS: prices move many times
 * a second, and a list a quarter of a second old is as good as any. Rows are
 * the live entries, so a page always shows their current prices.
 *
 * Cursors are ours ("md1." + base64url): a keyset of the last row's sort key
 * and listing index, so rows arriving or leaving between two pages do not
 * shift the next page.
 */
import { z } from "zod";

import { CLOSING_OPTIONS, type BrowseSort, type ClosingWindow } from "@/lib/queries/browse-filters";
import type {
  EventList,
  EventResponse,
  KalshiEvent,
  Market,
  MarketStatusFilter,
  Series,
} from "@/lib/schemas/market";

import { matchesStatusFilter } from "./status";
import type { MarketEntry, MarketUniverse } from "./universe";

/** How stale a cached sorted view may be once the universe has changed. */
export const VIEW_MAX_AGE_MS = 250;
const CURSOR_PREFIX = "md1.";

export interface MarketListQuery {
  status?: MarketStatusFilter;
  event_ticker?: string;
  series_ticker?: string;
  /** Comma-separated tickers. */
  tickers?: string;
  min_close_ts?: number;
  max_close_ts?: number;
  /** Our own filters and sort (the browse page's). */
  category?: string;
  closing?: ClosingWindow;
  sort?: BrowseSort;
  limit?: number;
  cursor?: string;
}

export interface EventListQuery {
  limit?: number;
  cursor?: string;
  status?: "unopened" | "open" | "closed" | "settled";
  series_ticker?: string;
  with_nested_markets?: boolean;
  min_close_ts?: number;
}

/** A cursor this module did not hand out (an upstream one, or garbage). */
export class ForeignCursorError extends Error {
  override readonly name = "ForeignCursorError";
}

/** True when `cursor` is one of ours. */
export function isOwnCursor(cursor: string | undefined): boolean {
  return cursor === undefined || cursor.startsWith(CURSOR_PREFIX);
}

const KeysetCursor = z.tuple([z.number(), z.number().int()]);

function encodeCursor(key: number, index: number): string {
  return CURSOR_PREFIX + Buffer.from(JSON.stringify([key, index])).toString("base64url");
}

function decodeCursor(cursor: string): [number, number] {
  if (!cursor.startsWith(CURSOR_PREFIX)) throw new ForeignCursorError("not a market-data cursor");
  try {
    const text = Buffer.from(cursor.slice(CURSOR_PREFIX.length), "base64url").toString("utf8");
    return KeysetCursor.parse(JSON.parse(text));
  } catch {
    throw new ForeignCursorError("unreadable market-data cursor");
  }
}

/** Ascending sort key of a market under `sort` (larger-is-better metrics negated). */
function sortKey(sort: BrowseSort | undefined, entry: MarketEntry): number {
  switch (sort) {
    case undefined:
      return entry.index;
    case "volume_24h":
      return -entry.volume24h;
    case "volume":
      return -entry.volume;
    case "open_interest":
      return -entry.openInterest;
    case "close_time":
      return Number.isFinite(entry.closeMs) ? entry.closeMs : Number.MAX_SAFE_INTEGER;
    case "move":
      return -entry.move;
    default: {
      const exhaustive: never = sort;
      return exhaustive;
    }
  }
}

interface View {
  version: number;
  builtAt: number;
  rows: MarketEntry[];
  /** Sort keys as they were when the view was built (rows' own keys move on). */
  keys: Float64Array;
  indexes: Int32Array;
}

/** Sorted-view cache and the reads over one universe. */
export class UniverseQueries {
  private readonly views = new Map<string, View>();

  constructor(
    private readonly universe: MarketUniverse,
    private readonly now: () => number = Date.now,
  ) {}

  /** GET /markets from memory. @throws ForeignCursorError for a cursor we did not give out. */
  listMarkets(query: MarketListQuery): { markets: Market[]; cursor: string } {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    if (query.tickers !== undefined) {
      // A lookup by ticker: one page, in the order asked.
      const markets: Market[] = [];
      for (const ticker of query.tickers.split(",")) {
        const entry = this.universe.markets.get(ticker.trim());
        if (entry && this.matches(entry, query, this.now())) markets.push(entry.market);
        if (markets.length >= limit) break;
      }
      return { markets, cursor: "" };
    }
    const view = this.view(query);
    let start = 0;
    if (query.cursor !== undefined) {
      const [key, index] = decodeCursor(query.cursor);
      start = upperBound(view, key, index);
    }
    const markets: Market[] = [];
    let last = -1;
    let position = start;
    for (; position < view.rows.length && markets.length < limit; position += 1) {
      const entry = view.rows[position] as MarketEntry;
      // Gone since the view was built.
      if (this.universe.markets.get(entry.market.ticker) !== entry) continue;
      markets.push(entry.market);
      last = position;
    }
    const more = last >= 0 && position < view.rows.length;
    return {
      markets,
      cursor: more ? encodeCursor(view.keys[last] as number, view.indexes[last] as number) : "",
    };
  }

  /** GET /events from memory (events known only by name are left out). */
  listEvents(query: EventListQuery): EventList {
    const limit = Math.min(Math.max(query.limit ?? 200, 1), 200);
    const after = query.cursor === undefined ? -1 : decodeCursor(query.cursor)[1];
    const now = this.now();
    const entries = [...this.universe.events.values()]
      .filter(
        (entry) => entry.index > after && this.universe.hasEventRecord(entry.event.event_ticker),
      )
      .sort((a, b) => a.index - b.index);
    const events: KalshiEvent[] = [];
    let lastIndex = -1;
    let more = false;
    for (const entry of entries) {
      const event = entry.event;
      if (query.series_ticker !== undefined && event.series_ticker !== query.series_ticker)
        continue;
      const markets = this.universe.marketsOfEvent(event.event_ticker);
      const status = query.status;
      if (status !== undefined && !markets.some((m) => statusMatches(m, status, now))) continue;
      const minClose = query.min_close_ts;
      if (minClose !== undefined && !markets.some((m) => m.closeMs / 1000 > minClose)) continue;
      if (events.length >= limit) {
        more = true;
        break;
      }
      events.push(
        query.with_nested_markets ? { ...event, markets: markets.map((m) => m.market) } : event,
      );
      lastIndex = entry.index;
    }
    return { events, cursor: more ? encodeCursor(0, lastIndex) : "" };
  }

  /** GET /events/{ticker} from memory; undefined when the event is not held. */
  getEvent(eventTicker: string, withNestedMarkets = false): EventResponse | undefined {
    if (!this.universe.hasEventRecord(eventTicker)) return undefined;
    const entry = this.universe.events.get(eventTicker);
    if (!entry) return undefined;
    const markets = this.universe.marketsOfEvent(eventTicker).map((m) => m.market);
    return {
      event: withNestedMarkets ? { ...entry.event, markets } : entry.event,
      markets,
    };
  }

  /** GET /series from memory. */
  listSeries(query: { category?: string; tags?: string } = {}): Series[] {
    const tags = query.tags
      ? new Set(
          query.tags
            .split(",")
            .map((tag) => tag.trim())
            .filter(Boolean),
        )
      : null;
    return [...this.universe.series.values()]
      .sort((a, b) => a.index - b.index)
      .map((entry) => entry.series)
      .filter(
        (s) =>
          (query.category === undefined || s.category === query.category) &&
          (tags === null || (s.tags ?? []).some((tag) => tags.has(tag))),
      );
  }

  /** Distinct categories with how many series each has, by name. */
  categories(): Array<{ category: string; series: number }> {
    const counts = new Map<string, number>();
    for (const { series } of this.universe.series.values())
      counts.set(series.category, (counts.get(series.category) ?? 0) + 1);
    return [...counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([category, series]) => ({ category, series }));
  }

  // ---------------------------------------------------------------- views

  private matches(entry: MarketEntry, query: MarketListQuery, now: number): boolean {
    if (query.status !== undefined && !statusMatches(entry, query.status, now)) return false;
    if (query.event_ticker !== undefined && entry.market.event_ticker !== query.event_ticker)
      return false;
    if (query.series_ticker !== undefined && entry.series !== query.series_ticker) return false;
    const closeTs = entry.closeMs / 1000;
    if (query.min_close_ts !== undefined && !(closeTs >= query.min_close_ts)) return false;
    if (query.max_close_ts !== undefined && !(closeTs <= query.max_close_ts)) return false;
    if (query.category !== undefined && this.universe.categoryOf(entry.series) !== query.category)
      return false;
    if (query.closing !== undefined) {
      const end = now + CLOSING_OPTIONS[query.closing] * 1000;
      if (!(entry.closeMs >= now && entry.closeMs <= end)) return false;
    }
    return true;
  }

  private view(query: MarketListQuery): View {
    const key = JSON.stringify([
      query.status,
      query.event_ticker,
      query.series_ticker,
      query.min_close_ts,
      query.max_close_ts,
      query.category,
      query.closing,
      query.sort,
    ]);
    const now = this.now();
    const cached = this.views.get(key);
    if (
      cached &&
      (cached.version === this.universe.version || now - cached.builtAt < VIEW_MAX_AGE_MS)
    )
      return cached;
    const source =
      query.event_ticker !== undefined
        ? this.universe.marketsOfEvent(query.event_ticker)
        : this.universe.markets.values();
    const rows: Array<{ entry: MarketEntry; key: number }> = [];
    for (const entry of source)
      if (this.matches(entry, query, now)) rows.push({ entry, key: sortKey(query.sort, entry) });
    rows.sort((a, b) => a.key - b.key || a.entry.index - b.entry.index);
    const view: View = {
      version: this.universe.version,
      builtAt: now,
      rows: rows.map((row) => row.entry),
      keys: Float64Array.from(rows, (row) => row.key),
      indexes: Int32Array.from(rows, (row) => row.entry.index),
    };
    // Bounded: one view per distinct filter combination actually asked for.
    if (this.views.size >= 500) this.views.clear();
    this.views.set(key, view);
    return view;
  }
}

function statusMatches(entry: MarketEntry, filter: MarketStatusFilter, now: number): boolean {
  return matchesStatusFilter({ status: entry.market.status, closeMs: entry.closeMs }, filter, now);
}

/** First position whose (key, index) sorts after the cursor's. */
function upperBound(view: View, key: number, index: number): number {
  let lo = 0;
  let hi = view.rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = view.keys[mid] as number;
    const i = view.indexes[mid] as number;
    if (k < key || (k === key && i <= index)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

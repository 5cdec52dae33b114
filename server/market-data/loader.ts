/**
 * Loads the universe over paginated REST, within the public client's rate
 * budget (its token bucket paces every page), and reconciles it later the
 * same way: every series; markets that are unopened, open, paused or closed
 * (awaiting settlement), and those settled within the retention window, 1,000
 * per page; then the events they belong to, 100 tickers per call.
 * Multivariate (combo) markets are left out: Kalshi lists them by the
 * hundred thousand, and the pages that show one ask for it by ticker.
 *
 * A reconcile replaces what REST says (the stream's newer live fields win,
 * see MarketUniverse.upsertMarket), drops markets REST no longer lists in
 * those states, and reports how many markets it corrected.
 */
import type { KalshiEvent, Market, MarketStatusFilter } from "@/lib/schemas/market";
import type { KalshiMarketDataClient } from "@/server/kalshi/client";

import { ROLLING_FIELDS, type MarketUniverse, type UniverseWriter } from "./universe";

/** GET /markets pages of this size (Kalshi's maximum). */
const MARKET_PAGE = 1_000;
/** Event tickers per GET /events?tickers= call (keeps the URL short). */
const EVENT_BATCH = 100;
/** Bounds a load on a very large exchange: 200 pages = 200,000 markets per status. */
const MAX_PAGES = 200;

export interface LoadReport {
  markets: number;
  events: number;
  series: number;
  /** Upstream REST calls made. */
  calls: number;
  /** Markets whose stored fields (beyond the rolling ones) differed from REST. */
  corrected: number;
  /** Markets REST no longer lists in the held states (dropped). */
  removed: number;
  /** Markets REST lists that were not held (added). */
  added: number;
  ms: number;
}

export interface LoadOptions {
  /** Settled markets are held this long after settlement. */
  settledRetentionMs: number;
  now: () => number;
  /** Where changes go (default: the universe; a cluster's leader publishes them). */
  writer?: UniverseWriter;
}

const HELD_STATUSES: MarketStatusFilter[] = ["unopened", "open", "paused", "closed"];

/** Loads (or reconciles) the whole universe. */
export async function loadUniverse(
  client: KalshiMarketDataClient,
  universe: MarketUniverse,
  options: LoadOptions,
): Promise<LoadReport> {
  const started = options.now();
  const writer = options.writer ?? universe;
  let calls = 0;
  const seriesAnswer = await client.listSeries();
  calls += 1;
  for (const series of seriesAnswer.series) writer.upsertSeries(series);

  const seen = new Set<string>();
  let corrected = 0;
  let added = 0;
  const settledSince = Math.floor((options.now() - options.settledRetentionMs) / 1000);
  const lists: Array<{ status: MarketStatusFilter; min_settled_ts?: number }> = [
    ...HELD_STATUSES.map((status) => ({ status })),
    { status: "settled", min_settled_ts: settledSince },
  ];
  for (const list of lists) {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const at = options.now();
      const answer = await client.listMarkets({
        ...list,
        limit: MARKET_PAGE,
        cursor,
        mve_filter: "exclude",
      });
      calls += 1;
      // Held at once, page by page, so stream messages from now on apply to them.
      for (const market of answer.markets) {
        seen.add(market.ticker);
        const held = universe.markets.get(market.ticker);
        if (!held) added += 1;
        else if (differs(held.market, market, ROLLING_FIELDS)) corrected += 1;
        writer.upsertMarket(market, at);
      }
      if (!answer.cursor) break;
      cursor = answer.cursor;
    }
  }

  // Gone from every held state (archived to the historical tier, or settled past retention):
  // dropped, unless the stream added or changed it after this reconcile began.
  let removed = 0;
  for (const [ticker, entry] of [...universe.markets]) {
    if (seen.has(ticker) || entry.restAt > started || entry.liveAt > started) continue;
    writer.removeMarket(ticker);
    removed += 1;
  }

  calls += await loadEvents(client, writer, [...universe.events.keys()]);
  // Events left without markets are no longer part of the universe.
  for (const [eventTicker, entry] of [...universe.events])
    if (entry.markets.length === 0) writer.removeEvent(eventTicker);

  const counts = universe.counts;
  return {
    markets: counts.markets,
    events: counts.events,
    series: counts.series,
    calls,
    corrected,
    removed,
    added,
    ms: options.now() - started,
  };
}

/** Fetches these events' records (GET /events?tickers=…), 100 per call. Returns the calls made. */
export async function loadEvents(
  client: KalshiMarketDataClient,
  writer: UniverseWriter,
  eventTickers: readonly string[],
): Promise<number> {
  let calls = 0;
  for (let i = 0; i < eventTickers.length; i += EVENT_BATCH) {
    const batch = eventTickers.slice(i, i + EVENT_BATCH);
    let cursor: string | undefined;
    const found: KalshiEvent[] = [];
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const answer = await client.listEvents({
        tickers: batch.join(","),
        limit: 200,
        cursor,
      });
      calls += 1;
      found.push(...answer.events);
      if (!answer.cursor) break;
      cursor = answer.cursor;
    }
    for (const event of found) writer.upsertEvent(event);
  }
  return calls;
}

/** True when two versions of a market differ in a field other than `ignore`. */
export function differs(a: Market, b: Market, ignore: readonly string[] = []): boolean {
  const skip = new Set<string>(ignore);
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) {
    if (skip.has(key)) continue;
    if (JSON.stringify(left[key]) !== JSON.stringify(right[key])) return true;
  }
  return false;
}

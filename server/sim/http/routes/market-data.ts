/**
 * Kalshi's public market-data endpoints (no signature needed): series,
 * events, markets, orderbooks, trades, candlesticks and search helpers,
 * with the filters, limits and cursors their api-reference pages document.
 * Queries are parsed strictly: an unknown parameter or a malformed value is
 * a 400 naming the parameter; an unknown ticker is a 404.
 */
import type { Context } from "hono";
import { z } from "zod";
import { comboOf } from "@/server/sim/combos/combo-store";
import { simErrors } from "@/server/sim/errors";
import type { RegisterRoutes } from "@/server/sim/http/env";
import { paginate } from "@/server/sim/http/pagination";
import {
  eventMarkets,
  serializeCandle,
  serializeCarryCandle,
  serializeEvent,
  serializeEventMetadata,
  serializeMarket,
  serializeOrderbook,
  serializeSeries,
  serializeTrade,
  unixSeconds,
} from "@/server/sim/http/serialize-market";
import { describeZodError, pathParam, queryBool, queryInt } from "@/server/sim/http/validation";
import { periodEnd, type CandlePeriod } from "@/server/sim/market-data/candles";
import { marketData } from "@/server/sim/market-data/market-data";
import { seriesExtras } from "@/server/sim/market-data/reference-extras";
import { historicalCutoffs, isHistoricalMarket } from "@/server/sim/historical/cutoff";
import type { EventRecord, MarketRecord, SeriesRecord, TradeRecord } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";
import { isMultivariateTicker } from "@/server/sim/ws/messages";

// ------------------------------------------------------------------ query parsing

/**
 * Parses the query string with a strict object schema. Empty values count as
 * absent ("leave empty for the first page"); a repeated parameter is refused
 * unless the schema reads it through `c.req.queries`.
 */
export function readQuery<S extends z.ZodType>(
  c: Context,
  schema: S,
  repeatable: string[] = [],
): z.infer<S> {
  const raw: Record<string, string> = {};
  for (const [key, values] of Object.entries(c.req.queries())) {
    const present = values.filter((v) => v !== "");
    if (present.length === 0) continue;
    if (present.length > 1 && !repeatable.includes(key)) {
      throw simErrors.invalidParameters(`${key}: give this parameter once`);
    }
    raw[key] = present.join(",");
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw simErrors.invalidParameters(describeZodError(result.error));
  return result.data;
}

const unixTs = z
  .string()
  .regex(/^\d{1,13}$/, "must be a Unix timestamp in seconds")
  .transform(Number);

/** `limit` where 0 means "use the default" (Kalshi's `omitempty,gte=0` limits). */
const limitWithDefault = (max: number, fallback: number) =>
  queryInt(0, max).transform((n) => (n === 0 ? fallback : n));

const tickerList = (name: string, max: number) =>
  z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((t) => t.trim())
        .filter((t) => t.length > 0),
    )
    .pipe(
      z
        .array(z.string().max(200, `${name}: a ticker is at most 200 characters`))
        .min(1, `give at least one ticker`)
        .max(max, `at most ${max} tickers`),
    );

const periodInterval = z
  .enum(["1", "60", "1440"], "must be 1, 60 or 1440")
  .transform((v) => Number(v) as CandlePeriod);

// ------------------------------------------------------------------ lookups

function requireSeries(state: SimState, ticker: string): SeriesRecord {
  const series = state.series.get(ticker);
  if (!series) throw simErrors.notFound(`series ${ticker}`);
  return series;
}

function requireEvent(state: SimState, ticker: string): EventRecord {
  const event = state.events.get(ticker);
  if (!event) throw simErrors.notFound(`event ${ticker}`);
  return event;
}

function requireMarket(state: SimState, ticker: string): MarketRecord {
  const market = state.market(ticker);
  if (!market) throw simErrors.notFound(`market ${ticker}`);
  return market;
}

/** Like requireMarket, but a market archived to the historical tier is not found here (historical_data.md). */
function requireLiveMarket(state: SimState, ticker: string): MarketRecord {
  const market = requireMarket(state, ticker);
  if (isHistoricalMarket(market, historicalCutoffs(state)))
    throw simErrors.notFound(`market ${ticker}`);
  return market;
}

// ------------------------------------------------------------------ status filters

export type MarketStatusFilter = "unopened" | "open" | "paused" | "closed" | "settled";

/** market_lifecycle.md: which markets a `status=` filter value matches. */
export function matchesStatus(
  market: MarketRecord,
  filter: MarketStatusFilter,
  now: number,
): boolean {
  switch (filter) {
    case "unopened":
      return market.status === "initialized";
    case "open":
      return market.status === "active" && now < market.closeTime;
    case "paused":
      return market.status === "inactive" && now < market.closeTime;
    case "closed":
      // "Any market past close_time that is not yet finalized."
      return (
        market.status === "closed" ||
        market.status === "determined" ||
        market.status === "disputed" ||
        market.status === "amended" ||
        ((market.status === "active" || market.status === "inactive") && now >= market.closeTime)
      );
    case "settled":
      return market.status === "finalized";
  }
}

const seconds = (ms: number) => Math.floor(ms / 1000);

// ------------------------------------------------------------------ schemas

const seriesListQuery = z.strictObject({
  category: z.string().optional(),
  tags: z.string().optional(),
  include_product_metadata: queryBool.optional(),
  include_volume: queryBool.optional(),
  min_updated_ts: unixTs.optional(),
});

const seriesQuery = z.strictObject({ include_volume: queryBool.optional() });

const eventsQuery = z.strictObject({
  limit: queryInt(1, 200).optional(),
  cursor: z.string().optional(),
  with_nested_markets: queryBool.optional(),
  with_milestones: queryBool.optional(),
  status: z.enum(["unopened", "open", "closed", "settled"]).optional(),
  series_ticker: z.string().optional(),
  tickers: tickerList("tickers", 1000).optional(),
  min_close_ts: unixTs.optional(),
  min_updated_ts: unixTs.optional(),
});

const multivariateEventsQuery = z.strictObject({
  limit: queryInt(1, 200).optional(),
  cursor: z.string().optional(),
  series_ticker: z.string().optional(),
  collection_ticker: z.string().optional(),
  with_nested_markets: queryBool.optional(),
});

const eventQuery = z.strictObject({ with_nested_markets: queryBool.optional() });

const marketsQuery = z.strictObject({
  limit: limitWithDefault(1000, 100).optional(),
  cursor: z.string().optional(),
  event_ticker: z
    .string()
    .refine((v) => !v.includes(","), "only a single event ticker is supported")
    .optional(),
  series_ticker: z.string().optional(),
  min_created_ts: unixTs.optional(),
  max_created_ts: unixTs.optional(),
  min_updated_ts: unixTs.optional(),
  max_close_ts: unixTs.optional(),
  min_close_ts: unixTs.optional(),
  min_settled_ts: unixTs.optional(),
  max_settled_ts: unixTs.optional(),
  status: z.enum(["unopened", "open", "paused", "closed", "settled"]).optional(),
  tickers: tickerList("tickers", 1000).optional(),
  mve_filter: z.enum(["only", "exclude"]).optional(),
});
type MarketsQuery = z.infer<typeof marketsQuery>;

const orderbookQuery = z.strictObject({
  // "0 or negative means all levels, 1-100 for specific depth".
  depth: z
    .string()
    .regex(/^-?\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().max(100, "must be at most 100"))
    .optional(),
});

const orderbooksQuery = z.strictObject({ tickers: tickerList("tickers", 100) });

export const tradesQuery = z.strictObject({
  limit: limitWithDefault(1000, 100).optional(),
  cursor: z.string().optional(),
  ticker: z.string().optional(),
  min_ts: unixTs.optional(),
  max_ts: unixTs.optional(),
  is_block_trade: queryBool.optional(),
});

const candleRange = {
  start_ts: unixTs,
  end_ts: unixTs,
  period_interval: periodInterval,
};

const marketCandlesQuery = z.strictObject({
  ...candleRange,
  include_latest_before_start: queryBool.optional(),
});
const batchCandlesQuery = z.strictObject({
  market_tickers: tickerList("market_tickers", 100),
  ...candleRange,
  include_latest_before_start: queryBool.optional(),
});
const eventCandlesQuery = z.strictObject(candleRange);

// ------------------------------------------------------------------ markets filter

/**
 * Kalshi's compatibility table for GET /markets: each timestamp family only
 * combines with certain status values, and families exclude each other.
 */
function checkMarketFilterCompatibility(q: MarketsQuery): void {
  const families = [
    {
      name: "min_created_ts/max_created_ts",
      used: q.min_created_ts !== undefined || q.max_created_ts !== undefined,
      statuses: ["unopened", "open"],
    },
    {
      name: "min_close_ts/max_close_ts",
      used: q.min_close_ts !== undefined || q.max_close_ts !== undefined,
      statuses: ["closed"],
    },
    {
      name: "min_settled_ts/max_settled_ts",
      used: q.min_settled_ts !== undefined || q.max_settled_ts !== undefined,
      statuses: ["settled"],
    },
  ].filter((f) => f.used);
  if (q.min_updated_ts !== undefined) {
    const others = Object.entries(q).filter(
      ([key, value]) =>
        value !== undefined &&
        !["min_updated_ts", "mve_filter", "series_ticker", "limit", "cursor"].includes(key),
    );
    if (others.length > 0) {
      throw simErrors.invalidParameters(
        `min_updated_ts: cannot be combined with ${others.map(([key]) => key).join(", ")}`,
      );
    }
    if (q.mve_filter !== undefined && q.mve_filter !== "exclude") {
      throw simErrors.invalidParameters("min_updated_ts: only combines with mve_filter=exclude");
    }
    if (q.series_ticker !== undefined && q.mve_filter !== "exclude") {
      throw simErrors.invalidParameters(
        "min_updated_ts: with series_ticker also requires mve_filter=exclude",
      );
    }
    return;
  }
  if (families.length > 1) {
    throw simErrors.invalidParameters(
      `${families.map((f) => f.name).join(" and ")}: timestamp filters of different kinds cannot be combined`,
    );
  }
  const family = families[0];
  if (family && q.status !== undefined && !family.statuses.includes(q.status)) {
    throw simErrors.invalidParameters(
      `${family.name}: cannot be combined with status=${q.status} (allowed: ${family.statuses.join(", ")} or no status)`,
    );
  }
}

function filterMarkets(state: SimState, q: MarketsQuery): MarketRecord[] {
  checkMarketFilterCompatibility(q);
  const now = state.now();
  const tickers = q.tickers ? new Set(q.tickers) : null;
  const cutoffs = historicalCutoffs(state);
  const out: MarketRecord[] = [];
  for (const market of state.markets.values()) {
    // Markets settled before the cutoff live only in GET /historical/markets.
    if (isHistoricalMarket(market, cutoffs)) continue;
    // Combo (multivariate) markets: mve_filter=only keeps just them, exclude drops them.
    const combo = isMultivariateTicker(market.ticker);
    if ((q.mve_filter === "only" && !combo) || (q.mve_filter === "exclude" && combo)) continue;
    if (tickers && !tickers.has(market.ticker)) continue;
    if (q.event_ticker !== undefined && market.eventTicker !== q.event_ticker) continue;
    if (q.series_ticker !== undefined && market.seriesTicker !== q.series_ticker) continue;
    if (q.status !== undefined && !matchesStatus(market, q.status, now)) continue;
    const created = seconds(market.createdTime);
    if (q.min_created_ts !== undefined && created < q.min_created_ts) continue;
    if (q.max_created_ts !== undefined && created > q.max_created_ts) continue;
    const close = seconds(market.closeTime);
    if (q.min_close_ts !== undefined && close < q.min_close_ts) continue;
    if (q.max_close_ts !== undefined && close > q.max_close_ts) continue;
    if (q.min_settled_ts !== undefined || q.max_settled_ts !== undefined) {
      if (market.settlementTime === null) continue;
      const settled = seconds(market.settlementTime);
      if (q.min_settled_ts !== undefined && settled < q.min_settled_ts) continue;
      if (q.max_settled_ts !== undefined && settled > q.max_settled_ts) continue;
    }
    if (q.min_updated_ts !== undefined && seconds(market.updatedTime) <= q.min_updated_ts) continue;
    out.push(market);
  }
  return out;
}

// ------------------------------------------------------------------ trades

/**
 * Trades newest first. The cursor is the trade sequence number (`seq`) below
 * which the next page starts, so trades arriving while a client pages, or
 * older ones leaving memory, never shift or repeat what it sees. `older`, when
 * given, continues past the oldest trade in memory: the evicted trades with
 * `seq` below its argument, newest first (the history tier).
 */
export function pageTrades(
  list: readonly TradeRecord[],
  q: z.infer<typeof tradesQuery>,
  bounds: { minMs?: number; maxMs?: number } = {},
  older?: (beforeSeq: number) => Iterable<TradeRecord>,
): { trades: TradeRecord[]; cursor: string } {
  const limit = q.limit ?? 100;
  // Both bounds are inclusive whole seconds; `bounds` (inclusive ms) narrows them to one tier.
  const minMs = Math.max(
    q.min_ts !== undefined ? q.min_ts * 1000 : -Infinity,
    bounds.minMs ?? -Infinity,
  );
  const maxMs = Math.min(
    q.max_ts !== undefined ? q.max_ts * 1000 + 999 : Infinity,
    bounds.maxMs ?? Infinity,
  );
  const beforeSeq = q.cursor !== undefined ? decodeTradeCursor(q.cursor) : Infinity;
  const trades: TradeRecord[] = [];
  let more = false;
  for (const trade of newestFirst(list, beforeSeq, maxMs, older)) {
    // Time order: nothing older can be in range.
    if (trade.createdTime < minMs) break;
    if (trade.createdTime > maxMs) continue;
    // Only hand out a cursor when an older trade in range may remain.
    if (trades.length === limit) {
      more = true;
      break;
    }
    if (q.is_block_trade !== undefined && trade.isBlockTrade !== q.is_block_trade) continue;
    trades.push(trade);
  }
  const last = trades[trades.length - 1];
  return { trades, cursor: more && last ? encodeTradeCursor(last.seq) : "" };
}

/** Trades with seq < `beforeSeq`, newest first: from memory, then from `older`. */
function* newestFirst(
  list: readonly TradeRecord[],
  beforeSeq: number,
  maxMs: number,
  older?: (beforeSeq: number) => Iterable<TradeRecord>,
): Generator<TradeRecord> {
  // Start at the newest trade in range: below the cursor and not after maxMs.
  let index = Math.min(lowerBoundSeq(list, beforeSeq), upperBound(list, maxMs));
  while (index > 0) {
    index -= 1;
    yield list[index] as TradeRecord;
  }
  if (older) yield* older(Math.min(beforeSeq, list[0]?.seq ?? beforeSeq));
}

/** Number of trades with createdTime ≤ ms (the list is in time order). */
function upperBound(list: readonly TradeRecord[], ms: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as TradeRecord).createdTime <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of trades with seq < `seq` (seq rises along the list). */
function lowerBoundSeq(list: readonly TradeRecord[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as TradeRecord).seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function encodeTradeCursor(seq: number): string {
  return Buffer.from(`t:${seq}`).toString("base64url");
}

function decodeTradeCursor(cursor: string): number {
  const match = /^t:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  const seq = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(seq)) {
    throw simErrors.invalidParameters("cursor: not a cursor returned by this endpoint");
  }
  return seq;
}

// ------------------------------------------------------------------ candlesticks

/** Most candles one market's request may return (the docs give none; the batch caps at 10,000 overall). */
const MAX_MARKET_CANDLES = 5000;
const MAX_BATCH_CANDLES = 10_000;
/** Event candlesticks are cut at this many across the event's markets (`adjusted_end_ts`). */
const MAX_EVENT_CANDLES = 5000;

interface CandleRequest {
  startMs: number;
  endMs: number;
  period: CandlePeriod;
  includeLatestBeforeStart: boolean;
}

function candleRequest(q: {
  start_ts: number;
  end_ts: number;
  period_interval: CandlePeriod;
  include_latest_before_start?: boolean;
}): CandleRequest {
  if (q.start_ts > q.end_ts)
    throw simErrors.invalidParameters("start_ts: must not be after end_ts");
  return {
    startMs: q.start_ts * 1000,
    endMs: q.end_ts * 1000,
    period: q.period_interval,
    includeLatestBeforeStart: q.include_latest_before_start ?? false,
  };
}

function marketCandles(state: SimState, ticker: string, request: CandleRequest, limit: number) {
  const candles = marketData(state).candles(ticker);
  const real = candles.range(request.period, request.startMs, request.endMs).slice(0, limit);
  const out = real.map(serializeCandle);
  if (request.includeLatestBeforeStart) {
    const latest = candles.latestBefore(request.period, request.startMs);
    const boundary = periodEnd(request.startMs, request.period);
    // Bridge only a real gap: skip it when a real candle already ends on that boundary.
    if (latest && real[0]?.endMs !== boundary && boundary <= request.endMs) {
      out.unshift(serializeCarryCandle(latest, boundary));
    }
  }
  return out;
}

// ------------------------------------------------------------------ routes

export const registerMarketDataRoutes: RegisterRoutes = (app, exchange) => {
  const { state } = exchange;

  // GET /series – list series, filtered by category and tags
  app.get("/series", (c) => {
    const q = readQuery(c, seriesListQuery);
    const tags = q.tags
      ? new Set(
          q.tags
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
        )
      : null;
    const series = [...state.series.values()].filter((s) => {
      // Combo series are reached through their collections (GET /multivariate_event_collections).
      if (isMultivariateTicker(s.ticker)) return false;
      if (q.category !== undefined && s.category !== q.category) return false;
      if (tags && !s.tags.some((t) => tags.has(t))) return false;
      const updated = seriesExtras(state, s.ticker).lastUpdatedTs;
      if (
        q.min_updated_ts !== undefined &&
        (updated === undefined || seconds(updated) <= q.min_updated_ts)
      )
        return false;
      return true;
    });
    const options = {
      includeProductMetadata: q.include_product_metadata,
      includeVolume: q.include_volume,
    };
    return c.json({ series: series.map((s) => serializeSeries(state, s, options)) });
  });

  // GET /series/{series_ticker} – one series
  app.get("/series/:series_ticker", (c) => {
    const q = readQuery(c, seriesQuery);
    const series = requireSeries(state, pathParam(c, "series_ticker"));
    return c.json({ series: serializeSeries(state, series, { includeVolume: q.include_volume }) });
  });

  // GET /series/{series_ticker}/markets/{ticker}/candlesticks – one market's candles
  app.get("/series/:series_ticker/markets/:ticker/candlesticks", (c) => {
    const request = candleRequest(readQuery(c, marketCandlesQuery));
    const seriesTicker = pathParam(c, "series_ticker");
    const market = requireLiveMarket(state, pathParam(c, "ticker"));
    if (market.seriesTicker !== seriesTicker) {
      throw simErrors.notFound(`market ${market.ticker} in series ${seriesTicker}`);
    }
    const count = marketData(state)
      .candles(market.ticker)
      .countInRange(request.period, request.startMs, request.endMs);
    if (count > MAX_MARKET_CANDLES) {
      throw simErrors.invalidParameters(
        `start_ts/end_ts: the range holds ${count} candlesticks, more than ${MAX_MARKET_CANDLES}; narrow it or use a longer period_interval`,
      );
    }
    return c.json({
      ticker: market.ticker,
      candlesticks: marketCandles(state, market.ticker, request, MAX_MARKET_CANDLES),
    });
  });

  // GET /series/{series_ticker}/events/{ticker}/candlesticks – candles of every market of an event
  app.get("/series/:series_ticker/events/:ticker/candlesticks", (c) => {
    const request = candleRequest(readQuery(c, eventCandlesQuery));
    const seriesTicker = pathParam(c, "series_ticker");
    const event = requireEvent(state, pathParam(c, "ticker"));
    if (event.seriesTicker !== seriesTicker) {
      throw simErrors.notFound(`event ${event.eventTicker} in series ${seriesTicker}`);
    }
    const markets = eventMarkets(state, event);
    const store = marketData(state);
    // Cut the range so the event's candles stay within the cap, and say where.
    const ends: number[] = [];
    for (const market of markets) {
      for (const candle of store
        .candles(market.ticker)
        .range(request.period, request.startMs, request.endMs)) {
        ends.push(candle.endMs);
      }
    }
    let endMs = request.endMs;
    if (ends.length > MAX_EVENT_CANDLES) {
      ends.sort((a, b) => a - b);
      const last = ends[MAX_EVENT_CANDLES - 1] as number;
      endMs =
        ends[MAX_EVENT_CANDLES] === last
          ? Math.max(...ends.filter((e) => e < last), request.startMs - 1)
          : last;
    }
    const limited = { ...request, endMs, includeLatestBeforeStart: false };
    return c.json({
      market_tickers: markets.map((m) => m.ticker),
      market_candlesticks: markets.map((m) =>
        marketCandles(state, m.ticker, limited, MAX_EVENT_CANDLES),
      ),
      adjusted_end_ts: unixSeconds(endMs),
    });
  });

  // GET /events – events, filtered by series, status of any child market, close time
  app.get("/events", (c) => {
    const q = readQuery(c, eventsQuery);
    const now = state.now();
    const tickers = q.tickers ? new Set(q.tickers) : null;
    const events = [...state.events.values()].filter((event) => {
      // get-events.md: multivariate events are listed by GET /events/multivariate only.
      if (isMultivariateTicker(event.eventTicker)) return false;
      if (tickers && !tickers.has(event.eventTicker)) return false;
      if (q.series_ticker !== undefined && event.seriesTicker !== q.series_ticker) return false;
      if (q.min_updated_ts !== undefined && seconds(event.lastUpdatedTs) <= q.min_updated_ts)
        return false;
      const markets = eventMarkets(state, event);
      const status = q.status;
      if (status !== undefined && !markets.some((m) => matchesStatus(m, status, now))) return false;
      const minClose = q.min_close_ts;
      if (minClose !== undefined && !markets.some((m) => seconds(m.closeTime) > minClose))
        return false;
      return true;
    });
    const page = paginate(events, q.cursor, q.limit ?? 200);
    const cutoffs = historicalCutoffs(state);
    const body: Record<string, unknown> = {
      events: page.items.map((event) => {
        const serialized = serializeEvent(state, event, {
          withNestedMarkets: q.with_nested_markets,
        });
        // Nested markets settled before the cutoff are left out; the event itself stays.
        if (Array.isArray(serialized.markets)) {
          serialized.markets = (serialized.markets as { ticker: string }[]).filter((m) => {
            const market = state.market(m.ticker);
            return !market || !isHistoricalMarket(market, cutoffs);
          });
        }
        return serialized;
      }),
      cursor: page.cursor,
    };
    if (q.with_milestones) body.milestones = [];
    return c.json(body);
  });

  // GET /events/multivariate – combo events created in the collections
  app.get("/events/multivariate", (c) => {
    const q = readQuery(c, multivariateEventsQuery);
    const events = [...state.events.values()].filter(
      (event) =>
        isMultivariateTicker(event.eventTicker) &&
        (q.series_ticker === undefined || event.seriesTicker === q.series_ticker) &&
        (q.collection_ticker === undefined ||
          event.marketTickers.some(
            (t) => comboOf(state, t)?.collectionTicker === q.collection_ticker,
          )),
    );
    const page = paginate(events, q.cursor, q.limit ?? 100);
    return c.json({
      events: page.items.map((event) =>
        serializeEvent(state, event, { withNestedMarkets: q.with_nested_markets }),
      ),
      cursor: page.cursor,
    });
  });

  // GET /events/fee_changes – event-level fee overrides; the simulator schedules none
  app.get("/events/fee_changes", (c) => {
    const q = readQuery(
      c,
      z.strictObject({
        event_ticker: z.string().optional(),
        limit: queryInt(1, 1000).optional(),
        cursor: z.string().optional(),
      }),
    );
    if (q.event_ticker !== undefined) requireEvent(state, q.event_ticker);
    return c.json({ event_fee_changes: [], cursor: "" });
  });

  // GET /events/{event_ticker}/metadata – images, colours and sources of an event
  app.get("/events/:event_ticker/metadata", (c) => {
    readQuery(c, z.strictObject({}));
    const event = requireEvent(state, pathParam(c, "event_ticker"));
    return c.json(serializeEventMetadata(state, event));
  });

  // GET /events/{event_ticker} – one event and its markets
  app.get("/events/:event_ticker", (c) => {
    const q = readQuery(c, eventQuery);
    const event = requireEvent(state, pathParam(c, "event_ticker"));
    const markets = eventMarkets(state, event).map((m) => serializeMarket(state, m));
    const body = serializeEvent(state, event);
    if (q.with_nested_markets) body.markets = markets;
    return c.json({ event: body, markets });
  });

  // GET /markets – markets with Kalshi's filters, paginated
  app.get("/markets", (c) => {
    const q = readQuery(c, marketsQuery);
    const page = paginate(filterMarkets(state, q), q.cursor, q.limit ?? 100);
    return c.json({
      markets: page.items.map((m) => serializeMarket(state, m)),
      cursor: page.cursor,
    });
  });

  // GET /markets/trades – public trades, newest first
  app.get("/markets/trades", (c) => {
    const q = readQuery(c, tradesQuery);
    const list = q.ticker !== undefined ? (state.tradesByMarket.get(q.ticker) ?? []) : state.trades;
    // Trades before the cutoff are served by GET /historical/trades only.
    const page = pageTrades(list, q, { minMs: historicalCutoffs(state).tradesCreated });
    return c.json({ trades: page.trades.map(serializeTrade), cursor: page.cursor });
  });

  // GET /markets/orderbooks – orderbooks of up to 100 markets
  app.get("/markets/orderbooks", (c) => {
    const q = readQuery(c, orderbooksQuery, ["tickers"]);
    const markets = q.tickers.map((ticker) => requireMarket(state, ticker));
    return c.json({
      orderbooks: markets.map((m) => ({
        ticker: m.ticker,
        orderbook_fp: serializeOrderbook(state, m.ticker),
      })),
    });
  });

  // GET /markets/candlesticks – candles of up to 100 markets, 10,000 in all
  app.get("/markets/candlesticks", (c) => {
    const q = readQuery(c, batchCandlesQuery);
    const request = candleRequest(q);
    const markets = q.market_tickers.map((ticker) => requireLiveMarket(state, ticker));
    let budget = MAX_BATCH_CANDLES;
    return c.json({
      markets: markets.map((m) => {
        const candlesticks = budget > 0 ? marketCandles(state, m.ticker, request, budget) : [];
        budget -= candlesticks.length;
        return { market_ticker: m.ticker, candlesticks };
      }),
    });
  });

  // GET /markets/{ticker}/orderbook – resting bids of both legs
  app.get("/markets/:ticker/orderbook", (c) => {
    const q = readQuery(c, orderbookQuery);
    const market = requireMarket(state, pathParam(c, "ticker"));
    const depth = q.depth !== undefined && q.depth > 0 ? q.depth : 0;
    return c.json({ orderbook_fp: serializeOrderbook(state, market.ticker, depth) });
  });

  // GET /markets/{ticker} – one market
  app.get("/markets/:ticker", (c) => {
    readQuery(c, z.strictObject({}));
    const market = requireLiveMarket(state, pathParam(c, "ticker"));
    return c.json({ market: serializeMarket(state, market) });
  });

  // GET /search/tags_by_categories – tags of the listed series, by category
  app.get("/search/tags_by_categories", (c) => {
    readQuery(c, z.strictObject({}));
    const byCategory: Record<string, string[]> = {};
    for (const series of state.series.values()) {
      const tags = (byCategory[series.category] ??= []);
      for (const tag of series.tags) if (!tags.includes(tag)) tags.push(tag);
    }
    return c.json({ tags_by_categories: byCategory });
  });

  // GET /search/filters_by_sport – sports, competitions and scopes of the listed events
  app.get("/search/filters_by_sport", (c) => {
    readQuery(c, z.strictObject({}));
    const filters: Record<
      string,
      { scopes: string[]; competitions: Record<string, { scopes: string[] }> }
    > = {};
    for (const event of state.events.values()) {
      const series = state.series.get(event.seriesTicker);
      if (!series || series.category !== "Sports" || event.competition === null) continue;
      const sport = series.tags[0] ?? series.title;
      const entry = (filters[sport] ??= { scopes: [], competitions: {} });
      const scope = "Games";
      if (!entry.scopes.includes(scope)) entry.scopes.push(scope);
      const competition = (entry.competitions[event.competition] ??= { scopes: [] });
      if (!competition.scopes.includes(scope)) competition.scopes.push(scope);
    }
    return c.json({ filters_by_sports: filters, sport_ordering: Object.keys(filters) });
  });
};

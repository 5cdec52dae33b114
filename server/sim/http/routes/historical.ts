/**
 * The historical tier (getting_started/historical_data.md, api-reference/
 * historical/*): cutoff timestamps, and markets, candlesticks, trades, fills,
 * orders and positions older than them. Cutoff, markets, candlesticks and
 * trades are public; fills, orders and positions are signed and user-scoped.
 * Each record is served by exactly one tier: the live endpoints drop what
 * these return (see server/sim/historical/cutoff.ts).
 */
import type { Context } from "hono";
import { z } from "zod";
import { simErrors } from "@/server/sim/errors";
import type { RegisterRoutes, SimEnv } from "@/server/sim/http/env";
import { paginate } from "@/server/sim/http/pagination";
import { pageTrades, readQuery, tradesQuery } from "@/server/sim/http/routes/market-data";
import { isoTime, serializeMarket, serializeTrade } from "@/server/sim/http/serialize-market";
import { serializeFill, serializeOrder } from "@/server/sim/http/serialize-portfolio";
import { pathParam, queryInt } from "@/server/sim/http/validation";
import {
  historicalCutoffs,
  isHistoricalMarket,
  isHistoricalOrder,
  isHistoricalTrade,
} from "@/server/sim/historical/cutoff";
import {
  decodeIndexCursor,
  encodeIndexCursor,
  evictedTrades,
  historicalFillsPage,
} from "@/server/sim/historical/evicted";
import { historicalPositionsPage } from "@/server/sim/historical/historical-positions";
import { serializeHistoricalCandle } from "@/server/sim/historical/serialize-historical-candle";
import type { CandlePeriod } from "@/server/sim/market-data/candles";
import { marketData } from "@/server/sim/market-data/market-data";
import type { MarketRecord, OrderRecord } from "@/server/sim/model";
import type { HistoryBlockSummary } from "@/server/sim/retention";
import type { SimState } from "@/server/sim/state";

const unixTs = z
  .string()
  .regex(/^\d{1,13}$/, "must be a Unix timestamp in seconds")
  .transform(Number);

/** Market and trade lists: `limit` 0–1000 where 0 means the default 100 (MarketLimitQuery). */
const marketLimit = queryInt(0, 1000).transform((n) => (n === 0 ? 100 : n));
/** User-scoped lists: `limit` 1–1000 (LimitQuery). */
const userLimit = queryInt(1, 1000);

const marketsQuery = z.strictObject({
  limit: marketLimit.optional(),
  cursor: z.string().optional(),
  tickers: z.string().optional(),
  event_ticker: z
    .string()
    .refine((v) => !v.includes(","), "only a single event ticker is supported")
    .optional(),
  series_ticker: z.string().optional(),
  mve_filter: z.enum(["exclude"], "the only value is exclude").optional(),
});

const candlesQuery = z.strictObject({
  start_ts: unixTs,
  end_ts: unixTs,
  period_interval: z
    .enum(["1", "60", "1440"], "must be 1, 60 or 1440")
    .transform((v) => Number(v) as CandlePeriod),
});

/** The docs list ticker and max_ts; the SDK also sends min_ts, so it is accepted. */
const userListQuery = z.strictObject({
  ticker: z.string().optional(),
  min_ts: unixTs.optional(),
  max_ts: unixTs.optional(),
  limit: userLimit.optional(),
  cursor: z.string().optional(),
});

/** The docs list ticker and event_ticker; the SDK also sends subaccount (default 0). */
const positionsQuery = z.strictObject({
  ticker: z.string().optional(),
  event_ticker: z
    .string()
    .refine((v) => !v.includes(","), "only a single event ticker is supported")
    .optional(),
  subaccount: queryInt(0, 63).optional(),
  limit: userLimit.optional(),
  cursor: z.string().optional(),
});

/** Same bound as the live candlestick endpoint. */
const MAX_CANDLES = 5000;

/** "Filters are mutually exclusive" (GET /historical/markets). */
function checkExclusiveFilters(q: z.infer<typeof marketsQuery>): void {
  const used = (["tickers", "event_ticker", "series_ticker", "mve_filter"] as const).filter(
    (key) => q[key] !== undefined,
  );
  if (used.length > 1) {
    throw simErrors.invalidParameters(
      `${used.join(", ")}: these filters are mutually exclusive; give one`,
    );
  }
}

function requireHistoricalMarket(state: SimState, ticker: string): MarketRecord {
  const market = state.market(ticker);
  if (!market || !isHistoricalMarket(market, historicalCutoffs(state))) {
    throw simErrors.notFound(`historical market ${ticker}`);
  }
  return market;
}

/** Whether a history block's time range meets the `min_ts`/`max_ts` window. */
function overlapsWindow(
  block: HistoryBlockSummary,
  q: { min_ts?: number; max_ts?: number },
): boolean {
  if (q.min_ts !== undefined && block.maxTime < q.min_ts * 1000) return false;
  if (q.max_ts !== undefined && block.minTime > q.max_ts * 1000 + 999) return false;
  return true;
}

/** Inclusive whole-second window of `min_ts`/`max_ts` as a test on epoch ms. */
function inWindow(ms: number, q: { min_ts?: number; max_ts?: number }): boolean {
  if (q.min_ts !== undefined && ms < q.min_ts * 1000) return false;
  if (q.max_ts !== undefined && ms > q.max_ts * 1000 + 999) return false;
  return true;
}

export const registerHistoricalRoutes: RegisterRoutes = (app, exchange) => {
  const { state } = exchange;
  const userOf = (c: Context<SimEnv>) => c.get("auth").user;

  // GET /historical/cutoff – the live/historical boundary timestamps
  app.get("/historical/cutoff", (c) => {
    readQuery(c, z.strictObject({}));
    const cutoffs = historicalCutoffs(state);
    return c.json({
      market_settled_ts: isoTime(cutoffs.marketSettled),
      trades_created_ts: isoTime(cutoffs.tradesCreated),
      orders_updated_ts: isoTime(cutoffs.ordersUpdated),
      market_positions_last_updated_ts: isoTime(cutoffs.marketPositionsLastUpdated),
    });
  });

  // GET /historical/markets – markets settled before the cutoff, one filter at a time
  app.get("/historical/markets", (c) => {
    const q = readQuery(c, marketsQuery);
    checkExclusiveFilters(q);
    const tickers = q.tickers
      ? new Set(
          q.tickers
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
        )
      : null;
    const cutoffs = historicalCutoffs(state);
    const markets = [...state.markets.values()].filter((market) => {
      if (!isHistoricalMarket(market, cutoffs)) return false;
      if (tickers && !tickers.has(market.ticker)) return false;
      if (q.event_ticker !== undefined && market.eventTicker !== q.event_ticker) return false;
      if (q.series_ticker !== undefined && market.seriesTicker !== q.series_ticker) return false;
      // The simulator lists no multivariate markets, so mve_filter=exclude removes nothing.
      return true;
    });
    const page = paginate(markets, q.cursor, q.limit ?? 100);
    return c.json({
      markets: page.items.map((m) => serializeMarket(state, m)),
      cursor: page.cursor,
    });
  });

  // GET /historical/markets/{ticker} – one archived market (404 while it is still live)
  app.get("/historical/markets/:ticker", (c) => {
    readQuery(c, z.strictObject({}));
    const market = requireHistoricalMarket(state, pathParam(c, "ticker"));
    return c.json({ market: serializeMarket(state, market) });
  });

  // GET /historical/markets/{ticker}/candlesticks – candles of an archived market
  app.get("/historical/markets/:ticker/candlesticks", (c) => {
    const q = readQuery(c, candlesQuery);
    if (q.start_ts > q.end_ts)
      throw simErrors.invalidParameters("start_ts: must not be after end_ts");
    const market = requireHistoricalMarket(state, pathParam(c, "ticker"));
    const candles = marketData(state).candles(market.ticker);
    const startMs = q.start_ts * 1000;
    const endMs = q.end_ts * 1000;
    const count = candles.countInRange(q.period_interval, startMs, endMs);
    if (count > MAX_CANDLES) {
      throw simErrors.invalidParameters(
        `start_ts/end_ts: the range holds ${count} candlesticks, more than ${MAX_CANDLES}; narrow it or use a longer period_interval`,
      );
    }
    const list = candles.range(q.period_interval, startMs, endMs);
    return c.json({ ticker: market.ticker, candlesticks: list.map(serializeHistoricalCandle) });
  });

  // GET /historical/trades – public trades before the cutoff, newest first (memory, then disk)
  app.get("/historical/trades", (c) => {
    const q = readQuery(c, tradesQuery);
    const list = q.ticker !== undefined ? (state.tradesByMarket.get(q.ticker) ?? []) : state.trades;
    const page = pageTrades(
      list,
      q,
      { maxMs: historicalCutoffs(state).tradesCreated - 1 },
      evictedTrades(state, q.ticker),
    );
    return c.json({ trades: page.trades.map(serializeTrade), cursor: page.cursor });
  });

  // GET /historical/fills – the caller's fills before the cutoff, newest first (memory, then disk)
  app.get("/historical/fills", (c) => {
    const q = readQuery(c, userListQuery);
    const userId = userOf(c).userId;
    const cutoffs = historicalCutoffs(state);
    const page = historicalFillsPage(state, {
      before: q.cursor === undefined ? Infinity : decodeIndexCursor(q.cursor),
      limit: q.limit ?? 100,
      matches: (fill) =>
        fill.userId === userId &&
        isHistoricalTrade(fill, cutoffs) &&
        (q.ticker === undefined || fill.ticker === q.ticker) &&
        inWindow(fill.createdTime, q),
      mayMatch: (block) =>
        block.hasUser(userId) &&
        (q.ticker === undefined || block.hasTicker(q.ticker)) &&
        overlapsWindow(block, q),
    });
    return c.json({
      fills: page.items.map(serializeFill),
      cursor: page.next === null ? "" : encodeIndexCursor(page.next),
    });
  });

  // GET /historical/orders – the caller's canceled or executed orders before the cutoff
  app.get("/historical/orders", (c) => {
    const q = readQuery(c, userListQuery);
    const userId = userOf(c).userId;
    const cutoffs = historicalCutoffs(state);
    const orders: OrderRecord[] = [];
    for (const order of state.orders.values()) {
      if (order.userId !== userId || !isHistoricalOrder(order, cutoffs)) continue;
      if (q.ticker !== undefined && order.ticker !== q.ticker) continue;
      if (!inWindow(order.createdTime, q)) continue;
      orders.push(order);
    }
    // Orders that left memory (all historical): from the blocks that hold the caller's.
    const evicted = state.retention.history?.newestFirst(
      "orders",
      state.retention.evicted.orders,
      (block) =>
        block.hasUser(userId) &&
        (q.ticker === undefined || block.hasTicker(q.ticker)) &&
        overlapsWindow(block, q),
    );
    for (const [, order] of evicted ?? []) {
      if (order.userId !== userId) continue;
      if (q.ticker !== undefined && order.ticker !== q.ticker) continue;
      if (!inWindow(order.createdTime, q)) continue;
      orders.push(order);
    }
    // Same order as GET /portfolio/orders: newest first.
    orders.sort((a, b) => b.createdTime - a.createdTime || b.sequence - a.sequence);
    const page = paginate(orders, q.cursor, q.limit ?? 100);
    return c.json({ orders: page.items.map(serializeOrder), cursor: page.cursor });
  });

  // GET /historical/positions – the caller's settled positions of archived events
  app.get("/historical/positions", (c) => {
    const q = readQuery(c, positionsQuery);
    const user = userOf(c);
    const subaccount = q.subaccount ?? 0;
    if (subaccount > user.subaccountCount) {
      throw simErrors.invalidParameters(`subaccount ${subaccount} does not exist`);
    }
    return c.json(
      historicalPositionsPage(state, {
        userId: user.userId,
        subaccount,
        ticker: q.ticker,
        eventTicker: q.event_ticker,
        limit: q.limit ?? 100,
        cursor: q.cursor,
      }),
    );
  });
};

import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

import {
  CountString,
  Cursor,
  DollarsString,
  IsoTime,
  PageLimit,
  PlainText,
  Ticker,
  UnixSeconds,
} from "./common";
import { CLOSING_WINDOWS, SORT_OPTIONS } from "@/lib/queries/browse-filters";

/**
 * Kalshi market shapes, shared by the server (validating upstream answers)
 * and the pages (typing what they render). Browser-safe.
 *
 * Only the fields the app reads are checked; the rest of Kalshi's market
 * object passes through untouched, so a new upstream field never breaks us.
 */

export { CountString, DollarsString } from "./common";

/** Values accepted by GET /markets `status` (the filter, not the market's own status). */
export const MarketStatusFilter = z.enum(["unopened", "open", "paused", "closed", "settled"]);
export type MarketStatusFilter = z.infer<typeof MarketStatusFilter>;

export const MarketSchema = z.looseObject({
  ticker: z.string().min(1),
  event_ticker: z.string().min(1),
  title: z.string(),
  yes_sub_title: z.string(),
  // Kalshi reports lifecycle states ("active", "closed", "determined", ...);
  // kept open-ended so a new state does not make a whole list unreadable.
  status: z.string().min(1),
  yes_bid_dollars: DollarsString,
  yes_ask_dollars: DollarsString,
  last_price_dollars: DollarsString,
  volume_fp: CountString,
  volume_24h_fp: CountString,
  open_interest_fp: CountString,
  close_time: z.iso.datetime({ offset: true }),
});
export type Market = z.infer<typeof MarketSchema>;

/** GET /markets response. An empty cursor means the last page. */
export const MarketListSchema = z.looseObject({
  markets: z.array(MarketSchema),
  cursor: z.string().default(""),
});
export type MarketList = z.infer<typeof MarketListSchema>;

/** Query for listing markets; camelCase here, snake_case on the wire. */
export const ListMarketsParams = z.object({
  status: MarketStatusFilter.optional(),
  /** Kalshi allows 1..1000 per page. */
  limit: z.number().int().min(1).max(1000).optional(),
  cursor: z.string().min(1).optional(),
  eventTicker: z.string().min(1).optional(),
  seriesTicker: z.string().min(1).optional(),
});
export type ListMarketsParams = z.infer<typeof ListMarketsParams>;

/** GET /exchange/status response. */
export const ExchangeStatusSchema = z.looseObject({
  exchange_active: z.boolean(),
  trading_active: z.boolean(),
  exchange_estimated_resume_time: z.iso.datetime({ offset: true }).nullish(),
});
export type ExchangeStatus = z.infer<typeof ExchangeStatusSchema>;

/** GET /markets/{ticker} */
export const MarketResponseSchema = z.looseObject({ market: MarketSchema });

// ---- events and series ----

export const EventSchema = z.looseObject({
  event_ticker: z.string().min(1),
  series_ticker: z.string().min(1),
  title: z.string(),
  sub_title: z.string(),
  mutually_exclusive: z.boolean(),
  category: z.string().optional(),
  markets: z.array(MarketSchema).optional(),
});
export type KalshiEvent = z.infer<typeof EventSchema>;

/** GET /events */
export const EventListSchema = z.looseObject({ events: z.array(EventSchema), cursor: Cursor });
export type EventList = z.infer<typeof EventListSchema>;

/** GET /events/{event_ticker}: the event and its markets. */
export const EventResponseSchema = z.looseObject({
  event: EventSchema,
  markets: z.array(MarketSchema).default([]),
});
export type EventResponse = z.infer<typeof EventResponseSchema>;

export const SeriesSchema = z.looseObject({
  ticker: z.string().min(1),
  frequency: z.string(),
  title: z.string(),
  category: z.string(),
  tags: z.array(z.string()).nullish(),
  fee_type: z.string(),
  volume_fp: CountString.optional(),
});
export type Series = z.infer<typeof SeriesSchema>;

/** GET /series */
export const SeriesListSchema = z.looseObject({
  series: z
    .array(SeriesSchema)
    .nullish()
    .transform((s) => s ?? []),
});
export type SeriesList = z.infer<typeof SeriesListSchema>;

/** GET /series/{series_ticker} */
export const SeriesResponseSchema = z.looseObject({ series: SeriesSchema });

// ---- order books ----

/** One level: [price_dollars, count_fp]. */
const BookLevel = z.tuple([DollarsString, CountString]);

/** Kalshi's book: resting YES bids and NO bids, best last (orderbook_responses.md). */
export const OrderbookSchema = z.looseObject({
  yes_dollars: z
    .array(BookLevel)
    .nullish()
    .transform((levels) => levels ?? []),
  no_dollars: z
    .array(BookLevel)
    .nullish()
    .transform((levels) => levels ?? []),
});
export type Orderbook = z.infer<typeof OrderbookSchema>;

/** GET /markets/{ticker}/orderbook */
export const OrderbookResponseSchema = z.looseObject({ orderbook_fp: OrderbookSchema });
export type OrderbookResponse = z.infer<typeof OrderbookResponseSchema>;

/** GET /markets/orderbooks */
export const OrderbooksResponseSchema = z.looseObject({
  orderbooks: z.array(z.looseObject({ ticker: z.string().min(1), orderbook_fp: OrderbookSchema })),
});
export type OrderbooksResponse = z.infer<typeof OrderbooksResponseSchema>;

// ---- trades ----

export const TradeSchema = z.looseObject({
  trade_id: z.string().min(1),
  ticker: z.string().min(1),
  count_fp: CountString,
  yes_price_dollars: DollarsString,
  no_price_dollars: DollarsString,
  taker_outcome_side: z.enum(["yes", "no"]).optional(),
  taker_book_side: z.enum(["bid", "ask"]).optional(),
  created_time: IsoTime,
});
export type Trade = z.infer<typeof TradeSchema>;

/** GET /markets/trades (and /historical/trades) */
export const TradeListSchema = z.looseObject({ trades: z.array(TradeSchema), cursor: Cursor });
export type TradeList = z.infer<typeof TradeListSchema>;

// ---- candlesticks ----

const OhlcDollars = z.looseObject({
  open_dollars: DollarsString,
  low_dollars: DollarsString,
  high_dollars: DollarsString,
  close_dollars: DollarsString,
});
const OptionalDollars = DollarsString.nullish();

export const CandlestickSchema = z.looseObject({
  end_period_ts: z.number().int(),
  yes_bid: OhlcDollars,
  yes_ask: OhlcDollars,
  price: z.looseObject({
    open_dollars: OptionalDollars,
    low_dollars: OptionalDollars,
    high_dollars: OptionalDollars,
    close_dollars: OptionalDollars,
    mean_dollars: OptionalDollars,
    previous_dollars: OptionalDollars,
  }),
  volume_fp: CountString,
  open_interest_fp: CountString,
});
export type Candlestick = z.infer<typeof CandlestickSchema>;

/** GET /series/{series_ticker}/markets/{ticker}/candlesticks */
export const CandlesticksResponseSchema = z.looseObject({
  ticker: z.string().optional(),
  candlesticks: z.array(CandlestickSchema),
});
export type CandlesticksResponse = { ticker: string; candlesticks: Candlestick[] };

const Ohlc = z.looseObject({
  open: DollarsString,
  low: DollarsString,
  high: DollarsString,
  close: DollarsString,
});

/** GET /historical/markets/{ticker}/candlesticks: older shape without the `_dollars` suffixes. */
export const HistoricalCandlesticksResponseSchema = z.looseObject({
  ticker: z.string().optional(),
  candlesticks: z.array(
    z.looseObject({
      end_period_ts: z.number().int(),
      yes_bid: Ohlc,
      yes_ask: Ohlc,
      price: z.looseObject({
        open: OptionalDollars,
        low: OptionalDollars,
        high: OptionalDollars,
        close: OptionalDollars,
        mean: OptionalDollars,
        previous: OptionalDollars,
      }),
      volume: CountString,
      open_interest: CountString,
    }),
  ),
});

/** GET /historical/cutoff */
export const HistoricalCutoffSchema = z.looseObject({
  market_settled_ts: IsoTime,
  trades_created_ts: IsoTime,
  orders_updated_ts: IsoTime,
  market_positions_last_updated_ts: IsoTime.optional(),
});
export type HistoricalCutoff = z.infer<typeof HistoricalCutoffSchema>;

// ---- BFF queries (query strings: numbers and booleans arrive as text) ----

const QueryBoolean = z.enum(["true", "false"]).transform((value) => value === "true");
const pageQuery = { limit: PageLimit.optional(), cursor: z.string().min(1).max(2000).optional() };

/** GET /api/markets */
export const MarketsQuery = z.strictObject({
  ...pageQuery,
  status: MarketStatusFilter.optional(),
  event_ticker: Ticker.optional(),
  series_ticker: Ticker.optional(),
  tickers: z
    .string()
    .regex(/^[A-Za-z0-9._,-]+$/, "must be comma-separated tickers")
    .optional(),
  min_close_ts: UnixSeconds.optional(),
  max_close_ts: UnixSeconds.optional(),
  min_settled_ts: UnixSeconds.optional(),
  mve_filter: z.enum(["only", "exclude"]).optional(),
  // Ours, not Kalshi's: the browse page's filters and sort, answered from the
  // in-memory universe (server/market-data) and never sent upstream.
  sort: z.enum(SORT_OPTIONS).optional(),
  category: z.string().min(1).max(100).pipe(PlainText).optional(),
  closing: z.enum(CLOSING_WINDOWS).optional(),
});
export type MarketsQuery = z.infer<typeof MarketsQuery>;

/** The MarketsQuery parameters Kalshi does not know (stripped before a query goes upstream). */
export const OWN_MARKET_PARAMS = ["sort", "category", "closing"] as const;

/** GET /api/events */
export const EventsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: pageQuery.cursor,
  status: z.enum(["unopened", "open", "closed", "settled"]).optional(),
  series_ticker: Ticker.optional(),
  tickers: z
    .string()
    .regex(/^[A-Za-z0-9._,-]+$/, "must be comma-separated tickers")
    .optional(),
  with_nested_markets: QueryBoolean.optional(),
  min_close_ts: UnixSeconds.optional(),
});
export type EventsQuery = z.infer<typeof EventsQuery>;

/** GET /api/events/{ticker} */
export const EventQuery = z.strictObject({ with_nested_markets: QueryBoolean.optional() });

/** GET /api/series */
export const SeriesQuery = z.strictObject({
  category: z.string().min(1).max(100).optional(),
  tags: z.string().min(1).max(200).optional(),
  include_volume: QueryBoolean.optional(),
});
export type SeriesQuery = z.infer<typeof SeriesQuery>;

/** GET /api/markets/{ticker}/orderbook */
export const OrderbookQuery = z.strictObject({
  depth: z.coerce.number().int().min(0).max(100).optional(),
});

/** GET /api/trades */
export const TradesQuery = z.strictObject({
  ...pageQuery,
  ticker: Ticker.optional(),
  min_ts: UnixSeconds.optional(),
  max_ts: UnixSeconds.optional(),
});
export type TradesQuery = z.infer<typeof TradesQuery>;

/** Candle widths Kalshi serves, in minutes: 1 minute, 1 hour, 1 day. */
export const PeriodInterval = z.coerce
  .number()
  .int()
  .refine((value) => value === 1 || value === 60 || value === 1440, "must be 1, 60 or 1440");

/** GET /api/markets/{ticker}/candlesticks */
export const CandlesticksQuery = z
  .strictObject({
    series_ticker: Ticker,
    start_ts: UnixSeconds,
    end_ts: UnixSeconds,
    period_interval: PeriodInterval,
  })
  .refine((query) => query.end_ts >= query.start_ts, {
    path: ["end_ts"],
    message: "must not be before start_ts",
  });
export type CandlesticksQuery = z.infer<typeof CandlesticksQuery>;

/**
 * Wire JSON for the simulator's public reference and market data: series,
 * events, markets, trades, orderbooks and candlesticks, field for field as
 * Kalshi's OpenAPI pages and the `kalshi-typescript` models define them.
 * Money is a 4-decimal dollar string, counts 2-decimal `_fp` strings, times
 * RFC 3339 (UTC) unless the schema says integer seconds.
 *
 * `serializeMarket` is shared with the WebSocket lifecycle messages.
 */
import { comboFields } from "@/server/sim/combos/combo-fields";
import { complement, formatCount, formatDollars, ONE_DOLLAR, type Micros } from "@/lib/fixed-point";
import { toWireRanges } from "@/lib/price-grid";
import { candleMean, type Candle } from "@/server/sim/market-data/candles";
import { marketData } from "@/server/sim/market-data/market-data";
import { eventExtras, marketExtras, seriesExtras } from "@/server/sim/market-data/reference-extras";
import { marketQuote } from "@/server/sim/market-quote";
import type { EventRecord, MarketRecord, SeriesRecord, TradeRecord } from "@/server/sim/model";
import { outcomeOf } from "@/server/sim/model";
import type { SimState } from "@/server/sim/state";

/** RFC 3339 in UTC, as Kalshi sends date-times. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Whole Unix seconds (candlestick `end_period_ts`, `adjusted_end_ts`). */
export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

const dollars = (micros: Micros | null): string => formatDollars(micros ?? 0);

// ------------------------------------------------------------------ series

export interface SerializeSeriesOptions {
  includeProductMetadata?: boolean;
  includeVolume?: boolean;
}

/** Series (GET /series, GET /series/{series_ticker}). */
export function serializeSeries(
  state: SimState,
  series: SeriesRecord,
  options: SerializeSeriesOptions = {},
) {
  const extras = seriesExtras(state, series.ticker);
  const body: Record<string, unknown> = {
    ticker: series.ticker,
    frequency: series.frequency,
    title: series.title,
    category: series.category,
    categories: [series.category],
    tags: [...series.tags],
    settlement_sources: series.settlementSources.map((s) => ({ name: s.name, url: s.url })),
    contract_url: series.contractUrl,
    contract_terms_url: series.contractTermsUrl,
    fee_type: series.feeType,
    fee_multiplier: series.feeMultiplier,
    additional_prohibitions: [...series.additionalProhibitions],
    exchange_index: 0,
  };
  if (options.includeProductMetadata) body.product_metadata = series.productMetadata ?? null;
  if (options.includeVolume) body.volume_fp = formatCount(seriesVolume(state, series.ticker));
  if (extras.lastUpdatedTs !== undefined) body.last_updated_ts = isoTime(extras.lastUpdatedTs);
  return body;
}

/** Contracts ever traded across the series' markets. */
export function seriesVolume(state: SimState, seriesTicker: string): number {
  let total = 0;
  for (const market of state.markets.values()) {
    if (market.seriesTicker === seriesTicker) total += market.volume;
  }
  return total;
}

// ------------------------------------------------------------------ markets

/** Market object (GET /markets, GET /markets/{ticker}, nested in events, WebSocket lifecycle). */
export function serializeMarket(state: SimState, market: MarketRecord) {
  const quote = marketQuote(state, market.ticker);
  const extras = marketExtras(state, market.ticker);
  const store = marketData(state);
  // "A day ago" rolls with the clock; the record's seeded values cover markets the store has no history for.
  const dayAgo = store.dayAgo(market.ticker);
  const body: Record<string, unknown> = {
    ticker: market.ticker,
    event_ticker: market.eventTicker,
    market_type: market.marketType,
    title: market.title,
    subtitle: market.subtitle,
    yes_sub_title: market.yesSubTitle,
    no_sub_title: market.noSubTitle,
    created_time: isoTime(market.createdTime),
    updated_time: isoTime(market.updatedTime),
    open_time: isoTime(market.openTime),
    close_time: isoTime(market.closeTime),
    expected_expiration_time: isoTime(market.expectedExpirationTime),
    // Deprecated: Kalshi keeps sending the legacy expiry (the latest possible one).
    expiration_time: isoTime(market.latestExpirationTime),
    latest_expiration_time: isoTime(market.latestExpirationTime),
    settlement_timer_seconds: market.settlementTimerSeconds,
    status: market.status,
    yes_bid_dollars: formatDollars(quote.yesBid),
    yes_bid_size_fp: formatCount(quote.yesBidSize),
    yes_ask_dollars: formatDollars(quote.yesAsk),
    yes_ask_size_fp: formatCount(quote.yesAskSize),
    // A NO bid is a YES ask seen from the other leg, and back.
    no_bid_dollars: formatDollars(complement(quote.yesAsk)),
    no_ask_dollars: formatDollars(complement(quote.yesBid)),
    last_price_dollars: dollars(market.lastPrice),
    volume_fp: formatCount(market.volume),
    volume_24h_fp: formatCount(store.volume24h(market.ticker)),
    result: market.result,
    can_close_early: market.canCloseEarly,
    open_interest_fp: formatCount(market.openInterest),
    notional_value_dollars: formatDollars(market.notionalValue),
    previous_yes_bid_dollars: dollars(dayAgo ? dayAgo.yesBid : market.previousYesBid),
    previous_yes_ask_dollars: dollars(dayAgo ? dayAgo.yesAsk : market.previousYesAsk),
    previous_price_dollars: dollars(dayAgo ? dayAgo.price : market.previousPrice),
    // Deprecated by Kalshi: "will always return 0.0000".
    liquidity_dollars: "0.0000",
    expiration_value: market.expirationValue ?? "",
    rules_primary: market.rulesPrimary,
    rules_secondary: market.rulesSecondary,
    price_level_structure: market.priceLevelStructure,
    price_ranges: toWireRanges(market.priceRanges),
    is_provisional: false,
    exchange_index: market.exchangeIndex,
  };
  if (market.settlementValue !== null)
    body.settlement_value_dollars = formatDollars(market.settlementValue);
  if (market.settlementTime !== null) body.settlement_ts = isoTime(market.settlementTime);
  if (extras.occurrenceTime !== undefined)
    body.occurrence_datetime = isoTime(extras.occurrenceTime);
  if (extras.earlyCloseCondition !== undefined)
    body.early_close_condition = extras.earlyCloseCondition;
  body.strike_type = market.strikeType;
  if (market.floorStrike !== null) body.floor_strike = market.floorStrike;
  if (market.capStrike !== null) body.cap_strike = market.capStrike;
  Object.assign(body, comboFields(state, market.ticker));
  return body;
}

// ------------------------------------------------------------------ events

export interface SerializeEventOptions {
  /** Put the event's markets inside the event object (`with_nested_markets`). */
  withNestedMarkets?: boolean;
}

/** The event's markets, in display order, that still exist. */
export function eventMarkets(state: SimState, event: EventRecord): MarketRecord[] {
  const markets: MarketRecord[] = [];
  for (const ticker of event.marketTickers) {
    const market = state.market(ticker);
    if (market) markets.push(market);
  }
  return markets;
}

/** EventData (GET /events, GET /events/{event_ticker}). */
export function serializeEvent(
  state: SimState,
  event: EventRecord,
  options: SerializeEventOptions = {},
) {
  const series = state.series.get(event.seriesTicker);
  const extras = eventExtras(state, event.eventTicker);
  const body: Record<string, unknown> = {
    event_ticker: event.eventTicker,
    series_ticker: event.seriesTicker,
    sub_title: event.subTitle,
    title: event.title,
    collateral_return_type: event.collateralReturnType,
    mutually_exclusive: event.mutuallyExclusive,
    category: event.category,
    // Deprecated by Kalshi; "always returns false".
    available_on_brokers: false,
    settlement_sources: series
      ? series.settlementSources.map((s) => ({ name: s.name, url: s.url }))
      : [],
    last_updated_ts: isoTime(event.lastUpdatedTs),
    exchange_index: 0,
  };
  if (event.strikeDate !== null) body.strike_date = isoTime(event.strikeDate);
  if (event.strikePeriod !== "") body.strike_period = event.strikePeriod;
  if (extras.productMetadata !== undefined) body.product_metadata = extras.productMetadata;
  if (options.withNestedMarkets) {
    body.markets = eventMarkets(state, event).map((market) => serializeMarket(state, market));
  }
  return body;
}

/** GET /events/{event_ticker}/metadata. */
export function serializeEventMetadata(state: SimState, event: EventRecord) {
  const series = state.series.get(event.seriesTicker);
  const extras = eventExtras(state, event.eventTicker);
  const body: Record<string, unknown> = {
    image_url: event.imageUrl,
    market_details: eventMarkets(state, event).map((market) => {
      const m = marketExtras(state, market.ticker);
      return {
        market_ticker: market.ticker,
        image_url: m.imageUrl ?? event.imageUrl,
        color_code: m.colorCode ?? "#6B7280",
      };
    }),
    settlement_sources: series
      ? series.settlementSources.map((s) => ({ name: s.name, url: s.url }))
      : [],
  };
  if (extras.featuredImageUrl !== undefined) body.featured_image_url = extras.featuredImageUrl;
  if (event.competition !== null) {
    body.competition = event.competition;
    body.competition_scope = extras.competitionScope ?? null;
  }
  return body;
}

// ------------------------------------------------------------------ trades

/** Trade (GET /markets/trades). */
export function serializeTrade(trade: TradeRecord) {
  const outcome = outcomeOf(trade.takerSide);
  return {
    trade_id: trade.tradeId,
    ticker: trade.ticker,
    count_fp: formatCount(trade.count),
    yes_price_dollars: formatDollars(trade.price),
    no_price_dollars: formatDollars(complement(trade.price)),
    // Deprecated alias of taker_outcome_side that Kalshi still sends.
    taker_side: outcome,
    taker_outcome_side: outcome,
    taker_book_side: trade.takerSide,
    created_time: isoTime(trade.createdTime),
    is_block_trade: trade.isBlockTrade,
  };
}

// ------------------------------------------------------------------ orderbook

/**
 * `orderbook_fp` of GET /markets/{ticker}/orderbook: bids only, each side
 * sorted by price ascending so the best bid is last. YES bids are the book's
 * bids; NO bids are its asks priced on the NO leg ($1 − YES ask). `depth`
 * keeps the best N levels of each side (0 = all).
 */
export function serializeOrderbook(state: SimState, ticker: string, depth = 0) {
  const book = state.books.get(ticker);
  const bids = book ? book.depth("bid", depth) : [];
  const asks = book ? book.depth("ask", depth) : [];
  // depth() lists best first: bids descending, asks ascending (= NO prices descending).
  const yes = bids.reverse().map(([price, size]) => [formatDollars(price), formatCount(size)]);
  const no = asks
    .reverse()
    .map(([price, size]) => [formatDollars(ONE_DOLLAR - price), formatCount(size)]);
  return { yes_dollars: yes, no_dollars: no };
}

// ------------------------------------------------------------------ candlesticks

/**
 * A candle's formatted bid, ask and trade prices under plain names (`open`,
 * `low`...), as the historical schema names them and the live one suffixes
 * them. Trade prices are null for periods without trades, as the docs allow.
 */
export function candleQuotes(candle: Candle) {
  const traded = candle.volume > 0 && candle.priceOpen !== null;
  const price = (value: Micros | null) => (traded && value !== null ? formatDollars(value) : null);
  return {
    bid: {
      open: formatDollars(candle.bidOpen),
      low: formatDollars(candle.bidLow),
      high: formatDollars(candle.bidHigh),
      close: formatDollars(candle.bidClose),
    },
    ask: {
      open: formatDollars(candle.askOpen),
      low: formatDollars(candle.askLow),
      high: formatDollars(candle.askHigh),
      close: formatDollars(candle.askClose),
    },
    price: {
      open: price(candle.priceOpen),
      low: price(candle.priceLow),
      high: price(candle.priceHigh),
      close: price(candle.priceClose),
      mean: price(candleMean(candle)),
      previous: candle.previousPrice === null ? null : formatDollars(candle.previousPrice),
    },
  };
}

/** MarketCandlestick. Price fields are null for periods without trades, as the docs allow. */
export function serializeCandle(candle: Candle) {
  const { bid, ask, price } = candleQuotes(candle);
  return {
    end_period_ts: unixSeconds(candle.endMs),
    yes_bid: {
      open_dollars: bid.open,
      low_dollars: bid.low,
      high_dollars: bid.high,
      close_dollars: bid.close,
    },
    yes_ask: {
      open_dollars: ask.open,
      low_dollars: ask.low,
      high_dollars: ask.high,
      close_dollars: ask.close,
    },
    price: {
      open_dollars: price.open,
      low_dollars: price.low,
      high_dollars: price.high,
      close_dollars: price.close,
      mean_dollars: price.mean,
      previous_dollars: price.previous,
      // For a single market the extreme closes are the period's extreme trades.
      min_dollars: price.low,
      max_dollars: price.high,
    },
    volume_fp: formatCount(candle.volume),
    open_interest_fp: formatCount(candle.openInterest),
  };
}

/**
 * The synthetic candle of `include_latest_before_start`: the latest real
 * candle before the range, moved to `endMs`, with trade prices null and
 * `previous` set to that candle's close; bid/ask and open interest carry over.
 */
export function serializeCarryCandle(latest: Candle, endMs: number) {
  const lastPrice = latest.priceClose ?? latest.previousPrice;
  return serializeCandle({
    endMs,
    bidOpen: latest.bidClose,
    bidLow: latest.bidClose,
    bidHigh: latest.bidClose,
    bidClose: latest.bidClose,
    askOpen: latest.askClose,
    askLow: latest.askClose,
    askHigh: latest.askClose,
    askClose: latest.askClose,
    priceOpen: null,
    priceLow: null,
    priceHigh: null,
    priceClose: null,
    priceVolumeSum: 0,
    previousPrice: lastPrice,
    volume: 0,
    openInterest: latest.openInterest,
  });
}

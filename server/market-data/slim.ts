/**
 * Slim answers for the list routes: only the fields a list shows (the market
 * browser's rows and the watchlist, the portfolio's marks, the category and
 * series chips, the series drill-down strip). One market object from Kalshi
 * carries rules, price ranges and some forty other fields; a row needs these.
 * The detail routes (one market, one event, one series) keep everything.
 */
import type { EventList, KalshiEvent, Market, MarketList, Series } from "@/lib/schemas/market";

/** What a market row reads (components/markets/market-rows.tsx, use-live-quote.ts, the portfolio's marks). */
export const LIST_MARKET_FIELDS = [
  "ticker",
  "event_ticker",
  "title",
  "yes_sub_title",
  "status",
  "yes_bid_dollars",
  "yes_ask_dollars",
  "last_price_dollars",
  "previous_price_dollars",
  "volume_fp",
  "volume_24h_fp",
  "open_interest_fp",
  "close_time",
  "result",
  "settlement_value_dollars",
  // The price grid (cent, deci-cent, tapered): what precision the row's prices have, and
  // what a client that trades from the list must round to.
  "price_level_structure",
] as const;

/** What the category and series chips read. */
export const LIST_SERIES_FIELDS = ["ticker", "title", "category", "tags", "frequency"] as const;

/** What the series drill-down reads of an event. */
export const LIST_EVENT_FIELDS = [
  "event_ticker",
  "series_ticker",
  "title",
  "sub_title",
  "mutually_exclusive",
  "category",
] as const;

function pick<T extends object>(value: T, fields: readonly string[]): T {
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const v = source[field];
    // Kalshi's empty result ("") and absent settlement value say nothing to a row.
    if (v !== undefined && v !== null && !(field === "result" && v === "")) out[field] = v;
  }
  return out as T;
}

export function slimMarket(market: Market): Market {
  return pick(market, LIST_MARKET_FIELDS);
}

export function slimMarketList(list: MarketList): MarketList {
  return { markets: list.markets.map(slimMarket), cursor: list.cursor };
}

export function slimSeries(series: Series): Series {
  return pick(series, LIST_SERIES_FIELDS);
}

export function slimEvent(event: KalshiEvent): KalshiEvent {
  const slim = pick(event, LIST_EVENT_FIELDS);
  return event.markets ? { ...slim, markets: event.markets.map(slimMarket) } : slim;
}

export function slimEventList(list: EventList): EventList {
  return { events: list.events.map(slimEvent), cursor: list.cursor };
}

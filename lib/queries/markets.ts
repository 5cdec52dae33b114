/**
 * Query keys and options for market data (markets, events, series, trades,
 * candlesticks, search). Browser-safe: the query functions call the BFF; a
 * server page prefetches the same keys with its own `queryFn` (a direct
 * server/kalshi call) and hydrates them, so the shapes must stay identical.
 */
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";

import { upstreamMarketQuery, type BrowseFilters } from "@/lib/queries/browse-filters";
import { apiPath, fetchApi } from "@/lib/queries/fetch-api";
import type {
  CandlesticksResponse,
  EventList,
  EventResponse,
  Market,
  MarketList,
  Series,
  SeriesList,
  TradeList,
} from "@/lib/schemas/market";
import type { SearchResponse } from "@/lib/schemas/search";

/** Rows per page of the market browser when scrolling on: a few screens. */
export const MARKET_PAGE_SIZE = 100;
/**
 * Rows of the first page: what fills the first screens, and what the server
 * render dehydrates into the HTML (the /markets budget: under 30 kB of data).
 */
export const FIRST_PAGE_SIZE = 40;

/** Upstream filters only: the rest of BrowseFilters is applied in the page (see browse-filters.ts). */
export type MarketListKey = ReturnType<typeof upstreamMarketQuery>;

export const marketKeys = {
  all: ["markets"] as const,
  list: (query: MarketListKey) => ["markets", "list", query] as const,
  detail: (ticker: string) => ["markets", "detail", ticker] as const,
  trades: (ticker: string) => ["markets", "trades", ticker] as const,
  candles: (ticker: string, period: number, startTs: number, endTs: number) =>
    ["markets", "candles", ticker, period, startTs, endTs] as const,
};

export const eventKeys = {
  detail: (ticker: string) => ["events", "detail", ticker] as const,
  bySeries: (series: string) => ["events", "series", series] as const,
};

export const seriesKeys = {
  list: ["series", "list"] as const,
  categories: ["series", "categories"] as const,
  byCategory: (category: string) => ["series", "category", category] as const,
};

/** A category chip: the name and how many series it holds. */
export interface CategoryCount {
  category: string;
  series: number;
}

export const searchKeys = { query: (q: string) => ["search", q] as const };

/** GET /api/markets for one page of the browser (the server page asks the same). */
export function marketPageQuery(filters: BrowseFilters, cursor: string) {
  return {
    ...upstreamMarketQuery(filters),
    limit: cursor ? MARKET_PAGE_SIZE : FIRST_PAGE_SIZE,
    cursor: cursor || undefined,
  };
}

/** The market browser's pages, filtered and sorted by the server (cursor pagination; no totals). */
export function marketListOptions(filters: BrowseFilters) {
  const query = upstreamMarketQuery(filters);
  return infiniteQueryOptions({
    queryKey: marketKeys.list(query),
    queryFn: ({ pageParam, signal }) =>
      fetchApi<MarketList>(apiPath("/api/markets", marketPageQuery(filters, pageParam)), {
        signal,
      }),
    initialPageParam: "",
    getNextPageParam: (last: MarketList) => (last.cursor ? last.cursor : undefined),
  });
}

export function marketOptions(ticker: string) {
  return queryOptions({
    queryKey: marketKeys.detail(ticker),
    queryFn: ({ signal }) =>
      fetchApi<{ market: Market }>(`/api/markets/${encodeURIComponent(ticker)}`, { signal }).then(
        (answer) => answer.market,
      ),
  });
}

export function eventOptions(ticker: string) {
  return queryOptions({
    queryKey: eventKeys.detail(ticker),
    queryFn: ({ signal }) =>
      fetchApi<EventResponse>(`/api/events/${encodeURIComponent(ticker)}`, { signal }),
  });
}

/** Open events of a series (the drill-down strip of the browser). */
export function seriesEventsOptions(series: string) {
  return queryOptions({
    queryKey: eventKeys.bySeries(series),
    queryFn: ({ signal }) =>
      fetchApi<EventList>(apiPath("/api/events", { series_ticker: series, limit: 50 }), {
        signal,
      }),
  });
}

export function seriesListOptions() {
  return queryOptions({
    queryKey: seriesKeys.list,
    queryFn: ({ signal }) => fetchApi<SeriesList>("/api/series", { signal }),
    // Series change rarely; categories and tags come from here.
    staleTime: 5 * 60_000,
  });
}

/** The category chips of the browser. */
export function categoriesOptions() {
  return queryOptions({
    queryKey: seriesKeys.categories,
    queryFn: ({ signal }) =>
      fetchApi<{ categories: CategoryCount[] }>("/api/categories", { signal }).then(
        (answer) => answer.categories,
      ),
    staleTime: 5 * 60_000,
  });
}

/** The series chips of one category. */
export function seriesOfCategoryOptions(category: string) {
  return queryOptions({
    queryKey: seriesKeys.byCategory(category),
    queryFn: ({ signal }) =>
      fetchApi<SeriesList>(apiPath("/api/series", { category }), { signal }).then(
        (answer) => answer.series,
      ),
    staleTime: 5 * 60_000,
    enabled: category.length > 0,
  });
}

/** Recent trades of a market, newest first (the tape's history; live trades add to it). */
export function tradesOptions(ticker: string) {
  return queryOptions({
    queryKey: marketKeys.trades(ticker),
    queryFn: ({ signal }) =>
      fetchApi<TradeList>(apiPath("/api/trades", { ticker, limit: 50 }), { signal }),
  });
}

export function candlesOptions(
  ticker: string,
  seriesTicker: string,
  period: number,
  startTs: number,
  endTs: number,
) {
  return queryOptions({
    queryKey: marketKeys.candles(ticker, period, startTs, endTs),
    queryFn: ({ signal }) =>
      fetchApi<CandlesticksResponse>(
        apiPath(`/api/markets/${encodeURIComponent(ticker)}/candlesticks`, {
          series_ticker: seriesTicker,
          start_ts: startTs,
          end_ts: endTs,
          period_interval: period,
        }),
        { signal },
      ),
    staleTime: 60_000,
  });
}

export function searchOptions(q: string) {
  return queryOptions({
    queryKey: searchKeys.query(q),
    queryFn: ({ signal }) =>
      fetchApi<SearchResponse>(apiPath("/api/search", { q, limit: 12 }), { signal }),
    staleTime: 60_000,
    enabled: q.trim().length > 0,
  });
}

/** Several markets by ticker in one call (the watchlist, search results); order of `tickers` kept. */
export function marketsByTickersOptions(tickers: readonly string[]) {
  return queryOptions({
    queryKey: ["markets", "tickers", [...tickers]] as const,
    queryFn: async ({ signal }) => {
      if (tickers.length === 0) return [] as Market[];
      const answer = await fetchApi<MarketList>(
        apiPath("/api/markets", {
          tickers: tickers.join(","),
          limit: Math.min(tickers.length, 1000),
        }),
        { signal },
      );
      const byTicker = new Map(answer.markets.map((market) => [market.ticker, market]));
      return tickers.flatMap((ticker) => {
        const market = byTicker.get(ticker);
        return market ? [market] : [];
      });
    },
    enabled: tickers.length > 0,
  });
}

/** Market hits for the browser's text filter (the list then loads their quotes by ticker). */
export function searchMarketsOptions(q: string) {
  return queryOptions({
    queryKey: ["search", "markets", q] as const,
    queryFn: ({ signal }) =>
      fetchApi<SearchResponse>(apiPath("/api/search", { q, limit: 50, kind: "market" }), {
        signal,
      }),
    staleTime: 60_000,
    enabled: q.trim().length > 0,
  });
}

/** One series (settlement sources, fees, category). */
export function seriesOptions(ticker: string) {
  return queryOptions({
    queryKey: ["series", "detail", ticker] as const,
    queryFn: ({ signal }) =>
      fetchApi<{ series: Series }>(`/api/series/${encodeURIComponent(ticker)}`, { signal }).then(
        (answer) => answer.series,
      ),
    staleTime: 5 * 60_000,
  });
}

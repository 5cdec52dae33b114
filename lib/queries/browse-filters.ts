/**
 * The market browser's filters and sort, kept in the URL so a view can be
 * shared and reloaded (`/markets?q=cpi&status=open&sort=volume_24h`).
 * Browser-safe and pure: parse from URLSearchParams, serialise back, and
 * apply to the rows fetched so far.
 *
 * The server answers lists from its in-memory universe (server/market-data),
 * so status, series, category, closing window and sort go to GET /api/markets
 * and apply to every market; "has my position" applies to the pages fetched
 * so far. Search hits (fetched by ticker) get every filter here.
 */
import { parseCount, parseDollars } from "@/lib/fixed-point";
import type { Market, MarketStatusFilter } from "@/lib/schemas/market";

export const STATUS_OPTIONS = ["open", "unopened", "closed", "settled", "all"] as const;
export type BrowseStatus = (typeof STATUS_OPTIONS)[number];

export const STATUS_LABELS: Record<BrowseStatus, string> = {
  open: "Open",
  unopened: "Upcoming",
  closed: "Closed",
  settled: "Settled",
  all: "Any status",
};

/**
 * Whether a market's own `status` falls under a browser status filter.
 * Kalshi's filter names (open, unopened, closed, settled) differ from the
 * statuses markets report: a market is `active` while open, `initialized`
 * before, `closed`/`determined`/`disputed`/`amended` between close and
 * settlement, `finalized` once paid out (the legacy names are accepted too).
 * Used where rows do not come from a status-filtered GET /markets (search hits).
 */
export function marketMatchesStatus(market: Pick<Market, "status">, status: BrowseStatus): boolean {
  switch (status) {
    case "all":
      return true;
    case "open":
      return market.status === "active" || market.status === "open";
    case "unopened":
      return market.status === "initialized" || market.status === "unopened";
    case "closed":
      return (
        market.status === "closed" ||
        market.status === "determined" ||
        market.status === "disputed" ||
        market.status === "amended"
      );
    case "settled":
      return market.status === "finalized" || market.status === "settled";
    default: {
      const exhaustive: never = status;
      return exhaustive;
    }
  }
}

export const SORT_OPTIONS = [
  "volume_24h",
  "volume",
  "open_interest",
  "close_time",
  "move",
] as const;
export type BrowseSort = (typeof SORT_OPTIONS)[number];

export const SORT_LABELS: Record<BrowseSort, string> = {
  volume_24h: "24h volume",
  volume: "Volume",
  open_interest: "Open interest",
  close_time: "Closing soonest",
  move: "Biggest move",
};

/** Closing windows, in seconds. */
export const CLOSING_OPTIONS = {
  "1h": 3_600,
  "24h": 86_400,
  "7d": 604_800,
  "30d": 2_592_000,
} as const;
export type ClosingWindow = keyof typeof CLOSING_OPTIONS;
export const CLOSING_WINDOWS = Object.keys(CLOSING_OPTIONS) as [ClosingWindow, ...ClosingWindow[]];

export interface BrowseFilters {
  status: BrowseStatus;
  sort: BrowseSort;
  category?: string;
  series?: string;
  closing?: ClosingWindow;
  /** Only markets the signed-in trader holds a position in. */
  mine: boolean;
}

export const DEFAULT_FILTERS: BrowseFilters = { status: "open", sort: "volume_24h", mine: false };

const TICKER_RE = /^[A-Za-z0-9._-]{1,200}$/;

function oneOf<T extends string>(options: readonly T[], value: string | null): T | undefined {
  return value !== null && (options as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}

/** Reads filters from a query string; unknown or malformed values fall back to the defaults. */
export function parseBrowseFilters(params: URLSearchParams): BrowseFilters {
  const category = params.get("category")?.trim();
  const series = params.get("series")?.trim();
  const closing = params.get("closing");
  return {
    status: oneOf(STATUS_OPTIONS, params.get("status")) ?? DEFAULT_FILTERS.status,
    sort: oneOf(SORT_OPTIONS, params.get("sort")) ?? DEFAULT_FILTERS.sort,
    ...(category && category.length <= 100 ? { category } : {}),
    ...(series && TICKER_RE.test(series) ? { series } : {}),
    ...(closing !== null && closing in CLOSING_OPTIONS
      ? { closing: closing as ClosingWindow }
      : {}),
    mine: params.get("mine") === "1",
  };
}

/** The query string for `filters` (defaults left out, keys in a stable order). */
export function browseFiltersToParams(filters: BrowseFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status !== DEFAULT_FILTERS.status) params.set("status", filters.status);
  if (filters.sort !== DEFAULT_FILTERS.sort) params.set("sort", filters.sort);
  if (filters.category) params.set("category", filters.category);
  if (filters.series) params.set("series", filters.series);
  if (filters.closing) params.set("closing", filters.closing);
  if (filters.mine) params.set("mine", "1");
  return params;
}

/** A record form of the params, for page props (Next passes searchParams as an object). */
export function recordToParams(
  record: Record<string, string | string[] | undefined>,
): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(record)) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) params.set(key, last);
  }
  return params;
}

/**
 * What goes to GET /api/markets for these filters (besides cursor and limit):
 * status, series, category, closing window and sort are applied by the
 * server over the whole universe; only "has my position" stays in the page.
 */
export function upstreamMarketQuery(filters: BrowseFilters): {
  status?: MarketStatusFilter;
  series_ticker?: string;
  category?: string;
  closing?: ClosingWindow;
  sort: BrowseSort;
} {
  return {
    ...(filters.status === "all" ? {} : { status: filters.status }),
    ...(filters.series ? { series_ticker: filters.series } : {}),
    ...(filters.category && !filters.series ? { category: filters.category } : {}),
    ...(filters.closing ? { closing: filters.closing } : {}),
    sort: filters.sort,
  };
}

export interface ApplyContext {
  /** Unix ms "now" for the closing window. */
  now: number;
  /** series ticker → category, from GET /api/series. */
  categoryOfSeries?: ReadonlyMap<string, string>;
  /** Tickers the trader holds a position in (when `mine`). */
  positions?: ReadonlySet<string>;
}

/** The series ticker of an event or market ticker, by Kalshi's "SERIES-..." convention. */
export function seriesOfTicker(ticker: string): string {
  const dash = ticker.indexOf("-");
  return dash === -1 ? ticker : ticker.slice(0, dash);
}

function safeCount(text: string): number {
  try {
    return parseCount(text);
  } catch {
    return 0;
  }
}

function safeDollars(text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  try {
    return parseDollars(text);
  } catch {
    return undefined;
  }
}

/** The market's move since the previous day's price, in micro-dollars (absolute); 0 when unknown. */
export function priceMove(market: Market): number {
  const last = safeDollars(market.last_price_dollars);
  const previous = safeDollars(
    typeof market.previous_price_dollars === "string" ? market.previous_price_dollars : undefined,
  );
  if (last === undefined || previous === undefined || previous === 0) return 0;
  return last - previous;
}

/** Filters and sorts the rows fetched so far (stable for equal keys: upstream order). */
export function applyBrowseFilters(
  markets: readonly Market[],
  filters: BrowseFilters,
  context: ApplyContext,
): Market[] {
  const windowEnd = filters.closing ? context.now + CLOSING_OPTIONS[filters.closing] * 1000 : 0;
  const rows = markets.filter((market) => {
    if (filters.category && context.categoryOfSeries) {
      const category = context.categoryOfSeries.get(seriesOfTicker(market.event_ticker));
      if (category !== filters.category) return false;
    }
    if (filters.closing) {
      const close = Date.parse(market.close_time);
      if (!(close >= context.now && close <= windowEnd)) return false;
    }
    if (filters.mine && !(context.positions?.has(market.ticker) ?? false)) return false;
    return true;
  });
  const key = sortKey(filters.sort);
  const indexed = rows.map((market, index) => ({ market, index, key: key(market) }));
  indexed.sort((a, b) => a.key - b.key || a.index - b.index);
  return indexed.map((entry) => entry.market);
}

/** Ascending sort keys (larger-is-better metrics negated). */
function sortKey(sort: BrowseSort): (market: Market) => number {
  switch (sort) {
    case "volume_24h":
      return (m) => -safeCount(m.volume_24h_fp);
    case "volume":
      return (m) => -safeCount(m.volume_fp);
    case "open_interest":
      return (m) => -safeCount(m.open_interest_fp);
    case "close_time":
      return (m) => Date.parse(m.close_time) || Number.MAX_SAFE_INTEGER;
    case "move":
      return (m) => -Math.abs(priceMove(m));
    default: {
      const exhaustive: never = sort;
      return exhaustive;
    }
  }
}

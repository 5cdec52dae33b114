/**
 * Query keys and options of the portfolio and subaccounts screens: the
 * subaccount overview, positions per subaccount, resting orders, the markets
 * behind the positions, history pages and the equity curve. One key root
 * (`portfolioKeys.all`), so "my account changed" is one invalidation.
 */
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";

import { portfolioKeys } from "@/lib/queries/portfolio";
import { apiPath, fetchApi } from "@/lib/queries/fetch-api";
import type { MarketList } from "@/lib/schemas/market";
import type { OrderList } from "@/lib/schemas/order";
import type { Positions } from "@/lib/schemas/portfolio";
import type {
  EquityRange,
  EquitySeries,
  HistoryKind,
  HistoryPage,
} from "@/lib/schemas/portfolio-history";
import type { SubaccountOverview, SubaccountTransferList } from "@/lib/schemas/subaccount";

export const screenKeys = {
  overview: [...portfolioKeys.all, "overview"] as const,
  positionsOf: (subaccount: number) => [...portfolioKeys.all, "positions-of", subaccount] as const,
  resting: (subaccount: number | null) => [...portfolioKeys.all, "resting", subaccount] as const,
  markets: (tickers: string) => ["markets", "by-tickers", tickers] as const,
  history: (kind: HistoryKind, filters: HistoryFilters) =>
    [...portfolioKeys.all, "history", kind, filters] as const,
  equity: (range: EquityRange, subaccount: number | null) =>
    [...portfolioKeys.all, "equity", range, subaccount] as const,
  transfers: [...portfolioKeys.all, "transfers"] as const,
};

export function overviewOptions() {
  return queryOptions({
    queryKey: screenKeys.overview,
    queryFn: ({ signal }) => fetchApi<SubaccountOverview>("/api/subaccounts/overview", { signal }),
  });
}

/** Every position of one subaccount (open ones and closed ones with realised P&L). */
export function positionsOfOptions(subaccount: number) {
  return queryOptions({
    queryKey: screenKeys.positionsOf(subaccount),
    queryFn: async ({ signal }) => {
      const all: Positions["market_positions"] = [];
      let cursor: string | undefined;
      do {
        const page = await fetchApi<Positions>(
          apiPath("/api/portfolio/positions", { subaccount, limit: 1000, cursor }),
          { signal },
        );
        all.push(...page.market_positions);
        cursor = page.cursor || undefined;
      } while (cursor);
      return all;
    },
  });
}

export function restingOrdersOptions(subaccount: number | null) {
  return queryOptions({
    queryKey: screenKeys.resting(subaccount),
    queryFn: ({ signal }) =>
      fetchApi<OrderList>(
        apiPath("/api/orders", {
          status: "resting",
          limit: 1000,
          subaccount: subaccount ?? undefined,
        }),
        { signal },
      ),
  });
}

/** Market objects for the positions' tickers (titles, events, close times, REST marks). */
export function marketsByTickersOptions(tickers: readonly string[]) {
  const joined = [...tickers].sort().join(",");
  return queryOptions({
    queryKey: screenKeys.markets(joined),
    enabled: joined.length > 0,
    // Only a fallback for marks the gateway does not stream: a slow refresh is enough.
    refetchInterval: 30_000,
    queryFn: async ({ signal }) => {
      const sorted = joined.split(",");
      const markets: MarketList["markets"] = [];
      // Chunks keep each query string short.
      for (let i = 0; i < sorted.length; i += 100) {
        const page = await fetchApi<MarketList>(
          apiPath("/api/markets", { tickers: sorted.slice(i, i + 100).join(","), limit: 1000 }),
          { signal },
        );
        markets.push(...page.markets);
      }
      return markets;
    },
  });
}

export interface HistoryFilters {
  ticker?: string;
  min_ts?: number;
  max_ts?: number;
  subaccount?: number;
}

export function historyOptions(kind: HistoryKind, filters: HistoryFilters) {
  return infiniteQueryOptions({
    queryKey: screenKeys.history(kind, filters),
    initialPageParam: "",
    queryFn: ({ pageParam, signal }) =>
      fetchApi<HistoryPage>(
        apiPath(`/api/portfolio/history/${kind}`, {
          ...filters,
          limit: 50,
          cursor: pageParam || undefined,
        }),
        { signal },
      ),
    getNextPageParam: (last) => last.cursor || undefined,
  });
}

export function equityOptions(range: EquityRange, subaccount: number | null) {
  return queryOptions({
    queryKey: screenKeys.equity(range, subaccount),
    queryFn: ({ signal }) =>
      fetchApi<EquitySeries>(
        apiPath("/api/portfolio/equity", { range, subaccount: subaccount ?? undefined }),
        { signal },
      ),
  });
}

export function transfersOptions() {
  return queryOptions({
    queryKey: screenKeys.transfers,
    queryFn: ({ signal }) =>
      fetchApi<SubaccountTransferList>(apiPath("/api/subaccounts/transfers", { limit: 100 }), {
        signal,
      }),
  });
}

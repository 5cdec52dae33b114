/**
 * Query keys and options for the signed-in trader's own data that the market
 * pages show: positions ("has my position"), fills and working orders (chart
 * markers). Signed out, these answer 401 and the pages show nothing personal.
 */
import { queryOptions } from "@tanstack/react-query";

import { apiPath, fetchApi, isSignedOutError } from "@/lib/queries/fetch-api";
import type { OrderList } from "@/lib/schemas/order";
import type { FillList, Positions } from "@/lib/schemas/portfolio";

export const portfolioKeys = {
  all: ["portfolio"] as const,
  positions: ["portfolio", "positions"] as const,
  fills: (ticker: string) => ["portfolio", "fills", ticker] as const,
  restingOrders: (ticker: string) => ["portfolio", "orders", "resting", ticker] as const,
};

/** Null when signed out (or without a Kalshi key) instead of an error. */
async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (isSignedOutError(error)) return null;
    throw error;
  }
}

/** Tickers with a non-zero position (first page of 1000 is plenty for a filter). */
export function positionTickersOptions() {
  return queryOptions({
    queryKey: portfolioKeys.positions,
    queryFn: async ({ signal }) => {
      const answer = await orNull(
        fetchApi<Positions>(apiPath("/api/portfolio/positions", { limit: 1000 }), { signal }),
      );
      if (!answer) return null;
      return answer.market_positions
        .filter((position) => !/^-?0+(\.0+)?$/.test(position.position_fp))
        .map((position) => position.ticker);
    },
  });
}

export function myFillsOptions(ticker: string) {
  return queryOptions({
    queryKey: portfolioKeys.fills(ticker),
    queryFn: ({ signal }) =>
      orNull(
        fetchApi<FillList>(apiPath("/api/portfolio/fills", { ticker, limit: 200 }), { signal }),
      ),
  });
}

export function myRestingOrdersOptions(ticker: string) {
  return queryOptions({
    queryKey: portfolioKeys.restingOrders(ticker),
    queryFn: ({ signal }) =>
      orNull(
        fetchApi<OrderList>(apiPath("/api/orders", { ticker, status: "resting", limit: 200 }), {
          signal,
        }),
      ),
  });
}

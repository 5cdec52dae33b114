/**
 * Query keys and options for the signed-in trader's own data that the market
 * pages show: positions ("has my position"), fills and working orders (chart
 * markers). Signed out, these answer 401 and the pages show nothing personal.
 *
 * Every key starts with "portfolio", so invalidating `portfolioKeys.all` is
 * the one "my account changed" refresh (lib/queries/orders.ts builds the
 * trading screen's options on these keys).
 */
import { queryOptions } from "@tanstack/react-query";

import { apiPath, fetchApi, isSignedOutError } from "@/lib/queries/fetch-api";
import type { OrderList } from "@/lib/schemas/order";
import type { FillList, Positions } from "@/lib/schemas/portfolio";

/** `null` as the ticker means "every market". */
export type MarketScope = string | null;

export const portfolioKeys = {
  all: ["portfolio"] as const,
  positions: ["portfolio", "positions"] as const,
  /** One market's position (P&L), under `positions` so it is refreshed with it. */
  /** One market's position in one account (0 = primary); prefix ["portfolio", "positions"] refreshes it. */
  marketPosition: (ticker: string, subaccount = 0) =>
    ["portfolio", "positions", "market", ticker, subaccount] as const,
  allFills: ["portfolio", "fills"] as const,
  fills: (ticker: MarketScope) => ["portfolio", "fills", ticker] as const,
  orders: ["portfolio", "orders"] as const,
  restingOrders: (ticker: MarketScope) => ["portfolio", "orders", "resting", ticker] as const,
  queuePositions: (ticker: string) => ["portfolio", "orders", "queue", ticker] as const,
  balance: (subaccount: number | null) => ["portfolio", "balance", subaccount] as const,
  orderGroups: ["portfolio", "order-groups"] as const,
  subaccounts: ["portfolio", "subaccounts"] as const,
};

/** Null when signed out (or without a Kalshi key) instead of an error. */
export async function orNull<T>(promise: Promise<T>): Promise<T | null> {
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

/** The trader's fills, newest first: one market's, or every market's with `null`. */
export function myFillsOptions(ticker: MarketScope) {
  return queryOptions({
    queryKey: portfolioKeys.fills(ticker),
    queryFn: ({ signal }) =>
      orNull(
        fetchApi<FillList>(
          apiPath("/api/portfolio/fills", { ticker: ticker ?? undefined, limit: 200 }),
          { signal },
        ),
      ),
  });
}

/** The trader's resting (working) orders: one market's, or every market's with `null`. */
export function myRestingOrdersOptions(ticker: MarketScope) {
  return queryOptions({
    queryKey: portfolioKeys.restingOrders(ticker),
    queryFn: ({ signal }) =>
      orNull(
        fetchApi<OrderList>(
          apiPath("/api/orders", {
            ticker: ticker ?? undefined,
            status: "resting",
            limit: ticker === null ? 1000 : 200,
          }),
          { signal },
        ),
      ),
  });
}

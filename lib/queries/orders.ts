/**
 * Query options for the trading screen: working orders (one market or all),
 * fills, one market's position, balance, order groups, subaccounts and queue
 * positions. Keys live in lib/queries/portfolio.ts (`portfolioKeys`) so one
 * invalidation of `portfolioKeys.all` refreshes everything personal.
 * Browser-safe; answers are typed, not re-validated (the BFF validated them).
 */
import { queryOptions, type QueryClient } from "@tanstack/react-query";

import { ApiRequestError, apiPath, fetchApi } from "@/lib/queries/fetch-api";
import {
  myFillsOptions,
  myRestingOrdersOptions,
  orNull,
  portfolioKeys,
  type MarketScope,
} from "@/lib/queries/portfolio";
import type { OrderGroupDetail, OrderGroupList } from "@/lib/schemas/order-group";
import type { Balance, MarketPosition, Positions } from "@/lib/schemas/portfolio";
import type { SubaccountBalances } from "@/lib/schemas/subaccount";

export { portfolioKeys, type MarketScope };

/** Working (resting) orders of one market, or of every market with `null`. */
export const workingOrdersOptions = (ticker: MarketScope) => myRestingOrdersOptions(ticker);

/** Fills of one market, or of every market with `null`, newest first. */
export const fillsOptions = (ticker: MarketScope) => myFillsOptions(ticker);

/** The trader's position in one market (null when flat and never traded, or signed out). */
/** One market's position in one account: 0 the primary (Kalshi's default), 1–63 a subaccount. */
export function marketPositionOptions(ticker: string, subaccount = 0) {
  return queryOptions({
    queryKey: portfolioKeys.marketPosition(ticker, subaccount),
    queryFn: async ({ signal }): Promise<MarketPosition | null> => {
      const answer = await orNull(
        fetchApi<Positions>(
          apiPath("/api/portfolio/positions", {
            ticker,
            limit: 10,
            subaccount: subaccount === 0 ? undefined : subaccount,
          }),
          { signal },
        ),
      );
      return answer?.market_positions.find((position) => position.ticker === ticker) ?? null;
    },
  });
}

/** Cash balance (integer cents) of the primary account, or of subaccount `n`. */
export function balanceOptions(subaccount: number | null = null) {
  return queryOptions({
    queryKey: portfolioKeys.balance(subaccount),
    queryFn: ({ signal }) =>
      orNull(
        fetchApi<Balance>(
          apiPath("/api/portfolio/balance", { subaccount: subaccount ?? undefined }),
          { signal },
        ),
      ),
  });
}

/** The trader's order groups (an empty list when signed out). */
export function orderGroupsOptions() {
  return queryOptions({
    queryKey: portfolioKeys.orderGroups,
    queryFn: async ({ signal }) =>
      (await orNull(fetchApi<OrderGroupList>("/api/order-groups", { signal })))?.order_groups ?? [],
  });
}

/** Subaccount balances; numbers above 0 are the trader's subaccounts (empty when none). */
export function subaccountsOptions() {
  return queryOptions({
    queryKey: portfolioKeys.subaccounts,
    queryFn: async ({ signal }) =>
      (await orNull(fetchApi<SubaccountBalances>("/api/subaccounts", { signal })))
        ?.subaccount_balances ?? [],
    staleTime: 5 * 60_000,
  });
}

export interface QueuePosition {
  order_id: string;
  market_ticker: string;
  /** Contracts ahead of the order at its price ("12.00"). */
  queue_position_fp: string;
}

/**
 * Queue positions of the trader's resting orders in one market, keyed by
 * order id. Null when the route is not deployed (404) or signed out, so the
 * blotter shows "—" rather than an error.
 */
export function queuePositionsOptions(ticker: string) {
  return queryOptions({
    queryKey: portfolioKeys.queuePositions(ticker),
    queryFn: async ({ signal }): Promise<ReadonlyMap<string, string> | null> => {
      try {
        const answer = await orNull(
          fetchApi<{ queue_positions?: QueuePosition[] | null }>(
            apiPath("/api/orders/queue-positions", { ticker }),
            { signal },
          ),
        );
        if (!answer) return null;
        return new Map(
          (answer.queue_positions ?? []).map((q) => [q.order_id, q.queue_position_fp]),
        );
      } catch (error) {
        if (error instanceof ApiRequestError && (error.status === 404 || error.status === 405))
          return null;
        throw error;
      }
    },
    // Queue position moves with every trade ahead of us; cheap enough to poll while shown.
    refetchInterval: 5_000,
    retry: false,
  });
}

/** "My account changed": refetch orders, fills, positions, balance and groups. */
export function invalidateAccount(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: portfolioKeys.all });
}

/** After an order-only change (cancel, amend, decrease): orders, balance and groups. */
export async function invalidateOrders(queryClient: QueryClient): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: portfolioKeys.orders }),
    queryClient.invalidateQueries({ queryKey: ["portfolio", "balance"] }),
    queryClient.invalidateQueries({ queryKey: portfolioKeys.orderGroups }),
  ]);
}

/** One order group's order ids and state (for its fill count against the limit). */
export function orderGroupDetailOptions(groupId: string) {
  return queryOptions({
    queryKey: [...portfolioKeys.orderGroups, "detail", groupId] as const,
    queryFn: ({ signal }) =>
      orNull(
        fetchApi<OrderGroupDetail>(`/api/order-groups/${encodeURIComponent(groupId)}`, { signal }),
      ),
  });
}

"use client";
/**
 * The one mutation path for trading (STYLE.md §8): place, cancel, amend
 * price or size, decrease, and cancel-many (batched by 20 through
 * `/api/orders/batch`). Nothing is shown as placed, cancelled or amended
 * before the exchange answered: there are no optimistic cache writes; each
 * success invalidates the queries it changed and the `orders` stream fills in
 * the rest.
 *
 * Idempotency: every intent carries one id made when the trader acted
 * (order-intent.ts). Sends go through `orderSends`, so a double click or a
 * second hotkey press while the first is in flight share one request, and a
 * retry sends the same client_order_id (the BFF and Kalshi dedupe on it).
 *
 *   const actions = useOrderActions({ confirmReauth });
 *   await actions.place(createPlaceIntent({ ticker, side: "yes", action: "buy", price, count }));
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";

import {
  amendOrderBody,
  placeOrderBody,
  type AmendOrderIntent,
  type PlaceOrderIntent,
} from "@/components/trading/order-intent";
import { orderSends } from "@/components/trading/once-per-intent";
import { ApiRequestError, apiPath, fetchApi } from "@/lib/queries/fetch-api";
import { invalidateAccount, invalidateOrders } from "@/lib/queries/orders";
import { formatCount, type Centis } from "@/lib/fixed-point";
import type {
  AmendOrderResponse,
  BatchCancelOrdersResponse,
  CancelOrderResponse,
  DecreaseOrderResponse,
  PlacedOrder,
} from "@/lib/schemas/order";

/** Most orders one batch request may carry (BatchCancelOrdersBody). */
export const BATCH_LIMIT = 20;

export interface OrderRef {
  orderId: string;
  subaccount?: number | null;
}

export interface CancelManyResult {
  cancelled: string[];
  failed: Array<{ orderId: string; message: string }>;
}

export interface UseOrderActionsOptions {
  /**
   * Asked when the server wants a fresh sign-in (`reauth_required`): resolve
   * true once the password was confirmed and the same intent is sent again.
   */
  confirmReauth?: () => Promise<boolean>;
}

/** Network failures (no answer at all) are retried with the same id; refusals are not. */
function isNetworkFailure(error: unknown): boolean {
  return !(error instanceof ApiRequestError);
}

export function useOrderActions(options: UseOrderActionsOptions = {}) {
  const queryClient = useQueryClient();
  const { confirmReauth } = options;

  /** Sends once; on `reauth_required` asks for the password and sends the same thing again. */
  const withReauth = useCallback(
    async <T>(send: () => Promise<T>): Promise<T> => {
      try {
        return await send();
      } catch (error) {
        if (
          confirmReauth &&
          error instanceof ApiRequestError &&
          error.code === "reauth_required" &&
          (await confirmReauth())
        ) {
          return send();
        }
        throw error;
      }
    },
    [confirmReauth],
  );

  const placeMutation = useMutation({
    mutationKey: ["orders", "place"],
    mutationFn: (intent: PlaceOrderIntent) =>
      orderSends.run(`place:${intent.clientOrderId}`, () =>
        withReauth(() =>
          fetchApi<PlacedOrder>("/api/orders", { method: "POST", json: placeOrderBody(intent) }),
        ),
      ),
    // Same variables = same client_order_id: a retry cannot place twice.
    retry: (failures, error) => failures < 2 && isNetworkFailure(error),
    // A placed order may have filled at once: orders, fills, position and balance all move.
    onSettled: () => invalidateAccount(queryClient),
  });

  const cancelMutation = useMutation({
    mutationKey: ["orders", "cancel"],
    mutationFn: (order: OrderRef) =>
      orderSends.run(`cancel:${order.orderId}`, () =>
        fetchApi<CancelOrderResponse>(
          apiPath(`/api/orders/${encodeURIComponent(order.orderId)}`, {
            subaccount: order.subaccount ?? undefined,
          }),
          { method: "DELETE" },
        ),
      ),
    retry: (failures, error) => failures < 2 && isNetworkFailure(error),
    onSettled: () => invalidateOrders(queryClient),
  });

  const amendMutation = useMutation({
    mutationKey: ["orders", "amend"],
    mutationFn: (intent: AmendOrderIntent) =>
      orderSends.run(`amend:${intent.updatedClientOrderId}`, () =>
        withReauth(() =>
          fetchApi<AmendOrderResponse>(
            `/api/orders/${encodeURIComponent(intent.order.orderId)}/amend`,
            { method: "POST", json: amendOrderBody(intent) },
          ),
        ),
      ),
    retry: (failures, error) => failures < 2 && isNetworkFailure(error),
    // An amend to a crossing price trades: refresh everything.
    onSettled: () => invalidateAccount(queryClient),
  });

  const decreaseMutation = useMutation({
    mutationKey: ["orders", "decrease"],
    mutationFn: ({ order, reduceTo }: { order: OrderRef; reduceTo: Centis }) =>
      orderSends.run(`decrease:${order.orderId}:${reduceTo}`, () =>
        fetchApi<DecreaseOrderResponse>(
          `/api/orders/${encodeURIComponent(order.orderId)}/decrease`,
          // reduce_to is idempotent (sending it twice leaves the same size), unlike reduce_by.
          { method: "POST", json: { reduce_to: formatCount(reduceTo) } },
        ),
      ),
    retry: (failures, error) => failures < 2 && isNetworkFailure(error),
    onSettled: () => invalidateOrders(queryClient),
  });

  const cancelManyMutation = useMutation({
    mutationKey: ["orders", "cancel-many"],
    mutationFn: (orders: readonly OrderRef[]) => cancelMany(orders),
    onSettled: () => invalidateOrders(queryClient),
  });

  return useMemo(
    () => ({
      /** Places the intent once; resolves with Kalshi's acknowledgement. */
      place: placeMutation.mutateAsync,
      /** Cancels the rest of a resting order. */
      cancel: cancelMutation.mutateAsync,
      /** Moves a resting order's price and/or size (loses queue priority, as on Kalshi). */
      amend: amendMutation.mutateAsync,
      /** Shrinks a resting order to `reduceTo` remaining contracts (keeps queue priority). */
      decrease: decreaseMutation.mutateAsync,
      /** Cancels many orders in batches of 20; reports which failed and why. */
      cancelMany: cancelManyMutation.mutateAsync,
      placing: placeMutation.isPending,
      cancellingMany: cancelManyMutation.isPending,
    }),
    // The mutate functions are stable; the result objects are new on every
    // render, so depending on them would hand every consumer a new `actions`
    // (and re-render memoised blotters) each time the screen renders.
    [
      placeMutation.mutateAsync,
      cancelMutation.mutateAsync,
      amendMutation.mutateAsync,
      decreaseMutation.mutateAsync,
      cancelManyMutation.mutateAsync,
      placeMutation.isPending,
      cancelManyMutation.isPending,
    ],
  );
}

export type OrderActions = ReturnType<typeof useOrderActions>;

/** Cancels every order given, 20 per `DELETE /api/orders/batch`, batches in sequence. */
export async function cancelMany(orders: readonly OrderRef[]): Promise<CancelManyResult> {
  const result: CancelManyResult = { cancelled: [], failed: [] };
  for (let start = 0; start < orders.length; start += BATCH_LIMIT) {
    const batch = orders.slice(start, start + BATCH_LIMIT);
    try {
      const answer = await fetchApi<BatchCancelOrdersResponse>("/api/orders/batch", {
        method: "DELETE",
        json: {
          orders: batch.map((order) =>
            order.subaccount
              ? { order_id: order.orderId, subaccount: order.subaccount }
              : { order_id: order.orderId },
          ),
        },
      });
      for (const item of answer.orders) {
        if (item.error) {
          result.failed.push({
            orderId: item.order_id,
            message: item.error.message ?? item.error.code ?? "refused",
          });
        } else result.cancelled.push(item.order_id);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : "request failed";
      for (const order of batch) result.failed.push({ orderId: order.orderId, message });
    }
  }
  return result;
}

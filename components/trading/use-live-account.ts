"use client";
/**
 * Keeps the trader's react-query data current from the gateway's private
 * topics while the trading screen is open:
 * - `orders`: each order update is merged into the cached working-order
 *   lists (this market's and all markets'); an order that is no longer
 *   resting leaves them. A reconcile refetch follows shortly after, so the
 *   REST answer stays the truth.
 * - `fills`, `positions`: refetch fills, the position and the balance.
 * - `order-groups`: refetch the groups (their fill counts).
 * - A topic coming back to `live` after being stale refetches everything
 *   personal, since updates may have been missed meanwhile.
 */
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

import { useFills, useOrders, usePositions, useTopic } from "@/lib/gateway/hooks";
import type { TopicStatus } from "@/lib/gateway/topic-state";
import { invalidateAccount, portfolioKeys } from "@/lib/queries/orders";
import type { Order, OrderList } from "@/lib/schemas/order";

type StreamEvent = { seq: number; msg: Record<string, unknown> };

/** Order fields a stream update may carry, copied over the cached order. */
const ORDER_FIELDS = [
  "status",
  "yes_price_dollars",
  "no_price_dollars",
  "fill_count_fp",
  "remaining_count_fp",
  "initial_count_fp",
  "taker_fees_dollars",
  "maker_fees_dollars",
  "last_update_time",
  "expiration_time",
  "order_group_id",
] as const;

/** Applies one `orders` update to a cached order list (pure; exported for tests). */
export function mergeOrderUpdate(
  list: OrderList | null | undefined,
  msg: Record<string, unknown>,
  scope: string | null,
): OrderList | null | undefined {
  if (!list) return list;
  const orderId = typeof msg.order_id === "string" ? msg.order_id : null;
  if (!orderId) return list;
  if (scope !== null && msg.ticker !== scope) return list;
  const index = list.orders.findIndex((order) => order.order_id === orderId);
  if (msg.status !== "resting") {
    return index === -1 ? list : { ...list, orders: list.orders.filter((_, i) => i !== index) };
  }
  if (index === -1) {
    const order = asOrder(msg);
    return order ? { ...list, orders: [order, ...list.orders] } : list;
  }
  const current = list.orders[index];
  if (!current) return list;
  const updated: Order = { ...current };
  for (const field of ORDER_FIELDS) {
    const value = msg[field];
    if (typeof value === "string") (updated as Record<string, unknown>)[field] = value;
  }
  return { ...list, orders: list.orders.map((order, i) => (i === index ? updated : order)) };
}

/** A stream order complete enough to show as a new row, else null (the refetch adds it). */
function asOrder(msg: Record<string, unknown>): Order | null {
  const needed = [
    "order_id",
    "ticker",
    "book_side",
    "yes_price_dollars",
    "remaining_count_fp",
    "fill_count_fp",
  ];
  if (!needed.every((field) => typeof msg[field] === "string")) return null;
  const outcome = msg.outcome_side === "no" ? "no" : "yes";
  return {
    type: "limit",
    no_price_dollars: "0",
    initial_count_fp: String(msg.initial_count_fp ?? msg.remaining_count_fp),
    taker_fees_dollars: "0",
    maker_fees_dollars: "0",
    ...msg,
    outcome_side: outcome,
    book_side: msg.book_side === "ask" ? "ask" : "bid",
  } as Order;
}

function useAfterNewEvents(events: readonly StreamEvent[], apply: (fresh: StreamEvent[]) => void) {
  // Events already in the topic when we mounted are history the REST load covers.
  const watermark = useRef<number>(events[0]?.seq ?? -1);
  const applyRef = useRef(apply);
  useEffect(() => {
    applyRef.current = apply;
  });
  useEffect(() => {
    const newest = events[0]?.seq;
    if (newest === undefined) return;
    const since = watermark.current;
    const fresh = events.filter((event) => event.seq > since).reverse();
    watermark.current = Math.max(since, newest);
    if (fresh.length > 0) applyRef.current(fresh);
  }, [events]);
}

/** Coalesces bursts (a sweep fills many levels) into one refetch per key. */
function useDebouncedInvalidate(queryClient: QueryClient) {
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);
  return (keys: ReadonlyArray<readonly unknown[]>, delay = 250) => {
    for (const queryKey of keys) {
      const id = JSON.stringify(queryKey);
      if (timers.current.has(id)) continue;
      timers.current.set(
        id,
        setTimeout(() => {
          timers.current.delete(id);
          void queryClient.invalidateQueries({ queryKey });
        }, delay),
      );
    }
  };
}

function useRefetchWhenLiveAgain(status: TopicStatus, queryClient: QueryClient) {
  const previous = useRef<TopicStatus>(status);
  useEffect(() => {
    const was = previous.current;
    previous.current = status;
    if (status === "live" && (was === "stale" || was === "resyncing"))
      void invalidateAccount(queryClient);
  }, [status, queryClient]);
}

export function useLiveAccount(ticker: string) {
  const queryClient = useQueryClient();
  const invalidateSoon = useDebouncedInvalidate(queryClient);
  const orders = useOrders();
  const fills = useFills();
  const positions = usePositions();
  const groups = useTopic("order-groups");

  useAfterNewEvents(orders.orders, (fresh) => {
    for (const scope of [ticker, null]) {
      queryClient.setQueryData<OrderList | null>(
        portfolioKeys.restingOrders(scope),
        (list) =>
          fresh.reduce<OrderList | null | undefined>(
            (acc, event) => mergeOrderUpdate(acc, event.msg, scope),
            list,
          ) ?? list,
      );
    }
    invalidateSoon([portfolioKeys.orders, ["portfolio", "balance"]], 600);
  });
  useAfterNewEvents(fills.fills, () =>
    invalidateSoon([
      portfolioKeys.allFills,
      portfolioKeys.positions,
      ["portfolio", "balance"],
      portfolioKeys.orderGroups,
    ]),
  );
  useAfterNewEvents(positions.positions, () =>
    invalidateSoon([portfolioKeys.positions, ["portfolio", "balance"]]),
  );
  useAfterNewEvents(groups.events, () => invalidateSoon([portfolioKeys.orderGroups]));

  useRefetchWhenLiveAgain(orders.status, queryClient);
  useRefetchWhenLiveAgain(fills.status, queryClient);

  return { ordersStatus: orders.status, fillsStatus: fills.status };
}

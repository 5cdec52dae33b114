"use client";
/**
 * My orders' queue positions in one market (contracts ahead of each resting
 * order), from GET /api/orders/queue-positions through the shared query
 * (lib/queries/orders.ts, so the blotter and the ladder make one request).
 * The ladder asks for a refresh whenever the book moves; refreshes are
 * throttled to at most two a second and never cancel a request in flight,
 * so a busy book cannot starve the answer.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo } from "react";

import { parseCount, type Centis } from "@/lib/fixed-point";
import { portfolioKeys, queuePositionsOptions } from "@/lib/queries/orders";

/** Minimum time between two refreshes, ms (≤ 2 requests a second). */
export const QUEUE_REFRESH_MS = 500;

export function useQueuePositions(ticker: string, enabled: boolean) {
  const client = useQueryClient();
  const query = useQuery({ ...queuePositionsOptions(ticker), enabled });

  const positions = useMemo(() => {
    const map = new Map<string, Centis>();
    for (const [orderId, fp] of query.data ?? []) map.set(orderId, parseCount(fp));
    return map;
  }, [query.data]);

  const refresh = useMemo(
    () =>
      throttle(() => {
        // A disabled query (no working orders) is marked stale but not fetched.
        void client.invalidateQueries(
          { queryKey: portfolioKeys.queuePositions(ticker) },
          { cancelRefetch: false },
        );
      }, QUEUE_REFRESH_MS),
    [client, ticker],
  );
  useEffect(() => () => refresh.cancel(), [refresh]);

  return { positions, refresh, error: query.error };
}

/**
 * Runs `run` at once when it has not run for `ms`, else once when `ms` has
 * passed since the last run (calls in between collapse into that one).
 */
export function throttle(run: () => void, ms: number): (() => void) & { cancel(): void } {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const fire = () => {
    timer = null;
    last = Date.now();
    run();
  };
  const call = () => {
    if (timer) return;
    const wait = last + ms - Date.now();
    if (wait <= 0) fire();
    else timer = setTimeout(fire, wait);
  };
  return Object.assign(call, {
    cancel: () => {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  });
}

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
import { useEffect, useMemo, useRef } from "react";

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

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastRun = useRef(0);
  const enabledRef = useRef(enabled);
  useEffect(() => {
    enabledRef.current = enabled;
  }, [enabled]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  /** Asks for fresh positions: now if none was asked for in the last QUEUE_REFRESH_MS, else once when it passes. */
  const refresh = useMemo(() => {
    const run = () => {
      timer.current = null;
      lastRun.current = Date.now();
      if (!enabledRef.current) return;
      void client.invalidateQueries(
        { queryKey: portfolioKeys.queuePositions(ticker) },
        { cancelRefetch: false },
      );
    };
    return () => {
      if (timer.current) return;
      const wait = lastRun.current + QUEUE_REFRESH_MS - Date.now();
      if (wait <= 0) run();
      else timer.current = setTimeout(run, wait);
    };
  }, [client, ticker]);

  return { positions, refresh, error: query.error };
}

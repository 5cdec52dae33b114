"use client";
/**
 * Follows the gateway's `rfq` topic: every event refetches the RFQ lists
 * (REST stays the source of truth) and is handed to `onEvent` for toasts and
 * sounds. While the stream is not live, lists poll instead.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

import { useRfqFeed } from "@/lib/gateway/hooks";
import { rfqKeys } from "@/lib/queries/rfq";

export interface RfqFeedEvent {
  seq: number;
  kind?: string;
  msg: Record<string, unknown>;
}

/** Returns the poll interval lists should use (false while the stream is live). */
export function useRfqLive(onEvent?: (event: RfqFeedEvent) => void): number | false {
  const { status, events } = useRfqFeed();
  const queryClient = useQueryClient();
  const lastSeq = useRef(0);
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  useEffect(() => {
    // A new subscription (reconnect) numbers from the start again.
    if ((events[0]?.seq ?? 0) < lastSeq.current) lastSeq.current = 0;
    const fresh = events.filter((event) => event.seq > lastSeq.current);
    if (fresh.length === 0) return;
    lastSeq.current = Math.max(...fresh.map((event) => event.seq));
    void queryClient.invalidateQueries({ queryKey: rfqKeys.all });
    for (const event of [...fresh].reverse()) handler.current?.(event);
  }, [events, queryClient]);
  return status === "live" ? false : 3_000;
}

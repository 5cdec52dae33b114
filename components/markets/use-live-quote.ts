"use client";
/**
 * A market's quote with the gateway's `ticker` topic laid over the REST
 * snapshot: yes bid/ask, last price, change since the previous day's price,
 * volume and open interest, and whether the stream is live or stale.
 */
import { useEffect, useState } from "react";

import { useStreamStatus } from "@/lib/gateway/hooks";
import { useTicker } from "@/lib/gateway/hooks";
import { safeMicros } from "@/lib/format";
import type { Market } from "@/lib/schemas/market";

export type QuoteFreshness = "loading" | "live" | "stale";

export interface LiveQuote {
  yesBid: string;
  yesAsk: string;
  last: string;
  /** last − previous day's price, micro-dollars; undefined when unknown. */
  change: number | undefined;
  volume: string;
  volume24h: string;
  openInterest: string;
  freshness: QuoteFreshness;
}

function str(value: unknown, fallback: string): string {
  return typeof value === "string" && value !== "" ? value : fallback;
}

/**
 * A row subscribes only once it has stayed mounted a moment. The gateway
 * takes one frame per subscribe (20 frames/s, bursts of 40): scrolling a
 * virtualised list would otherwise churn subscriptions and trip its flood
 * limit, and a page of rows plus the watchlist would exceed the burst.
 * The random spread also staggers a page's first subscriptions.
 */
function useSettled(live: boolean): boolean {
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    if (!live) return;
    const timer = setTimeout(() => setSettled(true), 200 + Math.random() * 1_000);
    return () => clearTimeout(timer);
  }, [live]);
  return settled;
}

/** Subscribes to `ticker:<market>` while mounted (pass `live: false` for settled markets). */
export function useLiveQuote(market: Market, live = true): LiveQuote {
  const settled = useSettled(live);
  const { status, ticker } = useTicker(live && settled ? market.ticker : null);
  const connection = useStreamStatus();
  const msg = ticker ?? {};
  const last = str(msg.price_dollars, market.last_price_dollars);
  const previous =
    typeof market.previous_price_dollars === "string" ? market.previous_price_dollars : undefined;
  const lastMicros = safeMicros(last);
  const previousMicros = safeMicros(previous);
  const change =
    lastMicros !== undefined && previousMicros !== undefined && previousMicros !== 0
      ? lastMicros - previousMicros
      : undefined;
  const freshness: QuoteFreshness = !live
    ? "live"
    : connection === "reconnecting" ||
        connection === "closed" ||
        status === "stale" ||
        status === "resyncing" ||
        status === "error"
      ? "stale"
      : status === "live"
        ? "live"
        : "loading";
  return {
    yesBid: str(msg.yes_bid_dollars, market.yes_bid_dollars),
    yesAsk: str(msg.yes_ask_dollars, market.yes_ask_dollars),
    last,
    change,
    volume: str(msg.volume_fp, market.volume_fp),
    volume24h: market.volume_24h_fp,
    openInterest: str(msg.open_interest_fp, market.open_interest_fp),
    freshness,
  };
}

/** Markets whose prices can still move (everything else is shown from REST only). */
export function isLiveStatus(status: string): boolean {
  return status === "active" || status === "open" || status === "paused";
}

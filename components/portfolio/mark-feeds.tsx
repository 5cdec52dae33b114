"use client";
/**
 * Live marks from the gateway's `ticker:` topics into the MarkStore. The
 * gateway allows 100 topics per tab and about 20 subscribe frames a second,
 * so the largest open positions (by cost) get a live feed, up to
 * MAX_LIVE_MARKS, subscribed a few at a time; the rest keep their REST mark,
 * refreshed every 30 s (use-portfolio.ts).
 */
import { useEffect, useState } from "react";

import { useTicker } from "@/lib/gateway/hooks";

import type { MarkStore } from "./mark-store";

export const MAX_LIVE_MARKS = 60;
/** Subscriptions started per step, and the step: 8 per 500 ms stays well inside the flood limit. */
const STEP = 8;
const STEP_MS = 500;

function MarkFeed({ ticker, store }: { ticker: string; store: MarkStore }) {
  const { ticker: msg, status } = useTicker(ticker);
  useEffect(() => {
    if (!msg || status === "error") return;
    store.setQuote(
      ticker,
      {
        yesBid: typeof msg.yes_bid_dollars === "string" ? msg.yes_bid_dollars : null,
        yesAsk: typeof msg.yes_ask_dollars === "string" ? msg.yes_ask_dollars : null,
        last: typeof msg.price_dollars === "string" ? msg.price_dollars : null,
      },
      "live",
    );
  }, [msg, status, store, ticker]);
  return null;
}

export function MarkFeeds({ tickers, store }: { tickers: readonly string[]; store: MarkStore }) {
  const [allowed, setAllowed] = useState(STEP);
  const wanted = Math.min(tickers.length, MAX_LIVE_MARKS);
  useEffect(() => {
    if (allowed >= wanted) return;
    const timer = setTimeout(() => setAllowed((n) => n + STEP), STEP_MS);
    return () => clearTimeout(timer);
  }, [allowed, wanted]);
  return (
    <>
      {tickers.slice(0, Math.min(allowed, wanted)).map((ticker) => (
        <MarkFeed key={ticker} ticker={ticker} store={store} />
      ))}
    </>
  );
}

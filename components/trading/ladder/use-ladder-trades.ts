"use client";
/**
 * Volume at price and the last trade for the ladder: the day's trades over
 * REST (GET /api/trades since local midnight, a few pages) plus every trade
 * the gateway's `trades:` topic has delivered since the page opened, counted
 * once per trade id.
 */
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";

import { parseCount, parseDollars, type Centis, type Micros } from "@/lib/fixed-point";
import { useTrades } from "@/lib/gateway/hooks";
import { marketKeys } from "@/lib/queries/markets";
import { apiPath, fetchApi } from "@/lib/queries/fetch-api";
import type { Trade, TradeList } from "@/lib/schemas/market";

import { addTrade } from "./ladder-model";

/** Pages of 1000 trades read for the day's volume (a busy market's day fits; beyond it we undercount). */
const MAX_PAGES = 5;

async function dayTrades(ticker: string, signal: AbortSignal): Promise<Trade[]> {
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  const trades: Trade[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const list = await fetchApi<TradeList>(
      apiPath("/api/trades", {
        ticker,
        limit: 1000,
        min_ts: Math.floor(midnight.getTime() / 1000),
        cursor,
      }),
      { signal },
    );
    trades.push(...list.trades);
    cursor = list.cursor || undefined;
    if (!cursor) break;
  }
  return trades;
}

export interface LadderTrades {
  volumes: ReadonlyMap<Micros, Centis>;
  lastTrade: Micros | null;
}

export function useLadderTrades(ticker: string): LadderTrades {
  const history = useQuery({
    queryKey: [...marketKeys.trades(ticker), "day"],
    queryFn: ({ signal }) => dayTrades(ticker, signal),
    refetchOnWindowFocus: false,
  });
  const live = useTrades(ticker);
  // The day's history is folded once per fetch; each live trade then costs a copy of one small map.
  const day = useMemo(() => {
    const volumes = new Map<Micros, Centis>();
    const seen = new Set<string>();
    let lastTrade: Micros | null = null;
    let newest = -Infinity;
    for (const trade of history.data ?? []) {
      const price = safe(() => parseDollars(trade.yes_price_dollars));
      const count = safe(() => parseCount(trade.count_fp));
      if (price === null || count === null) continue;
      addTrade(volumes, seen, trade.trade_id, price, count);
      const at = Date.parse(trade.created_time);
      if (at > newest) {
        newest = at;
        lastTrade = price;
      }
    }
    return { volumes, seen, lastTrade };
  }, [history.data]);
  return useMemo(() => {
    const volumes = new Map(day.volumes);
    const seen = new Set<string>();
    let lastTrade: Micros | null = null;
    // Live events are newest first; the first one is the last trade.
    for (const event of live.trades) {
      const msg = event.msg;
      const id = String(msg.trade_id ?? `seq-${event.seq}`);
      const price = safe(() => parseDollars(String(msg.yes_price_dollars)));
      const count = safe(() => parseCount(String(msg.count_fp)));
      if (price === null || count === null) continue;
      lastTrade ??= price;
      if (day.seen.has(id)) continue;
      addTrade(volumes, seen, id, price, count);
    }
    return { volumes, lastTrade: lastTrade ?? day.lastTrade };
  }, [live.trades, day]);
}

function safe<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

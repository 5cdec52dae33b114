"use client";
/**
 * Everything the portfolio screen shows for one scope (a subaccount, or the
 * whole account), kept live: the REST snapshot from the BFF, refetched when
 * the gateway's `fills`, `positions` or `orders` topics report a change, with
 * marks coming from the MarkStore (live ticker topics over REST snapshots).
 */
import { useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef } from "react";

import { useFills, useOrders, usePositions, useStreamStatus } from "@/lib/gateway/hooks";
import { portfolioKeys } from "@/lib/queries/portfolio";
import {
  marketsByTickersOptions,
  overviewOptions,
  positionsOfOptions,
  restingOrdersOptions,
} from "@/lib/queries/portfolio-screen";
import { fetchApi } from "@/lib/queries/fetch-api";
import type { Market } from "@/lib/schemas/market";
import type { MarketPosition } from "@/lib/schemas/portfolio";
import type { SubaccountOverviewRow } from "@/lib/schemas/subaccount";

import type { MarkStore } from "./mark-store";

export interface PositionRow {
  /** `${subaccount}:${ticker}` */
  key: string;
  subaccount: number;
  position: MarketPosition;
  market: Market | undefined;
  eventTicker: string;
  restingOrders: number;
}

export interface PortfolioData {
  status: "loading" | "error" | "ready";
  error: Error | null;
  subaccounts: SubaccountOverviewRow[];
  /** The scope's subaccount rows (one, or all). */
  scoped: SubaccountOverviewRow[];
  rows: PositionRow[];
  /** When the REST snapshot was last fetched (epoch ms). */
  updatedAt: number;
  /** The gateway connection or a private topic is not live. */
  stale: boolean;
}

/** Refetches the account after a streamed change, at most every 400 ms. */
function useLiveInvalidation(onChange: () => void): { stale: boolean } {
  const fills = useFills();
  const positions = usePositions();
  const orders = useOrders();
  const connection = useStreamStatus();
  const key = `${fills.fills[0]?.seq ?? 0}:${positions.positions[0]?.seq ?? 0}:${orders.orders[0]?.seq ?? 0}`;
  const first = useRef(true);
  const changeRef = useRef(onChange);
  useEffect(() => {
    changeRef.current = onChange;
  });
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => changeRef.current(), 400);
    return () => clearTimeout(timer);
  }, [key]);
  // A fill seen live is also a moment for the equity curve: ask the server to record it.
  const lastFill = useRef(fills.fills[0]?.seq);
  useEffect(() => {
    const seq = fills.fills[0]?.seq;
    if (seq === undefined || seq === lastFill.current) return;
    lastFill.current = seq;
    void fetchApi("/api/portfolio/equity", { json: { reason: "fill" } }).catch(() => undefined);
  }, [fills.fills]);
  const stale =
    connection !== "open" ||
    [fills.status, positions.status, orders.status].some((s) => s === "stale" || s === "error");
  return { stale };
}

export function usePortfolio(scope: number | null, marks: MarkStore): PortfolioData {
  const queryClient = useQueryClient();
  const overview = useQuery(overviewOptions());
  const subaccounts = useMemo(() => overview.data?.subaccounts ?? [], [overview.data]);
  const numbers = scope === null ? subaccounts.map((s) => s.subaccount_number) : [scope];
  const positionQueries = useQueries({
    queries: numbers.map((n) => ({ ...positionsOfOptions(n), enabled: overview.isSuccess })),
  });
  const numbersKey = numbers.join(",");
  const resting = useQuery(restingOrdersOptions(scope));
  const positionsData = positionQueries.map((q) => q.data);
  const positionsKey = positionQueries.map((q) => q.dataUpdatedAt).join(",");
  const tickers = useMemo(() => {
    const set = new Set<string>();
    for (const list of positionsData) for (const p of list ?? []) set.add(p.ticker);
    return [...set];
    // eslint-disable-next-line react-hooks/exhaustive-deps -- positionsKey changes exactly when the data does
  }, [positionsKey]);
  const markets = useQuery(marketsByTickersOptions(tickers));

  // REST marks for every position; the live feed overrides them per ticker.
  useEffect(() => {
    for (const market of markets.data ?? []) {
      marks.setQuote(
        market.ticker,
        {
          yesBid: market.yes_bid_dollars,
          yesAsk: market.yes_ask_dollars,
          last: market.last_price_dollars,
          settlementValue:
            typeof market.settlement_value_dollars === "string"
              ? market.settlement_value_dollars
              : null,
        },
        "rest",
      );
    }
  }, [markets.data, marks]);

  const { stale } = useLiveInvalidation(() => {
    void queryClient.invalidateQueries({ queryKey: portfolioKeys.all });
  });

  const rows = useMemo(() => {
    const byTicker = new Map((markets.data ?? []).map((m) => [m.ticker, m]));
    const restingCount = new Map<string, number>();
    for (const order of resting.data?.orders ?? []) {
      const key = `${order.subaccount_number ?? 0}:${order.ticker}`;
      restingCount.set(key, (restingCount.get(key) ?? 0) + 1);
    }
    const out: PositionRow[] = [];
    positionsData.forEach((list, i) => {
      const subaccount = numbers[i] ?? 0;
      for (const position of list ?? []) {
        const market = byTicker.get(position.ticker);
        const key = `${subaccount}:${position.ticker}`;
        out.push({
          key,
          subaccount,
          position,
          market,
          eventTicker: market?.event_ticker ?? eventOf(position.ticker),
          restingOrders: restingCount.get(key) ?? 0,
        });
      }
    });
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the queries' update times
  }, [positionsKey, markets.data, resting.data, numbersKey]);

  const error = overview.error ?? positionQueries.find((q) => q.error)?.error ?? null;
  const loading = overview.isPending || positionQueries.some((q) => q.isPending);
  const scoped =
    scope === null ? subaccounts : subaccounts.filter((s) => s.subaccount_number === scope);
  return {
    status: error ? "error" : loading ? "loading" : "ready",
    error,
    subaccounts,
    scoped,
    rows,
    updatedAt: Math.max(overview.dataUpdatedAt, ...positionQueries.map((q) => q.dataUpdatedAt)),
    stale,
  };
}

/** KXHIGHNY-26JAN01-B45 → KXHIGHNY-26JAN01 (when the market object is not at hand). */
function eventOf(ticker: string): string {
  const cut = ticker.lastIndexOf("-");
  return cut > 0 ? ticker.slice(0, cut) : ticker;
}

"use client";
/**
 * Flatten a position from the portfolio: a reduce-only, immediate-or-cancel
 * order that crosses at the best opposite price (a YES holder sells YES at
 * the best YES bid; a NO holder buys YES at the best YES ask, which closes
 * NO). `preview` reads the market fresh and says what would be sent; `send`
 * places exactly that through POST /api/orders with one client_order_id per
 * intent, so a double click places it once. (The trading screen's own
 * flatten lives in components/trading; this is the portfolio's small one.)
 */
import { useCallback, useState } from "react";

import { useReauth } from "@/components/auth/use-reauth";
import { notional, parseDollars, type Centis, type Micros } from "@/lib/fixed-point";
import type { PositionFigures } from "@/lib/portfolio/figures";
import { fetchApi } from "@/lib/queries/fetch-api";
import type { Market } from "@/lib/schemas/market";
import type { CreateOrderBody } from "@/lib/schemas/order";

export interface FlattenPreview {
  ticker: string;
  subaccount: number;
  order: CreateOrderBody & { client_order_id: string };
  /** What the held side sells for at that price (before fees). */
  proceeds: Micros;
  /** The held side's price, micro-dollars. */
  price: Micros;
  contracts: Centis;
  heldSide: "yes" | "no";
}

function countText(centis: Centis): string {
  return centis % 100 === 0 ? String(centis / 100) : (centis / 100).toFixed(2);
}

/** Builds the order from a fresh market read; null when the book has no price to cross. */
export function flattenOrder(
  market: Pick<Market, "ticker" | "yes_bid_dollars" | "yes_ask_dollars">,
  figures: Pick<PositionFigures, "side" | "contracts">,
  subaccount: number,
  clientOrderId: string,
): FlattenPreview | null {
  if (figures.side === "flat" || figures.contracts <= 0) return null;
  const bid = parseDollars(market.yes_bid_dollars);
  const ask = parseDollars(market.yes_ask_dollars);
  const yesHolder = figures.side === "yes";
  if (yesHolder ? bid <= 0 : ask >= 1_000_000) return null;
  const yesPrice = yesHolder ? bid : ask;
  const price = yesHolder ? yesPrice : 1_000_000 - yesPrice;
  return {
    ticker: market.ticker,
    subaccount,
    heldSide: figures.side,
    contracts: figures.contracts,
    price,
    proceeds: notional(price, figures.contracts),
    order: {
      ticker: market.ticker,
      side: yesHolder ? "ask" : "bid",
      count: countText(figures.contracts),
      price: yesHolder ? market.yes_bid_dollars : market.yes_ask_dollars,
      time_in_force: "immediate_or_cancel",
      reduce_only: true,
      subaccount,
      client_order_id: clientOrderId,
    },
  };
}

export function useFlattenPosition() {
  const { run, dialogProps } = useReauth();
  const [pending, setPending] = useState(false);

  const preview = useCallback(
    async (
      ticker: string,
      figures: PositionFigures,
      subaccount: number,
    ): Promise<FlattenPreview | null> => {
      const { market } = await fetchApi<{ market: Market }>(
        `/api/markets/${encodeURIComponent(ticker)}`,
      );
      return flattenOrder(market, figures, subaccount, crypto.randomUUID());
    },
    [],
  );

  const send = useCallback(
    async (plan: FlattenPreview) => {
      setPending(true);
      try {
        return await run(() =>
          fetch("/api/orders", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(plan.order),
            credentials: "same-origin",
          }),
        );
      } finally {
        setPending(false);
      }
    },
    [run],
  );

  return { preview, send, pending, reauthDialogProps: dialogProps };
}

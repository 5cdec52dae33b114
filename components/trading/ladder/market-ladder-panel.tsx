"use client";
/**
 * The ladder on a market page for a signed-in trader with a Kalshi key:
 * working orders from the orders query (refreshed by the `orders` stream),
 * clicks sent through the one trading mutation path (use-order-actions), a
 * default-size picker. Signed out it renders nothing. The trading screen's
 * page composes PriceLadder itself; this panel is the smallest wiring for
 * the plain market page.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import { describeOrderError } from "@/components/trading/order-errors";
import {
  createAmendIntent,
  createPlaceIntent,
  toWorkingOrder,
} from "@/components/trading/order-intent";
import { useOrderActions } from "@/components/trading/use-order-actions";
import { formatDollars, type Centis, type Micros } from "@/lib/fixed-point";
import { useOrders } from "@/lib/gateway/hooks";
import { portfolioKeys, workingOrdersOptions } from "@/lib/queries/orders";
import type { Market } from "@/lib/schemas/market";

import { PriceLadder, type LadderOrder, type PriceLadderHandle } from "./price-ladder";

const SIZES: readonly Centis[] = [100, 500, 1000, 2500];

export function MarketLadderPanel({ market }: { market: Market }) {
  const orders = useQuery(workingOrdersOptions(market.ticker));
  // Signed out or no Kalshi key: the query answers null; nothing to trade with.
  if (orders.data === null) return null;
  return <SignedInLadder market={market} />;
}

function SignedInLadder({ market }: { market: Market }) {
  const ticker = market.ticker;
  const queryClient = useQueryClient();
  const orders = useQuery(workingOrdersOptions(ticker));
  const actions = useOrderActions();
  const [view, setView] = useState<"yes" | "no">("yes");
  const [size, setSize] = useState<Centis>(100);
  const [ticket, setTicket] = useState<string | null>(null);
  const ladder = useRef<PriceLadderHandle>(null);

  // Every order event may be ours in this market: refetch the working orders.
  const stream = useOrders();
  const newest = stream.orders[0]?.seq;
  useEffect(() => {
    if (newest !== undefined)
      void queryClient.invalidateQueries({ queryKey: portfolioKeys.restingOrders(ticker) });
  }, [newest, queryClient, ticker]);

  const working = useMemo(
    () =>
      (orders.data?.orders ?? [])
        .filter((o) => o.ticker === ticker && o.status === "resting")
        .map(toWorkingOrder),
    [orders.data, ticker],
  );
  const ladderOrders = useMemo<LadderOrder[]>(
    () =>
      working.map((o) => ({
        orderId: o.orderId,
        // V2 orders rest on the YES book: a bid buys YES, an ask is a NO buy at 1 − p.
        side: o.bookSide === "bid" ? "yes" : "no",
        action: "buy",
        yesPrice: o.yesPrice,
        remaining: o.remaining,
      })),
    [working],
  );

  const readable = (error: unknown) => new Error(describeOrderError(error).message);
  const onPlace = useCallback(
    async (intent: { side: "yes" | "no"; action: "buy"; price: Micros; count: Centis }) => {
      try {
        await actions.place(createPlaceIntent({ ticker, ...intent }));
      } catch (error) {
        throw readable(error);
      }
    },
    [actions, ticker],
  );
  const onCancel = useCallback(
    async (orderId: string) => {
      try {
        await actions.cancel({ orderId });
      } catch (error) {
        throw readable(error);
      }
    },
    [actions],
  );
  const onAmend = useCallback(
    async (orderId: string, yesPrice: Micros) => {
      const order = working.find((o) => o.orderId === orderId);
      if (!order) throw new Error("That order is no longer working");
      try {
        await actions.amend(createAmendIntent(order, { yesPrice }));
      } catch (error) {
        throw readable(error);
      }
    },
    [actions, working],
  );

  const live = market.status === "active" || market.status === "open";
  return (
    <div className="flex flex-col gap-2">
      <PriceLadder
        ref={ladder}
        market={market}
        view={view}
        onViewChange={setView}
        defaultSize={size}
        workingOrders={ladderOrders}
        onPlace={onPlace}
        onCancel={onCancel}
        onAmend={onAmend}
        onOpenTicket={(prefill) =>
          setTicket(
            `${prefill.action === "buy" ? "Buy" : "Sell"} ${prefill.side.toUpperCase()} at ${formatDollars(prefill.price)}`,
          )
        }
        disabledReason={live ? null : `Market is ${market.status}`}
      />
      <div className="flex items-center gap-2 text-xs text-ink-muted">
        <span id="ladder-size">Click size</span>
        <div
          role="group"
          aria-labelledby="ladder-size"
          className="flex overflow-hidden rounded border border-line"
        >
          {SIZES.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={size === s}
              onClick={() => setSize(s)}
              className={`px-2 py-0.5 font-mono ${size === s ? "bg-accent/20 text-ink" : "hover:text-ink"}`}
            >
              {s / 100}
            </button>
          ))}
        </div>
        {ticket ? <span className="truncate">Ticket: {ticket}</span> : null}
      </div>
    </div>
  );
}

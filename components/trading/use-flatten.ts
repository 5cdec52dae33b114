"use client";
/**
 * Flatten a market position: sell the held side, reduce-only, immediate or
 * cancel, at the price that reaches deep enough into the book to close it
 * all (flatten-plan.ts). Two steps so the trader sees what it will do:
 * `prepare()` makes the plan and its one intent (one client_order_id),
 * `confirm()` sends that intent (again on retry, never a second order).
 * Reused by the portfolio page: it needs only the position, the book and
 * the order actions.
 */
import { useCallback, useMemo, useState } from "react";

import { planFlatten, type FlattenPlan } from "@/components/trading/flatten-plan";
import type { FeeSchedule } from "@/components/trading/market-terms";
import { describeOrderError, type OrderProblem } from "@/components/trading/order-errors";
import { createPlaceIntent, type PlaceOrderIntent } from "@/components/trading/order-intent";
import type { OrderActions } from "@/components/trading/use-order-actions";
import { tradeFee } from "@/lib/fees";
import type { Centis, Micros } from "@/lib/fixed-point";
import type { Level } from "@/lib/gateway/order-book";
import type { PlacedOrder } from "@/lib/schemas/order";

export interface UseFlattenInput {
  ticker: string;
  side: "yes" | "no" | null;
  held: Centis;
  /** The market's YES book, best first (null while loading): `plan` follows it. */
  book: FlattenBook | null;
  /**
   * Reads the whole book when the trader asks to flatten; the plan shown is
   * made from it then. Lets a caller pass only the top of the book as `book`
   * (enough to know whether anyone bids) and not re-render for every delta.
   */
  readBook?: () => FlattenBook | null;
  fees: FeeSchedule;
  actions: Pick<OrderActions, "place">;
  subaccount?: number;
}

type FlattenBook = { bids: readonly Level[]; asks: readonly Level[] };

export type FlattenState =
  | { step: "idle" }
  | { step: "preview"; plan: FlattenPlan; takerFee: Micros; intent: PlaceOrderIntent }
  | { step: "sending"; plan: FlattenPlan; takerFee: Micros; intent: PlaceOrderIntent }
  | { step: "done"; order: PlacedOrder }
  | {
      step: "failed";
      plan: FlattenPlan;
      takerFee: Micros;
      intent: PlaceOrderIntent;
      problem: OrderProblem;
    };

export function useFlatten(input: UseFlattenInput) {
  const { ticker, side, held, book, readBook, fees, actions, subaccount } = input;
  const [state, setState] = useState<FlattenState>({ step: "idle" });
  const current = useMemo(() => planFlatten(side, held, book), [side, held, book]);

  /** Shows the plan; null when there is nothing to flatten or nobody bids. */
  const prepare = useCallback(() => {
    const plan = readBook ? planFlatten(side, held, readBook()) : current;
    if (!plan) return null;
    const intent = createPlaceIntent({
      ticker,
      side: plan.side,
      action: "sell",
      price: plan.limitPrice,
      count: plan.count,
      timeInForce: "immediate_or_cancel",
      reduceOnly: true,
      subaccount,
    });
    const takerFee = tradeFee({
      price: plan.limitPrice,
      count: plan.count,
      ...fees,
      role: "taker",
    });
    setState({ step: "preview", plan, takerFee, intent });
    return plan;
  }, [current, readBook, side, held, ticker, fees, subaccount]);

  const confirm = useCallback(async () => {
    if (state.step !== "preview" && state.step !== "failed") return;
    const { plan: planned, takerFee, intent } = state;
    setState({ step: "sending", plan: planned, takerFee, intent });
    try {
      const order = await actions.place(intent);
      setState({ step: "done", order });
    } catch (error) {
      const problem = describeOrderError(error);
      // A refusal is final for this intent; a lost answer keeps it, so retry reuses its id.
      setState({
        step: "failed",
        plan: planned,
        takerFee,
        intent: problem.retryable ? intent : createPlaceIntent(intent),
        problem,
      });
    }
  }, [state, actions]);

  const reset = useCallback(() => setState({ step: "idle" }), []);

  return { plan: current, state, prepare, confirm, reset };
}

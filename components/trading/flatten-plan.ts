/**
 * How to flatten a position: sell the held side, reduce-only, immediate or
 * cancel, at the price that reaches deep enough into the book to close it
 * all (the worst level needed), so whatever the book cannot absorb is
 * cancelled rather than left resting. Pure.
 */
import { complement, notional, type Centis, type Micros } from "@/lib/fixed-point";
import type { Level } from "@/lib/gateway/order-book";

export interface FlattenPlan {
  side: "yes" | "no";
  count: Centis;
  /** Limit price in `side` terms: the worst level the sale needs. */
  limitPrice: Micros;
  /** Contracts the visible book absorbs at or above the limit. */
  fillable: Centis;
  /** Expected proceeds of the fillable part, level by level. */
  expectedProceeds: Micros;
}

/**
 * @param bids YES bids best first; @param asks YES asks best first.
 * Returns null when flat or when nobody bids for the held side.
 */
export function planFlatten(
  side: "yes" | "no" | null,
  held: Centis,
  book: { bids: readonly Level[]; asks: readonly Level[] } | null,
): FlattenPlan | null {
  if (side === null || held <= 0 || !book) return null;
  // Selling YES hits YES bids; selling NO hits NO bids = YES asks seen from the NO side.
  const levels: ReadonlyArray<readonly [Micros, Centis]> =
    side === "yes"
      ? book.bids
      : book.asks.map(([price, size]) => [complement(price), size] as const);
  let remaining = held;
  let proceeds = 0;
  let limitPrice: Micros | null = null;
  for (const [price, size] of levels) {
    if (remaining <= 0) break;
    const take = Math.min(size, remaining);
    proceeds += notional(price, take);
    remaining -= take;
    limitPrice = price;
  }
  if (limitPrice === null) return null;
  return { side, count: held, limitPrice, fillable: held - remaining, expectedProceeds: proceeds };
}

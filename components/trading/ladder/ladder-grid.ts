/**
 * The ladder's rows: every valid price of a market's grid, highest first,
 * read from the market's own `price_ranges` (Kalshi's source of truth; the
 * named `price_level_structure` is only a fallback for a market object that
 * lacks the bands). Tapered grids give rows of different tick sizes: the
 * ladder steps one valid price per row, never a fixed increment.
 */
import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import { z } from "zod";

import { complement, type Micros } from "@/lib/fixed-point";
import { allPrices, fromWireRanges, priceRangesFor, type PriceRange } from "@/lib/price-grid";
import type { Market } from "@/lib/schemas/market";

const WireRanges = z
  .array(z.object({ start: z.string(), end: z.string(), step: z.string() }))
  .min(1);

/** The market's price bands: `price_ranges` when usable, else its named structure, else whole cents. */
export function marketPriceRanges(market: Market): readonly PriceRange[] {
  const wire = WireRanges.safeParse(market.price_ranges);
  if (wire.success) {
    try {
      return fromWireRanges(wire.data);
    } catch {
      // A malformed band: fall through to the structure name.
    }
  }
  const structure = market.price_level_structure;
  if (typeof structure === "string") {
    try {
      return priceRangesFor(structure);
    } catch {
      // A structure newer than our table.
    }
  }
  return priceRangesFor("linear_cent");
}

/** The ladder's price axis in one view: row i shows `display[i]`, which is YES price `yes[i]`. */
export interface LadderAxis {
  view: "yes" | "no";
  /** YES price of each row, top row first. */
  yes: readonly Micros[];
  /** The price printed on each row (YES price, or NO price = $1 − YES in the no view), descending. */
  display: readonly Micros[];
  /** Row index of a YES price, or undefined off the grid. */
  rowOf(yesPrice: Micros): number | undefined;
}

/**
 * Rows for a grid in a view. Both views read top-down from the highest
 * price shown: the YES view lists YES prices descending; the NO view lists
 * NO prices descending, which is YES prices ascending (the mirror).
 */
export function ladderAxis(ranges: readonly PriceRange[], view: "yes" | "no"): LadderAxis {
  const ascending = allPrices(ranges);
  const yes = view === "yes" ? ascending.slice().reverse() : ascending;
  const display = view === "yes" ? yes : yes.map(complement);
  const index = new Map<Micros, number>();
  yes.forEach((price, row) => index.set(price, row));
  return { view, yes, display, rowOf: (price) => index.get(price) };
}

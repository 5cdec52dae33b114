/**
 * Price level structures: which prices a market accepts.
 *
 * A market's grid is a list of `{ start, end, step }` bands (its
 * `price_ranges`). Kalshi says to treat those bands, not the structure's
 * name, as the source of truth, so every function here takes ranges; the
 * named table below exists for the simulator and for tests.
 *
 * Band bounds are inclusive and adjacent bands share their boundary price
 * (e.g. $0.10 ends the fine lower band and starts the coarse middle one), so
 * a price is valid if any band containing it has it on its step. The outer
 * bounds $0 and $1 are never tradable prices.
 *
 * Browser-safe: no Node imports.
 */

import {
  FixedPointError,
  ONE_DOLLAR,
  formatDollars,
  parseDollars,
  type Micros,
} from "./fixed-point";

/** One band of a price grid, in micro-dollars. */
export interface PriceRange {
  start: Micros;
  end: Micros;
  step: Micros;
}

/** A band as Kalshi sends it: 4-decimal dollar strings ("0.0000", "1.0000", "0.0100"). */
export interface PriceRangeWire {
  start: string;
  end: string;
  step: string;
}

/** Names of the structures listed in Kalshi's fixed-point migration guide. */
export type PriceLevelStructure =
  | "linear_cent"
  | "deci_cent"
  | "tapered_deci_cent"
  | "center_whole_edge_half_cent"
  | "center_whole_edge_quint_cent"
  | "center_half_edge_half_cent"
  | "center_half_edge_quint_cent"
  | "center_half_edge_deci_cent"
  | "center_quint_edge_quint_cent"
  | "center_quint_edge_deci_cent"
  | "center_centi_edge_centi_cent"
  | "center_deci_edge_centi_cent";

/** Lowest and highest valid price on any grid: $0 and $1 pay out nothing to trade for. */
const MIN_PRICE: Micros = 1;
const MAX_PRICE: Micros = ONE_DOLLAR - 1;

function band(start: string, end: string, step: string): PriceRange {
  return Object.freeze({
    start: parseDollars(start),
    end: parseDollars(end),
    step: parseDollars(step),
  });
}

function uniform(step: string): readonly PriceRange[] {
  return Object.freeze([band("0", "1", step)]);
}

/** Fine ticks below `edge` and above 1 − `edge`, coarse ticks in between. */
function tapered(edgeTick: string, centerTick: string, edge = "0.10"): readonly PriceRange[] {
  const upper = formatDollars(ONE_DOLLAR - parseDollars(edge));
  return Object.freeze([
    band("0", edge, edgeTick),
    band(edge, upper, centerTick),
    band(upper, "1", edgeTick),
  ]);
}

const STRUCTURES: Readonly<Record<PriceLevelStructure, readonly PriceRange[]>> = Object.freeze({
  linear_cent: uniform("0.01"),
  deci_cent: uniform("0.001"),
  tapered_deci_cent: tapered("0.001", "0.01"),
  center_whole_edge_half_cent: tapered("0.005", "0.01"),
  center_whole_edge_quint_cent: tapered("0.002", "0.01"),
  center_half_edge_half_cent: uniform("0.005"),
  center_half_edge_quint_cent: tapered("0.002", "0.005"),
  center_half_edge_deci_cent: tapered("0.001", "0.005"),
  center_quint_edge_quint_cent: uniform("0.002"),
  center_quint_edge_deci_cent: tapered("0.001", "0.002"),
  center_centi_edge_centi_cent: uniform("0.0001"),
  // Combo markets: tapers only below $0.01 and above $0.99.
  center_deci_edge_centi_cent: tapered("0.0001", "0.001", "0.01"),
});

/**
 * Every price level structure documented in getting_started/fixed_point_migration.md,
 * keyed by its `price_level_structure` name. Prefer a market's own
 * `price_ranges`: Kalshi adds structures over time.
 */
export const PRICE_LEVEL_STRUCTURES: Readonly<Record<string, readonly PriceRange[]>> = STRUCTURES;

/** Bands of a named structure; throws a RangeError for a name this table does not know. */
export function priceRangesFor(structure: string): readonly PriceRange[] {
  if (!Object.hasOwn(STRUCTURES, structure)) {
    throw new RangeError(
      `unknown price level structure "${structure}"; read the market's price_ranges instead`,
    );
  }
  return STRUCTURES[structure as PriceLevelStructure];
}

/** Bands as Kalshi's wire strings, 4 decimals each. */
export function toWireRanges(ranges: readonly PriceRange[]): PriceRangeWire[] {
  return ranges.map((r) => ({
    start: formatDollars(r.start, 4),
    end: formatDollars(r.end, 4),
    step: formatDollars(r.step, 4),
  }));
}

/**
 * Bands from Kalshi's wire strings. Throws FixedPointError for malformed
 * numbers and for bands no grid can use (zero step, end before start,
 * outside $0–$1), since a bad band would otherwise loop or accept nonsense.
 */
export function fromWireRanges(wire: readonly PriceRangeWire[]): PriceRange[] {
  return wire.map((w) => {
    const range = {
      start: parseDollars(w.start),
      end: parseDollars(w.end),
      step: parseDollars(w.step),
    };
    if (range.step <= 0)
      throw new FixedPointError(`price band step must be positive, got "${w.step}"`);
    if (range.end < range.start)
      throw new FixedPointError(`price band ends ("${w.end}") before it starts ("${w.start}")`);
    if (range.end > ONE_DOLLAR) throw new FixedPointError(`price band ends past $1 ("${w.end}")`);
    return range;
  });
}

/**
 * True when price is a valid order price: strictly between $0 and $1 and on
 * the step of a band that contains it (band bounds inclusive, so $0.10 is
 * valid in tapered grids; whole cents are valid in every structure).
 */
export function isOnGrid(price: Micros, ranges: readonly PriceRange[]): boolean {
  if (!Number.isSafeInteger(price) || price < MIN_PRICE || price > MAX_PRICE) return false;
  return ranges.some((r) => price >= r.start && price <= r.end && (price - r.start) % r.step === 0);
}

/**
 * Tick size that applies at this price going up ("up") or down ("down") — at
 * a band boundary the two differ: at $0.10 in tapered_deci_cent the tick is
 * $0.01 up and $0.001 down. Throws a RangeError when no band covers that
 * side of the price (e.g. going up from $1).
 */
export function tickAt(
  price: Micros,
  ranges: readonly PriceRange[],
  direction: "up" | "down",
): Micros {
  assertPrice(price);
  // "up" wants the band covering [price, price + step), "down" the one covering (price − step, price].
  const match =
    direction === "up"
      ? ranges.find((r) => r.start <= price && price < r.end)
      : ranges.find((r) => r.start < price && price <= r.end);
  if (!match)
    throw new RangeError(`no price band covers ${formatDollars(price)} going ${direction}`);
  return match.step;
}

/**
 * Next valid price strictly above/below `price` (price need not be on grid),
 * or null past $0/$1.
 */
export function nextPrice(
  price: Micros,
  ranges: readonly PriceRange[],
  direction: "up" | "down",
): Micros | null {
  assertPrice(price);
  let best: Micros | null = null;
  for (const r of ranges) {
    const candidate =
      direction === "up" ? firstInBandFrom(r, price + 1) : lastInBandUpTo(r, price - 1);
    if (candidate === null) continue;
    if (best === null || (direction === "up" ? candidate < best : candidate > best))
      best = candidate;
  }
  return best;
}

/**
 * Snap to the nearest valid price in a direction ("down" = largest valid ≤
 * price, "up" = smallest valid ≥ price), or null when there is none.
 */
export function snapToGrid(
  price: Micros,
  ranges: readonly PriceRange[],
  direction: "up" | "down",
): Micros | null {
  assertPrice(price);
  return direction === "up"
    ? nextPrice(price - 1, ranges, "up")
    : nextPrice(price + 1, ranges, "down");
}

/** Every valid price ascending (useful for ladders; linear_cent has 99, deci_cent 999). */
export function allPrices(ranges: readonly PriceRange[]): Micros[] {
  const prices = new Set<Micros>();
  for (const r of ranges) {
    if (r.step <= 0) throw new RangeError(`price band step must be positive, got ${r.step}`);
    for (let p = r.start; p <= r.end; p += r.step) {
      if (p >= MIN_PRICE && p <= MAX_PRICE) prices.add(p);
    }
  }
  return [...prices].sort((a, b) => a - b);
}

/** Smallest on-step price of band `r` that is ≥ `from` and tradable, or null. */
function firstInBandFrom(r: PriceRange, from: Micros): Micros | null {
  const lo = Math.max(from, MIN_PRICE, r.start);
  const candidate = r.start + ceilDiv(lo - r.start, r.step) * r.step;
  return candidate <= r.end && candidate <= MAX_PRICE ? candidate : null;
}

/** Largest on-step price of band `r` that is ≤ `upTo` and tradable, or null. */
function lastInBandUpTo(r: PriceRange, upTo: Micros): Micros | null {
  const hi = Math.min(upTo, MAX_PRICE, r.end);
  if (hi < r.start) return null;
  const candidate = r.start + Math.floor((hi - r.start) / r.step) * r.step;
  return candidate >= MIN_PRICE ? candidate : null;
}

/** ⌈a / b⌉ for a ≥ 0, b > 0, in exact integer steps. */
function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}

function assertPrice(price: Micros): void {
  if (!Number.isSafeInteger(price)) {
    throw new FixedPointError(`price must be whole micro-dollars, got ${price}`);
  }
}

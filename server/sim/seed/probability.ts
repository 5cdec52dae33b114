/**
 * Small numeric helpers for the seed's fair values: the normal CDF and the
 * logit transform the price random walks run in. Floats are fine here: these
 * produce simulation inputs, which are snapped to a price grid before they
 * become money.
 */
import { ONE_DOLLAR, type Micros } from "@/lib/fixed-point";
import { nextPrice, snapToGrid, type PriceRange } from "@/lib/price-grid";

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** P(a < X ≤ b) for X ~ N(mean, sd). */
export function normalBetween(a: number, b: number, mean: number, sd: number): number {
  return normalCdf((b - mean) / sd) - normalCdf((a - mean) / sd);
}

export function logit(p: number): number {
  const q = Math.min(Math.max(p, 1e-6), 1 - 1e-6);
  return Math.log(q / (1 - q));
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Lowest and highest tradable price of a grid. */
export function gridBounds(ranges: readonly PriceRange[]): { min: Micros; max: Micros } {
  return {
    min: nextPrice(0, ranges, "up") ?? 10_000,
    max: nextPrice(ONE_DOLLAR, ranges, "down") ?? 990_000,
  };
}

/** The valid price nearest to probability `p`, kept inside the grid's tradable range. */
export function probabilityToPrice(
  p: number,
  ranges: readonly PriceRange[],
  bounds: { min: Micros; max: Micros } = gridBounds(ranges),
): Micros {
  const { min, max } = bounds;
  const raw = Math.round(Math.min(Math.max(p, 0), 1) * ONE_DOLLAR);
  if (raw <= min) return min;
  if (raw >= max) return max;
  const down = snapToGrid(raw, ranges, "down") ?? min;
  const up = snapToGrid(raw, ranges, "up") ?? max;
  return raw - down <= up - raw ? down : up;
}

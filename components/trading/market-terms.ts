/**
 * What a market's and its series' loose REST objects say about trading:
 * the price grid, the fee schedule, and whether it is open. Pure.
 */
import { FEE_TYPES, type FeeType } from "@/lib/fees";
import { FixedPointError } from "@/lib/fixed-point";
import {
  fromWireRanges,
  priceRangesFor,
  type PriceRange,
  type PriceRangeWire,
} from "@/lib/price-grid";
import type { Market, Series } from "@/lib/schemas/market";

/** The market's price bands: its own `price_ranges`, else its named structure, else whole cents. */
export function marketRanges(market: Market): readonly PriceRange[] {
  const wire = market.price_ranges;
  if (Array.isArray(wire) && wire.length > 0) {
    try {
      return fromWireRanges(wire as PriceRangeWire[]);
    } catch (error) {
      if (!(error instanceof FixedPointError)) throw error;
    }
  }
  const structure =
    typeof market.price_level_structure === "string" ? market.price_level_structure : "";
  try {
    return priceRangesFor(structure || "linear_cent");
  } catch {
    return priceRangesFor("linear_cent");
  }
}

export interface FeeSchedule {
  feeType: FeeType;
  feeMultiplier: number;
}

/** The series' fee type and multiplier; the plain quadratic schedule (×1) while unknown. */
export function feeSchedule(series: Series | null | undefined): FeeSchedule {
  const feeType = (FEE_TYPES as readonly string[]).includes(series?.fee_type ?? "")
    ? (series?.fee_type as FeeType)
    : "quadratic";
  const raw = series?.fee_multiplier;
  const feeMultiplier = typeof raw === "number" && Number.isFinite(raw) && raw >= 0 ? raw : 1;
  return { feeType, feeMultiplier };
}

/** Fractional counts (0.01 steps) unless the market says otherwise (Kalshi now allows them everywhere). */
export function allowsFractional(market: Market): boolean {
  return market.fractional_trading_enabled !== false;
}

/** Why orders cannot be placed now, or null when the market is open. */
export function closedReason(market: Market): string | null {
  if (market.status === "active" || market.status === "open") return null;
  if (market.status === "paused") return "Trading in this market is paused.";
  if (market.status === "initialized" || market.status === "unopened")
    return "This market has not opened yet.";
  return `This market is ${market.status}; it no longer takes orders.`;
}

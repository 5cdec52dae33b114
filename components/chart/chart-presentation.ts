/**
 * How the candle chart presents numbers and controls, apart from how it
 * loads data: button labels that never differ only by letter case, one
 * price precision for a whole axis, and a price axis clamped to 0–100¢.
 */
import type { AutoscaleInfo } from "lightweight-charts";

import type { PeriodMinutes, RangePreset } from "@/components/chart/candles";

/** Candle periods: "1 min" and the range "1 mo" can never be confused (1m vs 1M). */
export const PERIOD_LABELS: Record<PeriodMinutes, { text: string; title: string }> = {
  1: { text: "1 min", title: "One-minute candles" },
  60: { text: "1 hr", title: "Hourly candles" },
  1440: { text: "1 day", title: "Daily candles" },
};

/** Visible ranges, worded apart from the periods (1d vs 1D). */
export const RANGE_LABELS: Record<RangePreset, { text: string; title: string }> = {
  "1D": { text: "24 h", title: "Show the last 24 hours" },
  "1W": { text: "Week", title: "Show the last 7 days" },
  "1M": { text: "Month", title: "Show the last 30 days" },
  All: { text: "All", title: "Show the whole history" },
};

/** Decimals (0–2) a set of cent prices needs so every label on the axis has the same precision. */
export function priceDecimals(prices: Iterable<number>): 0 | 1 | 2 {
  let decimals: 0 | 1 | 2 = 0;
  for (const price of prices) {
    const hundredths = Math.round(price * 100);
    if (hundredths % 10 !== 0) return 2;
    if (hundredths % 100 !== 0) decimals = 1;
  }
  return decimals;
}

/** An axis/readout formatter with a fixed precision; nothing outside 0–100¢ is labelled. */
export function centsFormatter(decimals: 0 | 1 | 2): (value: number) => string {
  return (value) => (value < -1e-9 || value > 100 + 1e-9 ? "" : `${value.toFixed(decimals)}¢`);
}

/** The smallest step the axis labels show at that precision. */
export function minMoveFor(decimals: 0 | 1 | 2): number {
  return decimals === 0 ? 1 : decimals === 1 ? 0.1 : 0.01;
}

/** Autoscale within 0–100¢: a contract's price cannot leave that range, so neither does the axis. */
export function clampedAutoscale(original: () => AutoscaleInfo | null): AutoscaleInfo | null {
  const info = original();
  if (!info?.priceRange) return info;
  return {
    ...info,
    priceRange: {
      minValue: Math.max(0, info.priceRange.minValue),
      maxValue: Math.min(100, info.priceRange.maxValue),
    },
  };
}

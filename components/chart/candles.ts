/**
 * Pure candle arithmetic for the charts: Kalshi candlesticks and trades into
 * chart bars, the YES/NO price flip, merging pages, and the live candle.
 *
 * The chart boundary: Kalshi prices are fixed-point strings and the app does
 * its arithmetic on integer micro-dollars, but lightweight-charts plots
 * numbers. Bars therefore carry prices as (possibly fractional) cents and
 * volumes as contracts, converted here and nowhere else; they are only ever
 * drawn, never added up into money.
 */
import { ONE_CENT, ONE_CONTRACT, ONE_DOLLAR, parseCount, parseDollars } from "@/lib/fixed-point";
import type { Candlestick } from "@/lib/schemas/market";

export type PriceSide = "yes" | "no";
export type PeriodMinutes = 1 | 60 | 1440;

export const PERIODS: ReadonlyArray<{ minutes: PeriodMinutes; label: string }> = [
  { minutes: 1, label: "1m" },
  { minutes: 60, label: "1h" },
  { minutes: 1440, label: "1d" },
];

export const RANGE_PRESETS = { "1D": 86_400, "1W": 604_800, "1M": 2_592_000, All: null } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

/** One bar; `time` is the period's start in unix seconds, prices in YES cents. */
export interface Bar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Contracts traded in the period. */
  volume: number;
}

/** Candles fetched per request: well under Kalshi's per-request cap, a few screens wide. */
const CANDLES_PER_CHUNK = 1_500;

/** Seconds covered by one fetch at `period`. */
export function chunkSeconds(period: PeriodMinutes): number {
  return period * 60 * CANDLES_PER_CHUNK;
}

/** Micro-dollars to chart cents (the one float conversion, for plotting only). */
export function microsToChartCents(micros: number): number {
  return micros / ONE_CENT;
}

function cents(text: string | null | undefined): number | undefined {
  if (text == null || text === "") return undefined;
  try {
    return microsToChartCents(parseDollars(text));
  } catch {
    return undefined;
  }
}

function contracts(text: string): number {
  try {
    return parseCount(text) / ONE_CONTRACT;
  } catch {
    return 0;
  }
}

/**
 * A Kalshi candle as a YES-price bar, or null for a period without trades
 * (Kalshi leaves `price.*` null then; the chart shows a gap rather than inventing a price).
 */
export function candleToBar(candle: Candlestick, period: PeriodMinutes): Bar | null {
  const open = cents(candle.price.open_dollars);
  const high = cents(candle.price.high_dollars);
  const low = cents(candle.price.low_dollars);
  const close = cents(candle.price.close_dollars);
  if (open === undefined || high === undefined || low === undefined || close === undefined)
    return null;
  return {
    time: candle.end_period_ts - period * 60,
    open,
    high,
    low,
    close,
    volume: contracts(candle.volume_fp),
  };
}

/** Bars of `candles`, oldest first, periods without trades left out. */
export function candlesToBars(candles: readonly Candlestick[], period: PeriodMinutes): Bar[] {
  return candles
    .map((candle) => candleToBar(candle, period))
    .filter((bar): bar is Bar => bar !== null)
    .sort((a, b) => a.time - b.time);
}

const HUNDRED = ONE_DOLLAR / ONE_CENT;

/** The same bar on the NO side: price p becomes 100 − p, so high and low swap. */
export function toSide(bar: Bar, side: PriceSide): Bar {
  if (side === "yes") return bar;
  return {
    time: bar.time,
    open: HUNDRED - bar.open,
    high: HUNDRED - bar.low,
    low: HUNDRED - bar.high,
    close: HUNDRED - bar.close,
    volume: bar.volume,
  };
}

/** Merges two sorted bar lists; on a shared time the newer list (`incoming`) wins. */
export function mergeBars(existing: readonly Bar[], incoming: readonly Bar[]): Bar[] {
  const byTime = new Map<number, Bar>();
  for (const bar of existing) byTime.set(bar.time, bar);
  for (const bar of incoming) byTime.set(bar.time, bar);
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

/** The start (unix seconds) of the period holding `epochMs`. */
export function periodStart(epochMs: number, period: PeriodMinutes): number {
  const span = period * 60;
  return Math.floor(epochMs / 1000 / span) * span;
}

/**
 * The live candle after one trade: the last bar updated when the trade falls
 * in its period, a new bar when it starts a later one, or null for a trade
 * older than the last bar (nothing to redraw).
 */
export function applyTrade(
  last: Bar | undefined,
  trade: { yesPriceDollars: string; countFp: string; epochMs: number },
  period: PeriodMinutes,
): Bar | null {
  const price = cents(trade.yesPriceDollars);
  if (price === undefined) return null;
  const time = periodStart(trade.epochMs, period);
  const volume = contracts(trade.countFp);
  if (!last || time > last.time)
    return { time, open: price, high: price, low: price, close: price, volume };
  if (time < last.time) return null;
  return {
    time,
    open: last.open,
    high: Math.max(last.high, price),
    low: Math.min(last.low, price),
    close: price,
    volume: last.volume + volume,
  };
}

/** "56¢" / "5.5¢" for axis labels and the readout (chart numbers only). */
export function formatChartCents(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return `${rounded}¢`;
}

/** Distinct line colours for multi-market charts, in market order (shared with the tables' swatches). */
export const LINE_COLORS = [
  "#60a5fa",
  "#22c55e",
  "#f59e0b",
  "#f43f5e",
  "#a78bfa",
  "#2dd4bf",
  "#f472b6",
  "#facc15",
  "#94a3b8",
  "#fb923c",
];

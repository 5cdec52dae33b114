/**
 * Money and percentages for the portfolio screens: dollars to the cent with
 * thousands separators ("$1,234.56", "−$0.07", "+$12.00"), rounded half away
 * from zero from exact micro-dollars. Browser-safe.
 */
import type { Micros } from "@/lib/fixed-point";

const EMPTY = "—";
const MINUS = "−";

function groups(whole: number): string {
  return String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `$1,234.56`; `signed` adds "+" to gains. Null/undefined render as "—". */
export function formatUsd(
  micros: Micros | null | undefined,
  options: { signed?: boolean } = {},
): string {
  if (micros === null || micros === undefined || !Number.isFinite(micros)) return EMPTY;
  const cents = Math.round(Math.abs(micros) / 10_000);
  const body = `$${groups(Math.floor(cents / 100))}.${String(cents % 100).padStart(2, "0")}`;
  if (cents === 0) return body;
  if (micros < 0) return `${MINUS}${body}`;
  return options.signed ? `+${body}` : body;
}

/** Whole cents as dollars ("$12.34"). */
export function formatCentsUsd(
  cents: number | null | undefined,
  options: { signed?: boolean } = {},
) {
  return formatUsd(cents === null || cents === undefined ? cents : cents * 10_000, options);
}

/** A per-contract price in cents with up to 2 decimals ("56¢", "56.25¢"). */
export function formatPriceCentsExact(micros: Micros | null | undefined): string {
  if (micros === null || micros === undefined) return EMPTY;
  const hundredths = Math.round(micros / 100);
  const whole = Math.trunc(hundredths / 100);
  const frac = Math.abs(hundredths % 100);
  return frac === 0 ? `${whole}¢` : `${whole}.${String(frac).padStart(2, "0").replace(/0$/, "")}¢`;
}

/** Basis points as a signed percentage ("+11.11%", "−3.00%"). */
export function formatBps(bps: number | null | undefined): string {
  if (bps === null || bps === undefined || !Number.isFinite(bps)) return EMPTY;
  const abs = Math.abs(bps);
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}%`;
  return bps > 0 ? `+${text}` : bps < 0 ? `${MINUS}${text}` : text;
}

/** Centi-contracts as a count ("12", "2.5"). */
export function formatContracts(centis: number): string {
  const whole = Math.floor(centis / 100);
  const frac = centis % 100;
  return frac === 0
    ? groups(whole)
    : `${groups(whole)}.${String(frac).padStart(2, "0").replace(/0$/, "")}`;
}

/** Tailwind text colour for a signed amount. */
export function pnlTone(value: number | null | undefined): string {
  if (!value) return "text-ink";
  return value > 0 ? "text-yes" : "text-no";
}

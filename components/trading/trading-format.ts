/**
 * Display formats for the trading screen, from exact integers. One precision
 * per column: prices in cents with the grid's decimals, money in dollars with
 * two decimals or more only when a value needs them (never rounded away).
 */
import {
  formatCount as formatCentis,
  formatDollars,
  type Centis,
  type Micros,
} from "@/lib/fixed-point";

export const DASH = "—";

/** 56¢, 12.5¢, 0.1¢ (a price in micro-dollars). */
export function cents(price: Micros | null | undefined): string {
  if (price === null || price === undefined) return DASH;
  const whole = Math.floor(price / 10_000);
  const frac = String(price % 10_000)
    .padStart(4, "0")
    .replace(/0+$/, "");
  return `${whole}${frac ? `.${frac}` : ""}¢`;
}

/** $12.34, $0.1548, −$3.00 — exact, at least two decimals. */
export function money(micros: Micros | null | undefined, signed = false): string {
  if (micros === null || micros === undefined) return DASH;
  const body = `$${formatDollars(Math.abs(micros), 2)}`;
  if (micros < 0) return `−${body}`;
  return signed && micros > 0 ? `+${body}` : body;
}

/** 10, 2.5, 0.01 contracts (trailing zeros dropped). */
export function contracts(count: Centis | null | undefined): string {
  if (count === null || count === undefined) return DASH;
  return formatCentis(count)
    .replace(/\.00$/, "")
    .replace(/(\.\d)0$/, "$1");
}

/** 12s, 4m, 3h, 2d since an ISO time. */
export function age(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return DASH;
  const seconds = Math.max(0, Math.floor((nowMs - Date.parse(iso)) / 1000));
  if (Number.isNaN(seconds)) return DASH;
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

export function sideLabel(side: "yes" | "no"): string {
  return side === "yes" ? "YES" : "NO";
}

/**
 * Exact fixed-point arithmetic for Kalshi money and contract counts.
 *
 * Kalshi puts money on the wire as `*_dollars` strings (requests take 2-4
 * decimals, responses carry up to 6) and contract counts as `*_fp` strings
 * (0-2 decimals in, exactly 2 out, smallest step 0.01). We never hold either
 * in a float. Internally:
 *
 * - money and prices are integers of **micro-dollars** (1 = $0.000001), the
 *   finest precision Kalshi ever emits (fee-rounding intermediates);
 * - counts are integers of **centi-contracts** (1 = 0.01 contract), Kalshi's
 *   own granularity.
 *
 * A price (≤ 4 decimals) times a count (≤ 2 decimals) is therefore an exact
 * number of micro-dollars. All values stay well inside Number.MAX_SAFE_INTEGER
 * (9e15 micro-dollars is $9 billion); anything that could overflow (fee
 * products) goes through BigInt.
 *
 * This module is browser-safe and shared by the server, the simulator and the
 * pages.
 */

/** Money or a price, in micro-dollars. */
export type Micros = number;
/** A contract count, in hundredths of a contract. */
export type Centis = number;

/** $1.00, the payout of one winning contract. */
export const ONE_DOLLAR: Micros = 1_000_000;
/** $0.01 */
export const ONE_CENT: Micros = 10_000;
/** $0.0001, a "centicent": Kalshi's finest price tick and the fee rounding unit. */
export const CENTICENT: Micros = 100;
/** One whole contract. */
export const ONE_CONTRACT: Centis = 100;

/** Thrown when a string is not a well-formed fixed-point value. */
export class FixedPointError extends Error {
  override readonly name = "FixedPointError";
}

const DOLLARS_RE = /^(-)?(\d+)(?:\.(\d+))?$/;
const COUNT_RE = /^(-)?(\d+)(?:\.(\d+))?$/;

export interface ParseDollarsOptions {
  /** Most decimals accepted (Kalshi requests: 4; responses: 6). Default 6; capped at 6. */
  maxDecimals?: number;
  /** Accept a leading minus sign. Default false. */
  signed?: boolean;
}

/**
 * Parses a Kalshi dollar string ("0.56", "0.5600", "12.345678") into micro-dollars.
 * Rejects floats in exponent form, more decimals than allowed, and anything
 * that is not a plain decimal.
 */
export function parseDollars(text: string, options: ParseDollarsOptions = {}): Micros {
  // Micro-dollars cannot hold a 7th decimal; without the cap a larger
  // maxDecimals would silently misread "0.1234567" as $1.23.
  const maxDecimals = Math.min(options.maxDecimals ?? 6, 6);
  const match = DOLLARS_RE.exec(text);
  if (!match) throw new FixedPointError(`"${text}" is not a dollar amount like "0.5600"`);
  const [, minus, whole = "", frac = ""] = match;
  if (minus && !options.signed) throw new FixedPointError(`"${text}" must not be negative`);
  if (frac.length > maxDecimals) {
    throw new FixedPointError(`"${text}" has more than ${maxDecimals} decimal places`);
  }
  if (whole.length > 9) throw new FixedPointError(`"${text}" is too large`);
  const micros = Number(whole) * ONE_DOLLAR + Number(frac.padEnd(6, "0"));
  return minus && micros !== 0 ? -micros : micros;
}

/**
 * Formats micro-dollars as Kalshi does: at least `minDecimals` places (4 for
 * prices), more (up to 6) only when needed to stay exact. Never rounds.
 */
export function formatDollars(micros: Micros, minDecimals = 4): string {
  assertInteger(micros, "money");
  const negative = micros < 0;
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / ONE_DOLLAR);
  let frac = String(abs % ONE_DOLLAR).padStart(6, "0");
  while (frac.length > minDecimals && frac.endsWith("0")) frac = frac.slice(0, -1);
  const body = frac.length > 0 ? `${whole}.${frac}` : String(whole);
  return negative ? `-${body}` : body;
}

export interface ParseCountOptions {
  /** Accept a leading minus sign (deltas, net positions). Default false. */
  signed?: boolean;
}

/** Parses a Kalshi `_fp` count string ("10", "10.5", "10.50") into centi-contracts. */
export function parseCount(text: string, options: ParseCountOptions = {}): Centis {
  const match = COUNT_RE.exec(text);
  if (!match) throw new FixedPointError(`"${text}" is not a contract count like "10.00"`);
  const [, minus, whole = "", frac = ""] = match;
  if (minus && !options.signed) throw new FixedPointError(`"${text}" must not be negative`);
  if (frac.length > 2) {
    throw new FixedPointError(`"${text}" is finer than 0.01 contracts (at most 2 decimal places)`);
  }
  if (whole.length > 12) throw new FixedPointError(`"${text}" is too large`);
  const centis = Number(whole) * ONE_CONTRACT + Number(frac.padEnd(2, "0"));
  return minus && centis !== 0 ? -centis : centis;
}

/** Formats centi-contracts as Kalshi does: always exactly 2 decimals ("10.00", "-3.25"). */
export function formatCount(centis: Centis): string {
  assertInteger(centis, "count");
  const negative = centis < 0;
  const abs = Math.abs(centis);
  const body = `${Math.floor(abs / ONE_CONTRACT)}.${String(abs % ONE_CONTRACT).padStart(2, "0")}`;
  return negative ? `-${body}` : body;
}

/** The other leg's price: a YES price p is a NO price of $1 - p, and back. */
export function complement(price: Micros): Micros {
  return ONE_DOLLAR - price;
}

/**
 * Exact value of `count` contracts at `price`: price × count, in micro-dollars.
 * Prices on any Kalshi grid have ≤ 4 decimals, so the product is always whole;
 * a finer price that would need rounding is a programming error and throws.
 */
export function notional(price: Micros, count: Centis): Micros {
  const product = price * count;
  if (!Number.isSafeInteger(product)) {
    const big = BigInt(price) * BigInt(count);
    if (big % 100n !== 0n) throw new FixedPointError("price × count is not a whole micro-dollar");
    return Number(big / 100n);
  }
  if (product % 100 !== 0) throw new FixedPointError("price × count is not a whole micro-dollar");
  return product / 100;
}

/** Rounds toward +∞ to a multiple of `unit` (e.g. fees up to the centicent). */
export function ceilTo(value: Micros, unit: Micros): Micros {
  return noNegativeZero(Math.ceil(value / unit) * unit);
}

/** Rounds toward −∞ to a multiple of `unit` (balance changes, per Kalshi's fee rounding). */
export function floorTo(value: Micros, unit: Micros): Micros {
  return noNegativeZero(Math.floor(value / unit) * unit);
}

/** Integer cents (Kalshi's `balance` and `portfolio_value`) from micro-dollars, truncated toward zero. */
export function microsToCents(micros: Micros): number {
  return noNegativeZero(Math.trunc(micros / ONE_CENT));
}

/** Micro-dollars from integer cents. */
export function centsToMicros(cents: number): Micros {
  assertInteger(cents, "cents");
  return cents * ONE_CENT;
}

/** Whole dollars, truncated (ticker `dollar_volume`, `dollar_open_interest`). */
export function microsToWholeDollars(micros: Micros): number {
  return noNegativeZero(Math.trunc(micros / ONE_DOLLAR));
}

/** Minimum of two counts (readability in matching code). */
export function minCount(a: Centis, b: Centis): Centis {
  return a < b ? a : b;
}

function assertInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) {
    throw new FixedPointError(`${what} must be a whole number of fixed-point units, got ${value}`);
  }
}

// Math.ceil/trunc of a small negative quotient yields -0, which Object.is and
// strict test equality treat as different from 0; money has no signed zero.
function noNegativeZero(value: number): number {
  return value === 0 ? 0 : value;
}

/**
 * Kalshi trading fees and fee rounding, in exact integers.
 *
 * Money is micro-dollars and counts are centi-contracts (see ./fixed-point).
 * The fee formula multiplies a rate, a count, a price, its complement and a
 * multiplier; that product can pass 2^53 for large orders, so it is computed
 * in BigInt and only the final, ceiled fee comes back as a number.
 *
 * Sources: getting_started/fee_rounding.md (rounding, accumulator, worked
 * examples) and the Series `fee_type` / `fee_multiplier` fields.
 *
 * Browser-safe: no Node imports.
 */

import {
  CENTICENT,
  ONE_CENT,
  ONE_DOLLAR,
  ceilTo,
  floorTo,
  type Centis,
  type Micros,
} from "./fixed-point";

/** A series' fee structure, as in the Series `fee_type` field. */
export type FeeType =
  "quadratic" | "quadratic_with_maker_fees" | "quadratic_with_combo_maker_fees" | "flat";

/** Every fee type, in the order the API documents them. */
export const FEE_TYPES: readonly FeeType[] = Object.freeze([
  "quadratic",
  "quadratic_with_maker_fees",
  "quadratic_with_combo_maker_fees",
  "flat",
] as const);

/** Balance precision of non-direct members: $0.01. */
export const BALANCE_PRECISION_CENT: Micros = ONE_CENT;
/** Balance precision of direct members: $0.0001. */
export const BALANCE_PRECISION_CENTICENT: Micros = CENTICENT;
/** The accumulator pays back in whole cents, one at a time. */
export const REBATE_UNIT: Micros = ONE_CENT;

/** Rates are held per 10,000 so 0.07, 0.0175 and 0.035 are all whole numbers. */
const RATE_SCALE = 10_000n;
const TAKER_RATE = 700n; // 0.07, General Trading Fees Table
const MAKER_RATE_QUARTER = 175n; // 0.25 × 0.07, "Maker Fees" section
const MAKER_RATE_HALF = 350n; // 0.5 × 0.07, combo maker multiplier
/** Flat fee per whole contract before the multiplier: $0.01. */
const FLAT_FEE_PER_CONTRACT = BigInt(ONE_CENT);

const MULTIPLIER_SCALE = 10_000n;
const MULTIPLIER_RE = /^(\d+)(?:\.(\d{1,4}))?$/;

const BIG_ONE_DOLLAR = BigInt(ONE_DOLLAR);
const BIG_CENTIS_PER_CONTRACT = 100n;
const BIG_CENTICENT = BigInt(CENTICENT);

export interface TradeFeeInput {
  /** YES (or NO) price of the fill; the quadratic term is symmetric, so either leg works. */
  price: Micros;
  /** Contracts filled. */
  count: Centis;
  /** The series' fee structure. */
  feeType: FeeType;
  /** The series' `fee_multiplier` (e.g. 1 or 0.5): a plain number with at most 4 decimals. */
  feeMultiplier: number;
  /** Whether this side of the fill took liquidity or rested on the book. */
  role: "taker" | "maker";
}

/**
 * Trade fee for one fill, in micro-dollars, ceiled up to the centicent
 * ($0.0001 = 100 micros), per step 1 of Kalshi's fee rounding.
 *
 * - quadratic family, taker: 0.07 × C × P × (1 − P) × multiplier, with C in
 *   contracts and P in dollars;
 * - `quadratic`, maker: free;
 * - `quadratic_with_maker_fees`, maker: a quarter of the taker rate (0.0175);
 * - `quadratic_with_combo_maker_fees`, maker: half the taker rate (0.035);
 * - `flat`: the docs point at the "Specific Trading Fees Table" without
 *   reproducing it, so our simulator reads it as multiplier × $0.01 per
 *   contract for takers and nothing for makers.
 *
 * Throws a RangeError for a price outside $0–$1, a negative or fractional
 * unit count, or a multiplier that is negative or has more than 4 decimals.
 */
export function tradeFee(input: TradeFeeInput): Micros {
  const { price, count, feeType, role } = input;
  if (!Number.isSafeInteger(price) || price < 0 || price > ONE_DOLLAR) {
    throw new RangeError(`price must be whole micro-dollars between $0 and $1, got ${price}`);
  }
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`count must be a non-negative number of centi-contracts, got ${count}`);
  }
  const multiplier = scaleMultiplier(input.feeMultiplier);
  const centis = BigInt(count);

  if (feeType === "flat") {
    if (role === "maker") return 0;
    // $0.01 × (centis / 100) × (multiplier / 10_000), in micro-dollars.
    const numerator = FLAT_FEE_PER_CONTRACT * centis * multiplier;
    const denominator = BIG_CENTIS_PER_CONTRACT * MULTIPLIER_SCALE;
    return ceilToCenticent(numerator, denominator);
  }

  const rate = quadraticRate(feeType, role);
  if (rate === 0n) return 0;
  const p = BigInt(price);
  // rate/10⁴ × centis/10² × p/10⁶ × (10⁶ − p)/10⁶ × multiplier/10⁴ dollars,
  // times 10⁶ for micro-dollars: one exact fraction, ceiled once at the end so
  // splitting the formula never rounds twice.
  const numerator = rate * centis * p * (BIG_ONE_DOLLAR - p) * multiplier;
  const denominator = RATE_SCALE * BIG_CENTIS_PER_CONTRACT * BIG_ONE_DOLLAR * MULTIPLIER_SCALE;
  return ceilToCenticent(numerator, denominator);
}

/** Result of applying fee rounding to one fill; all values in micro-dollars. */
export interface FillFeeResult {
  /** Fee from the fee model, ceiled to the centicent. */
  tradeFee: Micros;
  /** What it took to floor the balance change to the member's precision (≥ 0). */
  roundingFee: Micros;
  /** Whole-cent refund from the accumulator on this fill (0 or $0.01). */
  rebate: Micros;
  /** tradeFee + roundingFee − rebate. */
  netFee: Micros;
  /**
   * revenue − tradeFee floored to the balance precision, exactly the docs'
   * "Balance Change" column. It does NOT include the rebate, which is credited
   * to the balance separately (total movement = balanceChange + rebate).
   */
  balanceChange: Micros;
  /** Accumulator after adding this fill's rounding, before the rebate (the docs' "Accumulator" column). */
  accumulator: Micros;
  /** Accumulator to carry into the order's next fill: accumulator − rebate. */
  accumulatorAfter: Micros;
}

export interface FeeRoundingInput {
  /** Signed cash flow of the fill before fees; negative for the buyer: −(price × count). */
  revenue: Micros;
  /** Trade fee of the fill (see tradeFee); ceiled to the centicent again here, which is a no-op if it already is. */
  tradeFee: Micros;
  /** Accumulator carried from the order's previous fills (accumulatorAfter), 0 for the first fill. */
  accumulator: Micros;
  /** BALANCE_PRECISION_CENT for non-direct members, BALANCE_PRECISION_CENTICENT for direct members. */
  balancePrecision: Micros;
}

/**
 * Applies Kalshi's fee rounding for one fill of one order (fee_rounding.md):
 * the balance change is floored toward −∞ to the member's precision, the
 * difference is a rounding fee added to the order's accumulator, and once the
 * accumulator exceeds $0.01 (strictly) one $0.01 rebate is paid back.
 *
 * A single fill's net fee can be negative when a rebate lands on a fill with
 * a small fee (e.g. a free maker fill); over the whole order the net fee is
 * never negative, because rebates never exceed the rounding fees collected.
 * The docs' "always ≥ $0.00" holds for their examples but not for every fill.
 */
export function applyFeeRounding(input: FeeRoundingInput): FillFeeResult {
  const { revenue, balancePrecision } = input;
  assertWhole(revenue, "revenue");
  assertWhole(input.tradeFee, "tradeFee");
  assertWhole(input.accumulator, "accumulator");
  assertWhole(balancePrecision, "balancePrecision");
  if (input.tradeFee < 0)
    throw new RangeError(`tradeFee must not be negative, got ${input.tradeFee}`);
  if (input.accumulator < 0)
    throw new RangeError(`accumulator must not be negative, got ${input.accumulator}`);
  if (balancePrecision <= 0)
    throw new RangeError(`balancePrecision must be positive, got ${balancePrecision}`);

  const fee = ceilTo(input.tradeFee, CENTICENT);
  const balanceChangeRaw = revenue - fee;
  const balanceChange = floorTo(balanceChangeRaw, balancePrecision);
  const roundingFee = balanceChangeRaw - balanceChange;
  const accumulator = input.accumulator + roundingFee;
  // "Exceeds $0.01": an accumulator of exactly $0.0100 waits for the next fill.
  const rebate = accumulator > REBATE_UNIT ? REBATE_UNIT : 0;
  return {
    tradeFee: fee,
    roundingFee,
    rebate,
    netFee: fee + roundingFee - rebate,
    balanceChange,
    accumulator,
    accumulatorAfter: accumulator - rebate,
  };
}

function quadraticRate(feeType: Exclude<FeeType, "flat">, role: "taker" | "maker"): bigint {
  if (role === "taker") return TAKER_RATE;
  switch (feeType) {
    case "quadratic":
      return 0n;
    case "quadratic_with_maker_fees":
      return MAKER_RATE_QUARTER;
    case "quadratic_with_combo_maker_fees":
      return MAKER_RATE_HALF;
    default: {
      const unknown: never = feeType;
      throw new RangeError(`unknown fee type "${String(unknown)}"`);
    }
  }
}

/**
 * The multiplier × 10,000 as an exact integer. The API sends it as a JSON
 * double; String() gives the shortest decimal that round-trips, so 0.5 reads
 * as "0.5" rather than picking up float noise from a multiplication.
 */
function scaleMultiplier(multiplier: number): bigint {
  const match = Number.isFinite(multiplier) ? MULTIPLIER_RE.exec(String(multiplier)) : null;
  if (!match) {
    throw new RangeError(
      `fee multiplier must be a non-negative number with at most 4 decimals, got ${multiplier}`,
    );
  }
  const [, whole = "0", frac = ""] = match;
  return BigInt(whole) * MULTIPLIER_SCALE + BigInt(frac.padEnd(4, "0"));
}

/** ⌈numerator / denominator⌉ micro-dollars, rounded up to a whole centicent. */
function ceilToCenticent(numerator: bigint, denominator: bigint): Micros {
  const unit = denominator * BIG_CENTICENT;
  // Both operands are non-negative here, so ceiling is (n + d − 1) / d.
  const centicents = (numerator + unit - 1n) / unit;
  const micros = centicents * BIG_CENTICENT;
  if (micros > BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError("fee is too large to represent");
  return Number(micros);
}

function assertWhole(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${what} must be whole micro-dollars, got ${value}`);
  }
}

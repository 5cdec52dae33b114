/**
 * `tradeFee` (lib/fees.ts) for the engine's hot path. The exact fee is BigInt
 * arithmetic that also parses the series multiplier on every call, which was
 * most of an order's fee work. Here, per series and role:
 *
 * 1. the quadratic fee — ⌈rate × C × P × (1 − P) × multiplier⌉ in
 *    centicents — is computed in floating point, which is within a few parts
 *    in 10^16 of the exact rational: when that value is not within 10^-6 of
 *    a whole centicent, its ceiling is the exact ceiling;
 * 2. near a whole centicent (round prices and counts land exactly on one)
 *    and for the flat fee type the answer is tradeFee's, remembered in a
 *    small table per (price, count) (the engine asks for the same round
 *    quote sizes over and over); anything tradeFee might refuse goes to it
 *    directly, so it throws as usual.
 *
 * So the result is always tradeFee's (fee-memo.test.ts compares them).
 */
import type { Centis, Micros } from "@/lib/fixed-point";
import { tradeFee, type FeeType } from "@/lib/fees";
import type { SeriesRecord } from "@/server/sim/model";

/** Entries per table before it starts over (a bound, not a tuning knob: each is two numbers). */
const MAX_ENTRIES = 16_384;
/** Prices are at most $1 = 10^6 micros < 2^20, so `count × 2^20 + price` is a unique number key… */
const PRICE_SPAN = 1_048_576;
/** …as long as it stays a safe integer; bigger counts skip the table. */
const MAX_KEYED_COUNT = Math.floor(Number.MAX_SAFE_INTEGER / PRICE_SPAN);
/** lib/fees.ts: rates per 10^4 (taker 0.07; makers by fee type), multipliers × 10^4. */
const TAKER_RATE = 700;
const MAKER_RATE: Record<FeeType, number | null> = {
  quadratic: 0,
  quadratic_with_maker_fees: 175,
  quadratic_with_combo_maker_fees: 350,
  flat: null,
};
/** rate scale 10^4 × centis per contract 10^2 × micros per dollar 10^6 × multiplier scale 10^4 × micros per centicent 10^2. */
const CENTICENT_DENOMINATOR = 1e18;
const MULTIPLIER_RE = /^(\d+)(?:\.(\d{1,4}))?$/;
/** How close to a whole centicent the float must not be (its error is below 10^-7 at any fee that fits). */
const GUARD = 1e-6;
/** Above this many centicents the float's error bound no longer holds comfortably: use tradeFee. */
const MAX_FAST_CENTICENTS = 1e8;

interface FeeTable {
  feeType: FeeType;
  feeMultiplier: number;
  /** Multiplier × 10^4 as an integer, or null when tradeFee must parse it (and may refuse it). */
  scaledMultiplier: number | null;
  taker: Map<number, Micros>;
  maker: Map<number, Micros>;
}

/** Tables by series record (a cache of pure results, so it may live beside the state). */
const tables = new WeakMap<SeriesRecord, FeeTable>();

/** The multiplier × 10^4 exactly as lib/fees.ts reads it, or null when it would refuse it. */
function scaleMultiplier(multiplier: number): number | null {
  const match = Number.isFinite(multiplier) ? MULTIPLIER_RE.exec(String(multiplier)) : null;
  if (!match) return null;
  const scaled = Number(match[1] ?? "0") * 10_000 + Number((match[2] ?? "").padEnd(4, "0"));
  return Number.isSafeInteger(scaled) ? scaled : null;
}

function tableOf(series: SeriesRecord): FeeTable {
  let table = tables.get(series);
  // A series whose fee structure changed starts a fresh table.
  if (!table || table.feeType !== series.feeType || table.feeMultiplier !== series.feeMultiplier) {
    table = {
      feeType: series.feeType,
      feeMultiplier: series.feeMultiplier,
      scaledMultiplier: scaleMultiplier(series.feeMultiplier),
      taker: new Map(),
      maker: new Map(),
    };
    tables.set(series, table);
  }
  return table;
}

/** The quadratic fee in floating point when that is provably exact, else null. */
function fastFee(
  table: FeeTable,
  price: Micros,
  count: Centis,
  role: "taker" | "maker",
): Micros | null {
  const rate = role === "taker" ? TAKER_RATE : MAKER_RATE[table.feeType];
  const multiplier = table.scaledMultiplier;
  if (rate === null || multiplier === null || table.feeType === "flat") return null;
  if (rate === 0 || count === 0) return 0;
  // rate × P × (1 − P) ≤ 700 × 2.5 × 10^11: an exact integer in a double.
  const perCenti = (rate * price * (1_000_000 - price)) / CENTICENT_DENOMINATOR;
  const centicents = perCenti * count * multiplier;
  if (!(centicents < MAX_FAST_CENTICENTS)) return null;
  const nearest = Math.round(centicents);
  if (Math.abs(centicents - nearest) < GUARD) return null;
  return Math.ceil(centicents) * 100;
}

/** The trade fee of `count` at YES price `price` in `series` (Kalshi's defaults without one). */
export function seriesTradeFee(
  series: SeriesRecord | undefined,
  price: Micros,
  count: Centis,
  role: "taker" | "maker",
): Micros {
  const keyable =
    Number.isSafeInteger(price) &&
    price >= 0 &&
    price <= 1_000_000 &&
    Number.isSafeInteger(count) &&
    count >= 0 &&
    count <= MAX_KEYED_COUNT;
  // Without a series, or with arguments tradeFee may refuse: ask it directly (it throws as usual).
  if (!series || !keyable) {
    return tradeFee({
      price,
      count,
      feeType: series?.feeType ?? "quadratic",
      feeMultiplier: series?.feeMultiplier ?? 1,
      role,
    });
  }
  const table = tableOf(series);
  // Arithmetic first (cheaper than a table lookup); the table only for what needs tradeFee.
  const fast = fastFee(table, price, count, role);
  if (fast !== null) return fast;
  const memo = role === "taker" ? table.taker : table.maker;
  const key = count * PRICE_SPAN + price;
  let fee = memo.get(key);
  if (fee === undefined) {
    fee = tradeFee({
      price,
      count,
      feeType: table.feeType,
      feeMultiplier: table.feeMultiplier,
      role,
    });
    if (memo.size >= MAX_ENTRIES) memo.clear();
    memo.set(key, fee);
  }
  return fee;
}

/**
 * `tradeFee` (lib/fees.ts) for the engine's hot path, remembered per series.
 * The fee is exact BigInt arithmetic and parses the series multiplier on
 * every call, which is most of an order's fee work; the engine asks for the
 * same few (price, count) pairs over and over (a quote's size at its price,
 * its remainder after a fill), so a small table per series and role answers
 * most calls. A pure cache: the answer is always `tradeFee`'s.
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

interface FeeTable {
  feeType: FeeType;
  feeMultiplier: number;
  taker: Map<number, Micros>;
  maker: Map<number, Micros>;
}

/** Tables by series record (a cache of pure results, so it may live beside the state). */
const tables = new WeakMap<SeriesRecord, FeeTable>();

function tableOf(series: SeriesRecord): FeeTable {
  let table = tables.get(series);
  // A series whose fee structure changed starts a fresh table.
  if (!table || table.feeType !== series.feeType || table.feeMultiplier !== series.feeMultiplier) {
    table = {
      feeType: series.feeType,
      feeMultiplier: series.feeMultiplier,
      taker: new Map(),
      maker: new Map(),
    };
    tables.set(series, table);
  }
  return table;
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
    price < PRICE_SPAN &&
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

import { describe, expect, it } from "vitest";

import {
  BALANCE_PRECISION_CENT,
  BALANCE_PRECISION_CENTICENT,
  FEE_TYPES,
  REBATE_UNIT,
  applyFeeRounding,
  tradeFee,
  type FeeType,
  type FillFeeResult,
} from "./fees";
import { complement, notional, parseCount, parseDollars } from "./fixed-point";

const $ = (text: string) => parseDollars(text, { signed: true });
const n = (text: string) => parseCount(text);

function taker(price: string, count: string, feeMultiplier = 1, feeType: FeeType = "quadratic") {
  return tradeFee({ price: $(price), count: n(count), feeType, feeMultiplier, role: "taker" });
}

function maker(price: string, count: string, feeType: FeeType, feeMultiplier = 1) {
  return tradeFee({ price: $(price), count: n(count), feeType, feeMultiplier, role: "maker" });
}

describe("constants", () => {
  it("lists the four documented fee types", () => {
    expect(FEE_TYPES).toEqual([
      "quadratic",
      "quadratic_with_maker_fees",
      "quadratic_with_combo_maker_fees",
      "flat",
    ]);
  });

  it("uses cent and centicent balance precisions and a one-cent rebate", () => {
    expect(BALANCE_PRECISION_CENT).toBe(10_000);
    expect(BALANCE_PRECISION_CENTICENT).toBe(100);
    expect(REBATE_UNIT).toBe(10_000);
  });
});

describe("tradeFee: taker, quadratic family", () => {
  it("charges 0.07 × C × P × (1 − P): 100 contracts at $0.50 is $1.75", () => {
    expect(taker("0.50", "100")).toBe($("1.75"));
  });

  it("keeps centicent precision: 1 contract at $0.50 is $0.0175", () => {
    expect(taker("0.50", "1")).toBe($("0.0175"));
  });

  it("is the same for every quadratic fee type when taking", () => {
    for (const feeType of [
      "quadratic",
      "quadratic_with_maker_fees",
      "quadratic_with_combo_maker_fees",
    ] as const) {
      expect(taker("0.50", "100", 1, feeType)).toBe($("1.75"));
    }
  });

  it("ceils up to the next centicent", () => {
    // 0.07 × 0.40 × 0.60 = 0.0168 exactly: no rounding.
    expect(taker("0.40", "1")).toBe($("0.0168"));
    // 0.07 × 0.33 × 0.67 = 0.015477 → 0.0155
    expect(taker("0.33", "1")).toBe($("0.0155"));
    // 0.07 × 0.01 × 0.99 = 0.000693 → 0.0007
    expect(taker("0.01", "1")).toBe($("0.0007"));
    // 0.07 × 10 × 0.33 × 0.67 = 0.15477 → 0.1548
    expect(taker("0.33", "10")).toBe($("0.1548"));
  });

  it("charges at least one centicent for any non-zero fee", () => {
    // 0.07 × 0.01 × 0.0001 × 0.9999 ≈ 7e-8 dollars → $0.0001
    expect(taker("0.0001", "0.01")).toBe($("0.0001"));
  });

  it("handles fractional counts", () => {
    // 0.07 × 0.30 × 0.25 = 0.00525 → 0.0053
    expect(taker("0.50", "0.30")).toBe($("0.0053"));
    // 0.07 × 1.55 × 0.25 = 0.027125 → 0.0272
    expect(taker("0.50", "1.55")).toBe($("0.0272"));
    // 0.07 × 0.01 × 0.25 = 0.000175 → 0.0002
    expect(taker("0.50", "0.01")).toBe($("0.0002"));
  });

  it("handles sub-cent prices", () => {
    // 0.07 × 0.055 × 0.945 = 0.00363825 → 0.0037
    expect(taker("0.055", "1")).toBe($("0.0037"));
    // 0.07 × 3 × 0.055 × 0.945 = 0.01091475 → 0.0110
    expect(taker("0.055", "3")).toBe($("0.011"));
    // 0.07 × 0.03 × 0.3301 × 0.6699 = 0.000464381379 → 0.0005 (the docs' combined example fee)
    expect(taker("0.3301", "0.03")).toBe($("0.0005"));
    // 0.07 × 100 × 0.3301 × 0.6699 = 1.54793793 → 1.5480
    expect(taker("0.3301", "100")).toBe($("1.548"));
  });

  it("applies the series multiplier", () => {
    // 0.5 × 1.75
    expect(taker("0.50", "100", 0.5)).toBe($("0.875"));
    // 0.5 × 0.0175 = 0.00875 → 0.0088
    expect(taker("0.50", "1", 0.5)).toBe($("0.0088"));
    // 2 × 1.75
    expect(taker("0.50", "100", 2)).toBe($("3.50"));
    // 0.0001 × 1.75 = 0.000175 → 0.0002
    expect(taker("0.50", "100", 0.0001)).toBe($("0.0002"));
    // 1.2345 × 0.0175 = 0.02160375 → 0.0217
    expect(taker("0.50", "1", 1.2345)).toBe($("0.0217"));
    expect(taker("0.50", "100", 0)).toBe(0);
  });

  it("reads multipliers exactly even when float arithmetic would drift", () => {
    // 0.07 × 1.1 would be 0.07700000000000001 in floats; 1000 contracts at 0.5 → 19.25 exactly.
    expect(taker("0.50", "1000", 1.1)).toBe($("19.25"));
    // 0.29 × 10_000 = 2899.9999999999995 in floats.
    expect(taker("0.50", "100", 0.29)).toBe($("0.5075"));
  });

  it("is symmetric: fee(P) = fee(1 − P)", () => {
    for (const price of [
      "0.0001",
      "0.001",
      "0.01",
      "0.055",
      "0.25",
      "0.3301",
      "0.4999",
      "0.50",
      "0.90",
      "0.999",
    ]) {
      for (const count of ["0.01", "0.30", "1", "3", "123.45"]) {
        const p = $(price);
        const c = n(count);
        const base = {
          count: c,
          feeType: "quadratic_with_combo_maker_fees" as const,
          feeMultiplier: 0.5,
        };
        for (const role of ["taker", "maker"] as const) {
          expect(tradeFee({ ...base, role, price: p })).toBe(
            tradeFee({ ...base, role, price: complement(p) }),
          );
        }
      }
    }
  });

  it("is zero at $0 and $1 and for zero contracts", () => {
    expect(taker("0", "100")).toBe(0);
    expect(taker("1", "100")).toBe(0);
    expect(taker("0.50", "0")).toBe(0);
  });

  it("stays exact for 1,000,000 contracts (products beyond 2^53)", () => {
    // 700 × 10⁸ centis × 2.5·10¹¹ × 10⁴ ≈ 1.75·10²⁶ inside the formula.
    expect(taker("0.50", "1000000")).toBe($("17500"));
    // 0.07 × 10⁶ × 0.3301 × 0.6699 = 15479.3793 exactly
    expect(taker("0.3301", "1000000")).toBe($("15479.3793"));
    // 0.07 × 10⁶ × 0.0001 × 0.9999 = 6.99930 exactly
    expect(taker("0.0001", "1000000")).toBe($("6.9993"));
    // 0.07 × 999999.99 × 0.3333 × 0.6667 × 0.5 = 7777.3887722... → 7777.3888
    expect(taker("0.3333", "999999.99", 0.5)).toBe($("7777.3888"));
  });

  it("always returns a whole number of centicents", () => {
    for (let cents = 1; cents < 100; cents += 7) {
      for (let centis = 1; centis < 10_000; centis += 313) {
        const fee = tradeFee({
          price: cents * 10_000,
          count: centis,
          feeType: "quadratic",
          feeMultiplier: 1,
          role: "taker",
        });
        expect(fee % 100).toBe(0);
        // Never more than one centicent above the exact value 0.07·C·P(1−P).
        // In micro-dollars the exact fee is 700·centis·p·(10⁶ − p) / 10¹².
        const exactTimes1e12 =
          700n * BigInt(centis) * BigInt(cents * 10_000) * BigInt(1_000_000 - cents * 10_000);
        const feeTimes1e12 = BigInt(fee) * 10n ** 12n;
        expect(feeTimes1e12 >= exactTimes1e12).toBe(true);
        expect(feeTimes1e12 - exactTimes1e12 < 100n * 10n ** 12n).toBe(true);
      }
    }
  });
});

describe("tradeFee: maker", () => {
  it("is free on plain quadratic series", () => {
    expect(maker("0.50", "100", "quadratic")).toBe(0);
  });

  it("charges a quarter of the taker rate (0.0175) with maker fees", () => {
    // 0.0175 × 100 × 0.25 = 0.4375
    expect(maker("0.50", "100", "quadratic_with_maker_fees")).toBe($("0.4375"));
    // 0.0175 × 1 × 0.25 = 0.004375 → 0.0044
    expect(maker("0.50", "1", "quadratic_with_maker_fees")).toBe($("0.0044"));
    // 0.0175 × 10 × 0.33 × 0.67 = 0.0386925 → 0.0387
    expect(maker("0.33", "10", "quadratic_with_maker_fees")).toBe($("0.0387"));
    // with multiplier 0.5: 0.21875 → 0.2188
    expect(maker("0.50", "100", "quadratic_with_maker_fees", 0.5)).toBe($("0.2188"));
  });

  it("charges half the taker rate (0.035) with combo maker fees", () => {
    // 0.035 × 100 × 0.25 = 0.875
    expect(maker("0.50", "100", "quadratic_with_combo_maker_fees")).toBe($("0.875"));
    // 0.035 × 0.30 × 0.25 = 0.002625 → 0.0027
    expect(maker("0.50", "0.30", "quadratic_with_combo_maker_fees")).toBe($("0.0027"));
  });

  it("is free on flat series", () => {
    expect(maker("0.50", "100", "flat")).toBe(0);
  });
});

describe("tradeFee: flat", () => {
  it("charges multiplier × $0.01 per contract regardless of price", () => {
    expect(taker("0.50", "100", 1, "flat")).toBe($("1.00"));
    expect(taker("0.03", "100", 1, "flat")).toBe($("1.00"));
    expect(taker("0.50", "1", 1, "flat")).toBe($("0.01"));
    expect(taker("0.50", "100", 0.5, "flat")).toBe($("0.50"));
    expect(taker("0.50", "100", 2.5, "flat")).toBe($("2.50"));
  });

  it("ceils fractional results to the centicent", () => {
    // $0.01 × 0.01 contracts = $0.0001
    expect(taker("0.50", "0.01", 1, "flat")).toBe($("0.0001"));
    // $0.01 × 0.01 × 0.5 = $0.00005 → $0.0001
    expect(taker("0.50", "0.01", 0.5, "flat")).toBe($("0.0001"));
    // $0.01 × 0.33 × 0.3333 = 0.00109989 → 0.0011
    expect(taker("0.50", "0.33", 0.3333, "flat")).toBe($("0.0011"));
  });

  it("stays exact for 1,000,000 contracts", () => {
    expect(taker("0.50", "1000000", 1.2345, "flat")).toBe($("12345"));
  });
});

describe("tradeFee: input validation", () => {
  const base = {
    price: 500_000,
    count: 100,
    feeType: "quadratic" as const,
    feeMultiplier: 1,
    role: "taker" as const,
  };

  it("rejects multipliers it cannot read exactly", () => {
    for (const feeMultiplier of [
      0.12345,
      0.1 + 0.2,
      -1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      1e-7,
      1e21,
    ]) {
      expect(() => tradeFee({ ...base, feeMultiplier })).toThrow(RangeError);
    }
  });

  it("rejects prices outside $0–$1 and non-integer units", () => {
    expect(() => tradeFee({ ...base, price: -1 })).toThrow(RangeError);
    expect(() => tradeFee({ ...base, price: 1_000_001 })).toThrow(RangeError);
    expect(() => tradeFee({ ...base, price: 0.5 })).toThrow(RangeError);
    expect(() => tradeFee({ ...base, count: -100 })).toThrow(RangeError);
    expect(() => tradeFee({ ...base, count: 1.5 })).toThrow(RangeError);
  });
});

/** One row of a worked-example table in fee_rounding.md, in dollar strings. */
interface Row {
  tradeFee: string;
  rounding: string;
  accumulator: string;
  rebate: string;
  netFee: string;
  balanceChange: string;
}

/** Runs every fill of one order through applyFeeRounding, carrying the accumulator. */
function runOrder(
  price: string,
  lot: string,
  tradeFees: readonly string[],
  balancePrecision = BALANCE_PRECISION_CENT,
) {
  const revenue = -notional($(price), n(lot));
  let accumulator = 0;
  const results: FillFeeResult[] = [];
  for (const fee of tradeFees) {
    const result = applyFeeRounding({ revenue, tradeFee: $(fee), accumulator, balancePrecision });
    results.push(result);
    accumulator = result.accumulatorAfter;
  }
  return results;
}

function expectRows(results: readonly FillFeeResult[], rows: readonly Row[]) {
  expect(results).toHaveLength(rows.length);
  rows.forEach((row, i) => {
    const r = results[i];
    expect(r, `fill ${i + 1}`).toBeDefined();
    if (!r) return;
    expect({
      tradeFee: r.tradeFee,
      rounding: r.roundingFee,
      accumulator: r.accumulator,
      rebate: r.rebate,
      netFee: r.netFee,
      balanceChange: r.balanceChange,
    }).toEqual({
      tradeFee: $(row.tradeFee),
      rounding: $(row.rounding),
      accumulator: $(row.accumulator),
      rebate: $(row.rebate),
      netFee: $(row.netFee),
      balanceChange: $(row.balanceChange),
    });
    expect(r.accumulatorAfter).toBe(r.accumulator - r.rebate);
  });
}

function totals(results: readonly FillFeeResult[]) {
  const sum = (pick: (r: FillFeeResult) => number) => results.reduce((acc, r) => acc + pick(r), 0);
  return {
    tradeFee: sum((r) => r.tradeFee),
    rounding: sum((r) => r.roundingFee),
    rebate: sum((r) => r.rebate),
    netFee: sum((r) => r.netFee),
    balanceChange: sum((r) => r.balanceChange),
  };
}

describe("applyFeeRounding: worked examples from fee_rounding.md", () => {
  it("sub-penny prices: buy 3 at $0.055 as three 1-lots", () => {
    const results = runOrder("0.055", "1", ["0.0085", "0.0085", "0.0085"]);
    // "—" in the Rebate column is 0.
    expectRows(results, [
      {
        tradeFee: "0.0085",
        rounding: "0.0065",
        accumulator: "0.0065",
        rebate: "0",
        netFee: "0.0150",
        balanceChange: "-0.07",
      },
      {
        tradeFee: "0.0085",
        rounding: "0.0065",
        accumulator: "0.0130",
        rebate: "0.0100",
        netFee: "0.0050",
        balanceChange: "-0.07",
      },
      {
        tradeFee: "0.0085",
        rounding: "0.0065",
        accumulator: "0.0095",
        rebate: "0",
        netFee: "0.0150",
        balanceChange: "-0.07",
      },
    ]);
    expect(totals(results)).toEqual({
      tradeFee: $("0.0255"),
      rounding: $("0.0195"),
      rebate: $("0.01"),
      netFee: $("0.035"),
      balanceChange: $("-0.21"),
    });
    expect(results[2]?.accumulatorAfter).toBe($("0.0095"));
  });

  it("walks fill 1 of the sub-penny example step by step", () => {
    const [fill] = runOrder("0.055", "1", ["0.0085"]);
    // revenue −0.0550, raw change −0.0635, floored to −0.07, rounding 0.0065
    expect(fill?.balanceChange).toBe($("-0.07"));
    expect(fill?.roundingFee).toBe($("0.07") - $("0.0635"));
  });

  it("fractional contracts: buy 0.90 at $0.50 as three 0.30-lots", () => {
    const results = runOrder("0.50", "0.30", ["0.0041", "0.0041", "0.0041"]);
    expectRows(results, [
      {
        tradeFee: "0.0041",
        rounding: "0.0059",
        accumulator: "0.0059",
        rebate: "0",
        netFee: "0.0100",
        balanceChange: "-0.16",
      },
      {
        tradeFee: "0.0041",
        rounding: "0.0059",
        accumulator: "0.0118",
        rebate: "0.0100",
        netFee: "0.0000",
        balanceChange: "-0.16",
      },
      {
        tradeFee: "0.0041",
        rounding: "0.0059",
        accumulator: "0.0077",
        rebate: "0",
        netFee: "0.0100",
        balanceChange: "-0.16",
      },
    ]);
    expect(totals(results)).toEqual({
      tradeFee: $("0.0123"),
      rounding: $("0.0177"),
      rebate: $("0.01"),
      netFee: $("0.02"),
      balanceChange: $("-0.48"),
    });
    expect(results[2]?.accumulatorAfter).toBe($("0.0077"));
  });

  it("combined: buy 0.09 at $0.3301 as three 0.03-lots (6-decimal intermediates)", () => {
    const results = runOrder("0.3301", "0.03", ["0.0005", "0.0005", "0.0005"]);
    expectRows(results, [
      {
        tradeFee: "0.0005",
        rounding: "0.009597",
        accumulator: "0.009597",
        rebate: "0",
        netFee: "0.010097",
        balanceChange: "-0.02",
      },
      {
        tradeFee: "0.0005",
        rounding: "0.009597",
        accumulator: "0.019194",
        rebate: "0.0100",
        netFee: "0.000097",
        balanceChange: "-0.02",
      },
      {
        tradeFee: "0.0005",
        rounding: "0.009597",
        accumulator: "0.018791",
        rebate: "0.0100",
        netFee: "0.000097",
        balanceChange: "-0.02",
      },
    ]);
    expect(totals(results)).toEqual({
      tradeFee: $("0.0015"),
      rounding: $("0.028791"),
      rebate: $("0.02"),
      netFee: $("0.010291"),
      balanceChange: $("-0.06"),
    });
    expect(results[2]?.accumulatorAfter).toBe($("0.008791"));
  });

  it("walks fill 1 of the combined example step by step", () => {
    const revenue = -notional($("0.3301"), n("0.03"));
    expect(revenue).toBe($("-0.009903"));
    const fill = applyFeeRounding({
      revenue,
      tradeFee: $("0.0005"),
      accumulator: 0,
      balancePrecision: BALANCE_PRECISION_CENT,
    });
    expect(revenue - fill.tradeFee).toBe($("-0.010403"));
    expect(fill.balanceChange).toBe($("-0.02"));
    expect(fill.roundingFee).toBe($("0.009597"));
  });
});

describe("applyFeeRounding: mechanics", () => {
  it("only rebates when the accumulator strictly exceeds $0.01", () => {
    // Free fills of 0.30 at $0.55 (−$0.165) each round by exactly $0.005, so after
    // two fills the accumulator sits at exactly $0.0100 and no rebate is due yet.
    const first = applyFeeRounding({
      revenue: $("-0.165"),
      tradeFee: 0,
      accumulator: 0,
      balancePrecision: BALANCE_PRECISION_CENT,
    });
    expect(first.roundingFee).toBe($("0.005"));
    const second = applyFeeRounding({
      revenue: $("-0.165"),
      tradeFee: 0,
      accumulator: first.accumulatorAfter,
      balancePrecision: BALANCE_PRECISION_CENT,
    });
    expect(second.accumulator).toBe($("0.01"));
    expect(second.rebate).toBe(0);
    expect(second.accumulatorAfter).toBe($("0.01"));
    const third = applyFeeRounding({
      revenue: $("-0.165"),
      tradeFee: 0,
      accumulator: second.accumulatorAfter,
      balancePrecision: BALANCE_PRECISION_CENT,
    });
    expect(third.accumulator).toBe($("0.015"));
    expect(third.rebate).toBe(REBATE_UNIT);
    expect(third.accumulatorAfter).toBe($("0.005"));
    // A rebate on a free (e.g. quadratic maker) fill makes that fill's net fee negative...
    expect(third.netFee).toBe($("-0.005"));
    // ...but the order as a whole never pays a negative fee.
    expect(first.netFee + second.netFee + third.netFee).toBe($("0.005"));
  });

  it("leaves already-aligned balance changes alone", () => {
    const fill = applyFeeRounding({
      revenue: $("-0.50"),
      tradeFee: $("0.02"),
      accumulator: $("0.0042"),
      balancePrecision: BALANCE_PRECISION_CENT,
    });
    expect(fill).toEqual({
      tradeFee: $("0.02"),
      roundingFee: 0,
      rebate: 0,
      netFee: $("0.02"),
      balanceChange: $("-0.52"),
      accumulator: $("0.0042"),
      accumulatorAfter: $("0.0042"),
    });
  });

  it("floors toward −∞ for sellers too (positive revenue)", () => {
    // Sell 1 at $0.055: +0.0550 − 0.0085 = +0.0465 → +0.04, rounding 0.0065.
    const fill = applyFeeRounding({
      revenue: $("0.055"),
      tradeFee: $("0.0085"),
      accumulator: 0,
      balancePrecision: BALANCE_PRECISION_CENT,
    });
    expect(fill.balanceChange).toBe($("0.04"));
    expect(fill.roundingFee).toBe($("0.0065"));
    expect(fill.netFee).toBe($("0.015"));
  });

  it("rounds to the centicent for direct members", () => {
    // Combined example at centicent precision: −0.010403 → −0.0105, rounding 0.000097.
    const results = runOrder(
      "0.3301",
      "0.03",
      ["0.0005", "0.0005", "0.0005"],
      BALANCE_PRECISION_CENTICENT,
    );
    for (const r of results) {
      expect(r.balanceChange).toBe($("-0.0105"));
      expect(r.roundingFee).toBe($("0.000097"));
      expect(r.rebate).toBe(0);
      expect(r.netFee).toBe($("0.000597"));
    }
    expect(results[2]?.accumulatorAfter).toBe($("0.000291"));
    // Sub-penny and fractional examples are already centicent-aligned: no rounding.
    for (const r of runOrder(
      "0.055",
      "1",
      ["0.0085", "0.0085", "0.0085"],
      BALANCE_PRECISION_CENTICENT,
    )) {
      expect(r.balanceChange).toBe($("-0.0635"));
      expect(r.roundingFee).toBe(0);
      expect(r.netFee).toBe($("0.0085"));
    }
  });

  it("ceils a trade fee that is not yet on a centicent", () => {
    const fill = applyFeeRounding({
      revenue: $("-0.50"),
      tradeFee: $("0.003625"),
      accumulator: 0,
      balancePrecision: BALANCE_PRECISION_CENT,
    });
    expect(fill.tradeFee).toBe($("0.0037"));
    expect(fill.balanceChange).toBe($("-0.51"));
    expect(fill.roundingFee).toBe($("0.0063"));
  });

  it("converges on the single-fill fee over many small fills", () => {
    // 100 fills of 0.30 at $0.50 with the docs' $0.0041 fee: total net fee stays within one cent
    // of the trade fees plus the rounding a single fill would have needed.
    const fills = runOrder(
      "0.50",
      "0.30",
      Array.from({ length: 100 }, () => "0.0041"),
    );
    const t = totals(fills);
    expect(t.netFee).toBe(t.tradeFee + t.rounding - t.rebate);
    const last = fills.at(-1);
    expect(last).toBeDefined();
    expect(t.rounding - t.rebate).toBe(last?.accumulatorAfter);
    expect(last?.accumulatorAfter ?? -1).toBeGreaterThanOrEqual(0);
    expect(last?.accumulatorAfter ?? Infinity).toBeLessThanOrEqual(REBATE_UNIT);
    expect(t.balanceChange + t.rebate).toBe(-notional($("0.50"), n("30")) - t.netFee);
  });

  it("rejects malformed inputs", () => {
    const base = {
      revenue: -500_000,
      tradeFee: 0,
      accumulator: 0,
      balancePrecision: BALANCE_PRECISION_CENT,
    };
    expect(() => applyFeeRounding({ ...base, revenue: 0.5 })).toThrow(RangeError);
    expect(() => applyFeeRounding({ ...base, tradeFee: -100 })).toThrow(RangeError);
    expect(() => applyFeeRounding({ ...base, accumulator: -1 })).toThrow(RangeError);
    expect(() => applyFeeRounding({ ...base, balancePrecision: 0 })).toThrow(RangeError);
  });
});

import { describe, expect, it } from "vitest";

import {
  CENTICENT,
  FixedPointError,
  ONE_CENT,
  ONE_CONTRACT,
  ONE_DOLLAR,
  ceilTo,
  centsToMicros,
  complement,
  floorTo,
  formatCount,
  formatDollars,
  microsToCents,
  microsToWholeDollars,
  minCount,
  notional,
  parseCount,
  parseDollars,
} from "./fixed-point";

/** Tiny seeded PRNG (mulberry32) so the property loops are repeatable without a dependency. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Random integer in [min, max], drawn from two 32-bit halves so large ranges are covered. */
function randomInt(next: () => number, min: number, max: number): number {
  const span = max - min + 1;
  const high = Math.floor(next() * 2 ** 21);
  const low = Math.floor(next() * 2 ** 32);
  return min + ((high * 2 ** 32 + low) % span);
}

describe("constants", () => {
  it("match their units", () => {
    expect(ONE_DOLLAR).toBe(1_000_000);
    expect(ONE_CENT).toBe(10_000);
    expect(CENTICENT).toBe(100);
    expect(ONE_CONTRACT).toBe(100);
  });
});

describe("parseDollars", () => {
  it("reads 0-6 decimals exactly", () => {
    expect(parseDollars("0.56")).toBe(560_000);
    expect(parseDollars("0.5600")).toBe(560_000);
    expect(parseDollars("0.3301")).toBe(330_100);
    expect(parseDollars("12.345678")).toBe(12_345_678);
    expect(parseDollars("0")).toBe(0);
    expect(parseDollars("1")).toBe(1_000_000);
    expect(parseDollars("0.000001")).toBe(1);
    expect(parseDollars("0.055")).toBe(55_000);
    expect(parseDollars("999999999.999999")).toBe(999_999_999_999_999);
  });

  it("reads negatives only when signed", () => {
    expect(parseDollars("-0.010403", { signed: true })).toBe(-10_403);
    expect(parseDollars("-12.5", { signed: true })).toBe(-12_500_000);
    expect(() => parseDollars("-0.010403")).toThrow(FixedPointError);
    expect(() => parseDollars("-1")).toThrow(/must not be negative/);
  });

  it("never returns negative zero", () => {
    expect(Object.is(parseDollars("-0", { signed: true }), 0)).toBe(true);
    expect(Object.is(parseDollars("-0.000000", { signed: true }), 0)).toBe(true);
  });

  it("rejects anything that is not a plain decimal", () => {
    for (const text of [
      "1e-3",
      "1E3",
      ".5",
      "0.",
      "",
      " 1",
      "1 ",
      "1,00",
      "NaN",
      "Infinity",
      "-Infinity",
      "+1",
      "0x10",
      "1.2.3",
      "--1",
      "0.5$",
      "$0.5",
      "١",
    ]) {
      expect(() => parseDollars(text, { signed: true }), text).toThrow(FixedPointError);
    }
  });

  it("enforces maxDecimals", () => {
    expect(() => parseDollars("0.12345", { maxDecimals: 4 })).toThrow(/more than 4 decimal places/);
    expect(parseDollars("0.1234", { maxDecimals: 4 })).toBe(123_400);
    expect(() => parseDollars("0.1234567")).toThrow(FixedPointError);
    expect(() => parseDollars("0.1", { maxDecimals: 0 })).toThrow(FixedPointError);
    expect(parseDollars("7", { maxDecimals: 0 })).toBe(7_000_000);
  });

  it("never reads past micro-dollars even if asked to", () => {
    // A 7th decimal cannot be held; it must throw rather than scale the value.
    expect(() => parseDollars("0.1234567", { maxDecimals: 8 })).toThrow(FixedPointError);
    expect(() => parseDollars("0.12345678", { maxDecimals: 8 })).toThrow(FixedPointError);
    expect(parseDollars("0.123456", { maxDecimals: 8 })).toBe(123_456);
  });

  it("rejects amounts too large to keep exact", () => {
    expect(() => parseDollars("1000000000")).toThrow(/too large/);
  });
});

describe("formatDollars", () => {
  it("pads to 4 decimals by default and extends only when needed", () => {
    expect(formatDollars(560_000)).toBe("0.5600");
    expect(formatDollars(330_100)).toBe("0.3301");
    expect(formatDollars(55_000)).toBe("0.0550");
    expect(formatDollars(12_345_678)).toBe("12.345678");
    expect(formatDollars(12_345_670)).toBe("12.34567");
    expect(formatDollars(0)).toBe("0.0000");
    expect(formatDollars(1_000_000)).toBe("1.0000");
    expect(formatDollars(1)).toBe("0.000001");
  });

  it("honours minDecimals", () => {
    expect(formatDollars(9903, 4)).toBe("0.009903");
    expect(formatDollars(10_000, 2)).toBe("0.01");
    expect(formatDollars(10_000, 6)).toBe("0.010000");
    expect(formatDollars(1_000_000, 0)).toBe("1");
    expect(formatDollars(1_500_000, 0)).toBe("1.5");
    expect(formatDollars(0, 0)).toBe("0");
    expect(formatDollars(0, 2)).toBe("0.00");
  });

  it("signs negatives and never prints negative zero", () => {
    expect(formatDollars(-10_403)).toBe("-0.010403");
    expect(formatDollars(-70_000, 2)).toBe("-0.07");
    expect(formatDollars(-1_000_000)).toBe("-1.0000");
    expect(formatDollars(-0)).toBe("0.0000");
  });

  it("rejects non-integers", () => {
    expect(() => formatDollars(0.5)).toThrow(FixedPointError);
    expect(() => formatDollars(Number.NaN)).toThrow(FixedPointError);
    expect(() => formatDollars(Number.POSITIVE_INFINITY)).toThrow(FixedPointError);
    expect(() => formatDollars(2 ** 53)).toThrow(FixedPointError);
  });

  it("round-trips the documented strings", () => {
    for (const [text, formatted] of [
      ["0.56", "0.5600"],
      ["0.5600", "0.5600"],
      ["0.3301", "0.3301"],
      ["12.345678", "12.345678"],
      ["-0.010403", "-0.010403"],
      ["0.009903", "0.009903"],
    ] as const) {
      expect(formatDollars(parseDollars(text, { signed: true }))).toBe(formatted);
    }
  });
});

describe("parseCount", () => {
  it("reads 0-2 decimals into centi-contracts", () => {
    expect(parseCount("10")).toBe(1000);
    expect(parseCount("10.0")).toBe(1000);
    expect(parseCount("10.00")).toBe(1000);
    expect(parseCount("0.01")).toBe(1);
    expect(parseCount("1.55")).toBe(155);
    expect(parseCount("10.5")).toBe(1050);
    expect(parseCount("0")).toBe(0);
    expect(parseCount("999999999999.99")).toBe(99_999_999_999_999);
  });

  it("rejects sub-centi counts and malformed text", () => {
    expect(() => parseCount("10.005")).toThrow(/at most 2 decimal places/);
    for (const text of ["", ".5", "1.", "1e2", " 1", "1,000", "NaN", "Infinity", "+1", "ten"]) {
      expect(() => parseCount(text, { signed: true }), text).toThrow(FixedPointError);
    }
    expect(() => parseCount("1000000000000")).toThrow(/too large/);
  });

  it("reads negatives only when signed", () => {
    expect(parseCount("-54.00", { signed: true })).toBe(-5400);
    expect(parseCount("-0.01", { signed: true })).toBe(-1);
    expect(() => parseCount("-54.00")).toThrow(/must not be negative/);
    expect(Object.is(parseCount("-0.00", { signed: true }), 0)).toBe(true);
  });
});

describe("formatCount", () => {
  it("always prints exactly 2 decimals", () => {
    expect(formatCount(1000)).toBe("10.00");
    expect(formatCount(1)).toBe("0.01");
    expect(formatCount(155)).toBe("1.55");
    expect(formatCount(1050)).toBe("10.50");
    expect(formatCount(0)).toBe("0.00");
    expect(formatCount(-0)).toBe("0.00");
    expect(formatCount(-5400)).toBe("-54.00");
    expect(formatCount(-325)).toBe("-3.25");
    expect(formatCount(-1)).toBe("-0.01");
  });

  it("rejects non-integers", () => {
    expect(() => formatCount(1.5)).toThrow(FixedPointError);
    expect(() => formatCount(Number.NaN)).toThrow(FixedPointError);
  });
});

describe("complement", () => {
  it("maps a YES price to the NO price and back", () => {
    expect(complement(560_000)).toBe(440_000);
    expect(complement(55_000)).toBe(945_000);
    expect(complement(330_100)).toBe(669_900);
    expect(complement(0)).toBe(ONE_DOLLAR);
    expect(complement(ONE_DOLLAR)).toBe(0);
    for (let p = 0; p <= ONE_DOLLAR; p += 12_345) expect(complement(complement(p))).toBe(p);
  });
});

describe("notional", () => {
  it("multiplies price by count exactly", () => {
    expect(notional(parseDollars("0.3301"), parseCount("0.03"))).toBe(9903);
    expect(notional(parseDollars("0.055"), parseCount("1"))).toBe(55_000);
    expect(notional(parseDollars("0.50"), parseCount("0.30"))).toBe(150_000);
    expect(notional(parseDollars("0.56"), parseCount("10"))).toBe(5_600_000);
    expect(notional(parseDollars("0.0001"), parseCount("0.01"))).toBe(1);
    expect(notional(0, 12_345)).toBe(0);
    expect(notional(560_000, -1000)).toBe(-5_600_000);
  });

  it("throws on a product finer than a micro-dollar", () => {
    // $0.000001 × 0.01 contracts = $0.00000001
    expect(() => notional(1, 1)).toThrow(FixedPointError);
    expect(() => notional(parseDollars("0.12345"), parseCount("0.01"))).toThrow(
      /not a whole micro-dollar/,
    );
    expect(() => notional(-1, 1)).toThrow(FixedPointError);
  });

  it("stays exact past 2^53 in the intermediate product", () => {
    // $0.9999 × 999,999,999.99 contracts: the raw product is ~1e17, the result ~1e15.
    const count = parseCount("999999999.99");
    expect(999_900 * count).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    const expected = (999_900n * BigInt(count)) / 100n;
    expect(BigInt(notional(999_900, count))).toBe(expected);
    expect(() => notional(999_901, count)).toThrow(FixedPointError);
  });
});

describe("ceilTo / floorTo", () => {
  it("round positives to the unit", () => {
    expect(ceilTo(63_500, ONE_CENT)).toBe(70_000);
    expect(floorTo(63_500, ONE_CENT)).toBe(60_000);
    expect(ceilTo(3_638, CENTICENT)).toBe(3_700);
    expect(floorTo(3_638, CENTICENT)).toBe(3_600);
    expect(ceilTo(70_000, ONE_CENT)).toBe(70_000);
    expect(floorTo(70_000, ONE_CENT)).toBe(70_000);
  });

  it("round negatives toward ±∞, not toward zero", () => {
    expect(floorTo(-63_500, ONE_CENT)).toBe(-70_000);
    expect(floorTo(-10_403, ONE_CENT)).toBe(-20_000);
    expect(floorTo(-10_403, CENTICENT)).toBe(-10_500);
    expect(ceilTo(-63_500, ONE_CENT)).toBe(-60_000);
    expect(floorTo(-70_000, ONE_CENT)).toBe(-70_000);
  });

  it("return plain zero, never negative zero", () => {
    expect(Object.is(ceilTo(-5_000, ONE_CENT), 0)).toBe(true);
    expect(Object.is(floorTo(-0, ONE_CENT), 0)).toBe(true);
    expect(Object.is(ceilTo(0, ONE_CENT), 0)).toBe(true);
  });

  it("agree with BigInt division across random values", () => {
    const next = mulberry32(7);
    for (let i = 0; i < 2_000; i++) {
      const value = randomInt(next, -1e15, 1e15);
      for (const unit of [CENTICENT, ONE_CENT, ONE_DOLLAR]) {
        const big = BigInt(value);
        const u = BigInt(unit);
        const truncated = (big / u) * u;
        const floored = truncated > big ? truncated - u : truncated;
        const ceiled = truncated < big ? truncated + u : truncated;
        expect(BigInt(floorTo(value, unit))).toBe(floored);
        expect(BigInt(ceilTo(value, unit))).toBe(ceiled);
      }
    }
  });
});

describe("cents and whole dollars", () => {
  it("convert micro-dollars to integer cents, truncating toward zero", () => {
    expect(microsToCents(560_000)).toBe(56);
    expect(microsToCents(565_000)).toBe(56);
    expect(microsToCents(9_999)).toBe(0);
    expect(microsToCents(-565_000)).toBe(-56);
    expect(Object.is(microsToCents(-9_999), 0)).toBe(true);
  });

  it("convert cents back to micro-dollars", () => {
    expect(centsToMicros(56)).toBe(560_000);
    expect(centsToMicros(-7)).toBe(-70_000);
    expect(centsToMicros(0)).toBe(0);
    expect(() => centsToMicros(0.5)).toThrow(FixedPointError);
    for (let cents = -500; cents <= 500; cents += 37)
      expect(microsToCents(centsToMicros(cents))).toBe(cents);
  });

  it("truncate to whole dollars", () => {
    expect(microsToWholeDollars(12_345_678)).toBe(12);
    expect(microsToWholeDollars(999_999)).toBe(0);
    expect(microsToWholeDollars(-1_500_000)).toBe(-1);
    expect(Object.is(microsToWholeDollars(-1), 0)).toBe(true);
  });
});

describe("minCount", () => {
  it("returns the smaller count", () => {
    expect(minCount(100, 250)).toBe(100);
    expect(minCount(250, 100)).toBe(100);
    expect(minCount(-5, 0)).toBe(-5);
  });
});

describe("properties over random integers", () => {
  it("formatDollars ∘ parseDollars is the identity on micro-dollars", () => {
    const next = mulberry32(0x5eed);
    for (let i = 0; i < 5_000; i++) {
      const micros = randomInt(next, -999_999_999_999_999, 999_999_999_999_999);
      for (const minDecimals of [0, 2, 4, 6]) {
        const text = formatDollars(micros, minDecimals);
        expect(text).toMatch(/^-?\d+(\.\d{1,6})?$/);
        expect(parseDollars(text, { signed: true })).toBe(micros);
      }
    }
  });

  it("parseDollars ∘ formatDollars normalises any valid string", () => {
    const next = mulberry32(42);
    for (let i = 0; i < 2_000; i++) {
      const whole = randomInt(next, 0, 999_999);
      const decimals = randomInt(next, 0, 6);
      const frac = String(randomInt(next, 0, 10 ** decimals - 1)).padStart(decimals, "0");
      const text = decimals === 0 ? String(whole) : `${whole}.${frac}`;
      const micros = parseDollars(text);
      expect(micros).toBe(whole * ONE_DOLLAR + Number(frac.padEnd(6, "0")));
      expect(parseDollars(formatDollars(micros))).toBe(micros);
    }
  });

  it("formatCount ∘ parseCount is the identity on centi-contracts", () => {
    const next = mulberry32(0xc0ffee);
    for (let i = 0; i < 5_000; i++) {
      const centis = randomInt(next, -99_999_999_999_999, 99_999_999_999_999);
      const text = formatCount(centis);
      expect(text).toMatch(/^-?\d+\.\d{2}$/);
      expect(parseCount(text, { signed: true })).toBe(centis);
    }
  });

  it("notional of random on-grid prices and counts matches BigInt", () => {
    const next = mulberry32(99);
    for (let i = 0; i < 2_000; i++) {
      const price = randomInt(next, 0, 10_000) * CENTICENT;
      const count = randomInt(next, 0, 1e11);
      expect(BigInt(notional(price, count))).toBe((BigInt(price) * BigInt(count)) / 100n);
    }
  });
});

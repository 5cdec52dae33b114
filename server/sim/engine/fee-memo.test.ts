/**
 * The engine's fee path answers exactly what lib/fees.ts's tradeFee answers:
 * over every fee type, both roles, several multipliers, the price edges and
 * round prices and counts (whose fees land exactly on a centicent, where the
 * floating-point shortcut must give way), and many random (price, count).
 */
import { describe, expect, it } from "vitest";
import { tradeFee, FEE_TYPES, type FeeType } from "@/lib/fees";
import { seriesTradeFee } from "@/server/sim/engine/fee-memo";
import { SeededRandom } from "@/server/sim/random";
import { makeSeries } from "@/server/sim/testing/engine-fixtures";

describe("seriesTradeFee", () => {
  it("equals tradeFee everywhere it is asked", () => {
    const random = new SeededRandom(17);
    const multipliers = [1, 0.5, 0.25, 1.25, 0.0001, 3, 2.5, 0.3333];
    let compared = 0;
    for (const feeType of FEE_TYPES as readonly FeeType[]) {
      for (const feeMultiplier of multipliers) {
        const series = makeSeries({
          ticker: `KX${feeType}${feeMultiplier}`,
          feeType,
          feeMultiplier,
        });
        const cases: Array<[number, number]> = [];
        for (const price of [
          0, 100, 10_000, 250_000, 500_000, 750_000, 990_000, 999_900, 1_000_000,
        ])
          for (const count of [0, 1, 4, 100, 400, 1_000, 2_000, 10_000, 1_000_000])
            cases.push([price, count]);
        for (let i = 0; i < 2_000; i += 1) {
          const price = random.chance(0.5) ? random.int(1, 99) * 10_000 : random.int(0, 1_000_000);
          const count = random.chance(0.5) ? random.int(1, 50) * 100 : random.int(0, 5_000_000);
          cases.push([price, count]);
        }
        for (const [price, count] of cases) {
          for (const role of ["taker", "maker"] as const) {
            const expected = tradeFee({ price, count, feeType, feeMultiplier, role });
            // Twice: computed, then remembered.
            expect(seriesTradeFee(series, price, count, role)).toBe(expected);
            expect(seriesTradeFee(series, price, count, role)).toBe(expected);
            compared += 1;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100_000);
  });

  it("refuses what tradeFee refuses", () => {
    const series = makeSeries({ feeMultiplier: 0.12345 });
    expect(() => seriesTradeFee(series, 500_000, 100, "taker")).toThrow(RangeError);
    expect(() => seriesTradeFee(makeSeries(), 1_000_001, 100, "taker")).toThrow(RangeError);
    expect(() => seriesTradeFee(makeSeries(), 500_000, -1, "taker")).toThrow(RangeError);
  });
});

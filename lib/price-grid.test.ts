import { describe, expect, it } from "vitest";

import { FixedPointError, parseDollars } from "./fixed-point";
import {
  PRICE_LEVEL_STRUCTURES,
  allPrices,
  fromWireRanges,
  isOnGrid,
  nextPrice,
  priceRangesFor,
  snapToGrid,
  tickAt,
  toWireRanges,
  type PriceLevelStructure,
  type PriceRangeWire,
} from "./price-grid";

const $ = (text: string) => parseDollars(text, { signed: true });
const grid = (name: PriceLevelStructure) => priceRangesFor(name);

/**
 * The table in fixed_point_migration.md, as wire strings, with the number of
 * valid prices each grid has. Counts are worked out by hand, e.g.
 * tapered_deci_cent: 0.001–0.099 (99) + 0.10–0.90 (81) + 0.901–0.999 (99) = 279.
 */
const EXPECTED: Record<PriceLevelStructure, { wire: [string, string, string][]; count: number }> = {
  linear_cent: { wire: [["0.0000", "1.0000", "0.0100"]], count: 99 },
  deci_cent: { wire: [["0.0000", "1.0000", "0.0010"]], count: 999 },
  tapered_deci_cent: {
    wire: [
      ["0.0000", "0.1000", "0.0010"],
      ["0.1000", "0.9000", "0.0100"],
      ["0.9000", "1.0000", "0.0010"],
    ],
    count: 99 + 81 + 99,
  },
  center_whole_edge_half_cent: {
    wire: [
      ["0.0000", "0.1000", "0.0050"],
      ["0.1000", "0.9000", "0.0100"],
      ["0.9000", "1.0000", "0.0050"],
    ],
    // 0.005–0.095 (19) + 0.10–0.90 (81) + 0.905–0.995 (19)
    count: 19 + 81 + 19,
  },
  center_whole_edge_quint_cent: {
    wire: [
      ["0.0000", "0.1000", "0.0020"],
      ["0.1000", "0.9000", "0.0100"],
      ["0.9000", "1.0000", "0.0020"],
    ],
    // 0.002–0.098 (49) + 81 + 0.902–0.998 (49)
    count: 49 + 81 + 49,
  },
  center_half_edge_half_cent: { wire: [["0.0000", "1.0000", "0.0050"]], count: 199 },
  center_half_edge_quint_cent: {
    wire: [
      ["0.0000", "0.1000", "0.0020"],
      ["0.1000", "0.9000", "0.0050"],
      ["0.9000", "1.0000", "0.0020"],
    ],
    // 49 + 0.100–0.900 by 0.005 (161) + 49
    count: 49 + 161 + 49,
  },
  center_half_edge_deci_cent: {
    wire: [
      ["0.0000", "0.1000", "0.0010"],
      ["0.1000", "0.9000", "0.0050"],
      ["0.9000", "1.0000", "0.0010"],
    ],
    count: 99 + 161 + 99,
  },
  center_quint_edge_quint_cent: { wire: [["0.0000", "1.0000", "0.0020"]], count: 499 },
  center_quint_edge_deci_cent: {
    wire: [
      ["0.0000", "0.1000", "0.0010"],
      ["0.1000", "0.9000", "0.0020"],
      ["0.9000", "1.0000", "0.0010"],
    ],
    // 99 + 0.100–0.900 by 0.002 (401) + 99
    count: 99 + 401 + 99,
  },
  center_centi_edge_centi_cent: { wire: [["0.0000", "1.0000", "0.0001"]], count: 9999 },
  center_deci_edge_centi_cent: {
    wire: [
      ["0.0000", "0.0100", "0.0001"],
      ["0.0100", "0.9900", "0.0010"],
      ["0.9900", "1.0000", "0.0001"],
    ],
    // 0.0001–0.0099 (99) + 0.010–0.990 (981) + 0.9901–0.9999 (99)
    count: 99 + 981 + 99,
  },
};

const NAMES = Object.keys(EXPECTED) as PriceLevelStructure[];

const toWire = ([start, end, step]: [string, string, string]): PriceRangeWire => ({
  start,
  end,
  step,
});

describe("PRICE_LEVEL_STRUCTURES", () => {
  it("holds exactly the 12 documented structures", () => {
    expect(Object.keys(PRICE_LEVEL_STRUCTURES).sort()).toEqual([...NAMES].sort());
    expect(NAMES).toHaveLength(12);
  });

  it.each(NAMES)("%s has the documented bands", (name) => {
    expect(toWireRanges(grid(name))).toEqual(EXPECTED[name].wire.map(toWire));
  });

  it.each(NAMES)("%s has the expected number of valid prices", (name) => {
    const prices = allPrices(grid(name));
    expect(prices).toHaveLength(EXPECTED[name].count);
    expect(prices.every((p) => isOnGrid(p, grid(name)))).toBe(true);
  });

  it.each(NAMES)("%s accepts every whole cent from $0.01 to $0.99", (name) => {
    for (let cents = 1; cents <= 99; cents++)
      expect(isOnGrid(cents * 10_000, grid(name))).toBe(true);
  });

  it.each(NAMES)("%s rejects $0, $1, negatives and prices above $1", (name) => {
    for (const price of [0, 1_000_000, -10_000, -1, 1_010_000, 2_000_000]) {
      expect(isOnGrid(price, grid(name))).toBe(false);
    }
  });

  it.each(NAMES)("%s: allPrices agrees with isOnGrid at every centicent", (name) => {
    const ranges = grid(name);
    const valid = new Set(allPrices(ranges));
    for (let p = 0; p <= 1_000_000; p += 100) expect(isOnGrid(p, ranges)).toBe(valid.has(p));
  });

  it.each(NAMES)("%s: walking nextPrice up and down visits allPrices in order", (name) => {
    const ranges = grid(name);
    const expected = allPrices(ranges);
    const up: number[] = [];
    for (let p = nextPrice(0, ranges, "up"); p !== null; p = nextPrice(p, ranges, "up")) up.push(p);
    expect(up).toEqual(expected);
    const down: number[] = [];
    for (let p = nextPrice(1_000_000, ranges, "down"); p !== null; p = nextPrice(p, ranges, "down"))
      down.push(p);
    expect(down).toEqual([...expected].reverse());
  });

  it("cannot be mutated", () => {
    const first = grid("linear_cent")[0] as { start: number } | undefined;
    expect(first).toBeDefined();
    expect(() => {
      if (first) first.start = 5;
    }).toThrow(TypeError);
    expect(() => (grid("linear_cent") as unknown as unknown[]).push({})).toThrow(TypeError);
    expect(Object.isFrozen(PRICE_LEVEL_STRUCTURES)).toBe(true);
  });
});

describe("priceRangesFor", () => {
  it("returns the table entry", () => {
    expect(priceRangesFor("tapered_deci_cent")).toBe(PRICE_LEVEL_STRUCTURES.tapered_deci_cent);
  });

  it("throws for unknown names, including inherited object keys", () => {
    for (const name of [
      "",
      "linear",
      "LINEAR_CENT",
      "center_deci_edge_deci_cent",
      "toString",
      "__proto__",
    ]) {
      expect(() => priceRangesFor(name)).toThrow(RangeError);
    }
  });
});

describe("isOnGrid", () => {
  it("rejects off-step prices", () => {
    expect(isOnGrid($("0.555"), grid("linear_cent"))).toBe(false);
    expect(isOnGrid($("0.5555"), grid("deci_cent"))).toBe(false);
    expect(isOnGrid($("0.1005"), grid("tapered_deci_cent"))).toBe(false);
    expect(isOnGrid($("0.105"), grid("tapered_deci_cent"))).toBe(false);
    expect(isOnGrid($("0.895"), grid("tapered_deci_cent"))).toBe(false);
    expect(isOnGrid($("0.0005"), grid("tapered_deci_cent"))).toBe(false);
    expect(isOnGrid($("0.001"), grid("center_whole_edge_half_cent"))).toBe(false);
    expect(isOnGrid($("0.003"), grid("center_whole_edge_quint_cent"))).toBe(false);
    expect(isOnGrid($("0.0105"), grid("center_deci_edge_centi_cent"))).toBe(false);
    expect(isOnGrid($("0.99999"), grid("center_centi_edge_centi_cent"))).toBe(false);
  });

  it("accepts on-step prices, band boundaries included", () => {
    expect(isOnGrid($("0.55"), grid("linear_cent"))).toBe(true);
    expect(isOnGrid($("0.555"), grid("deci_cent"))).toBe(true);
    expect(isOnGrid($("0.001"), grid("tapered_deci_cent"))).toBe(true);
    expect(isOnGrid($("0.099"), grid("tapered_deci_cent"))).toBe(true);
    expect(isOnGrid($("0.10"), grid("tapered_deci_cent"))).toBe(true);
    expect(isOnGrid($("0.90"), grid("tapered_deci_cent"))).toBe(true);
    expect(isOnGrid($("0.901"), grid("tapered_deci_cent"))).toBe(true);
    expect(isOnGrid($("0.999"), grid("tapered_deci_cent"))).toBe(true);
    expect(isOnGrid($("0.0001"), grid("center_deci_edge_centi_cent"))).toBe(true);
    expect(isOnGrid($("0.011"), grid("center_deci_edge_centi_cent"))).toBe(true);
    expect(isOnGrid($("0.9999"), grid("center_deci_edge_centi_cent"))).toBe(true);
    expect(isOnGrid($("0.005"), grid("center_half_edge_half_cent"))).toBe(true);
  });

  it("rejects non-integer micro-dollars", () => {
    expect(isOnGrid(500_000.5, grid("linear_cent"))).toBe(false);
    expect(isOnGrid(Number.NaN, grid("linear_cent"))).toBe(false);
  });

  it("accepts nothing on an empty grid", () => {
    expect(isOnGrid($("0.50"), [])).toBe(false);
    expect(allPrices([])).toEqual([]);
    expect(nextPrice($("0.50"), [], "up")).toBeNull();
  });
});

describe("tickAt", () => {
  const tapered = grid("tapered_deci_cent");

  it("differs up and down at a band boundary", () => {
    expect(tickAt($("0.10"), tapered, "up")).toBe($("0.01"));
    expect(tickAt($("0.10"), tapered, "down")).toBe($("0.001"));
    expect(tickAt($("0.90"), tapered, "up")).toBe($("0.001"));
    expect(tickAt($("0.90"), tapered, "down")).toBe($("0.01"));
    const combo = grid("center_deci_edge_centi_cent");
    expect(tickAt($("0.01"), combo, "up")).toBe($("0.001"));
    expect(tickAt($("0.01"), combo, "down")).toBe($("0.0001"));
  });

  it("is the band's step inside a band, on or off grid", () => {
    expect(tickAt($("0.05"), tapered, "up")).toBe($("0.001"));
    expect(tickAt($("0.05"), tapered, "down")).toBe($("0.001"));
    expect(tickAt($("0.50"), tapered, "up")).toBe($("0.01"));
    expect(tickAt($("0.505"), tapered, "down")).toBe($("0.01"));
    expect(tickAt($("0.95"), tapered, "down")).toBe($("0.001"));
    expect(tickAt($("0.50"), grid("linear_cent"), "up")).toBe($("0.01"));
  });

  it("covers the outer edges on their inner side only", () => {
    expect(tickAt(0, tapered, "up")).toBe($("0.001"));
    expect(tickAt($("1"), tapered, "down")).toBe($("0.001"));
    expect(() => tickAt(0, tapered, "down")).toThrow(RangeError);
    expect(() => tickAt($("1"), tapered, "up")).toThrow(RangeError);
  });
});

describe("nextPrice", () => {
  const tapered = grid("tapered_deci_cent");
  const linear = grid("linear_cent");

  it("steps by the band's tick", () => {
    expect(nextPrice($("0.50"), linear, "up")).toBe($("0.51"));
    expect(nextPrice($("0.50"), linear, "down")).toBe($("0.49"));
    expect(nextPrice($("0.050"), tapered, "up")).toBe($("0.051"));
    expect(nextPrice($("0.50"), tapered, "up")).toBe($("0.51"));
  });

  it("crosses band boundaries with the right tick on each side", () => {
    expect(nextPrice($("0.099"), tapered, "up")).toBe($("0.10"));
    expect(nextPrice($("0.10"), tapered, "up")).toBe($("0.11"));
    expect(nextPrice($("0.11"), tapered, "down")).toBe($("0.10"));
    expect(nextPrice($("0.10"), tapered, "down")).toBe($("0.099"));
    expect(nextPrice($("0.89"), tapered, "up")).toBe($("0.90"));
    expect(nextPrice($("0.90"), tapered, "up")).toBe($("0.901"));
    expect(nextPrice($("0.901"), tapered, "down")).toBe($("0.90"));
    expect(nextPrice($("0.90"), tapered, "down")).toBe($("0.89"));
    const combo = grid("center_deci_edge_centi_cent");
    expect(nextPrice($("0.0099"), combo, "up")).toBe($("0.01"));
    expect(nextPrice($("0.01"), combo, "up")).toBe($("0.011"));
    expect(nextPrice($("0.01"), combo, "down")).toBe($("0.0099"));
    expect(nextPrice($("0.99"), combo, "up")).toBe($("0.9901"));
  });

  it("accepts off-grid starting prices", () => {
    expect(nextPrice($("0.555"), linear, "up")).toBe($("0.56"));
    expect(nextPrice($("0.555"), linear, "down")).toBe($("0.55"));
    expect(nextPrice($("0.1005"), tapered, "up")).toBe($("0.11"));
    expect(nextPrice($("0.1005"), tapered, "down")).toBe($("0.10"));
    expect(nextPrice($("0.0995"), tapered, "up")).toBe($("0.10"));
    expect(nextPrice($("0.0995"), tapered, "down")).toBe($("0.099"));
  });

  it("returns null past $0 and $1, and finds the grid from outside it", () => {
    expect(nextPrice($("0.99"), linear, "up")).toBeNull();
    expect(nextPrice($("0.01"), linear, "down")).toBeNull();
    expect(nextPrice($("0.999"), tapered, "up")).toBeNull();
    expect(nextPrice($("0.001"), tapered, "down")).toBeNull();
    expect(nextPrice(0, linear, "up")).toBe($("0.01"));
    expect(nextPrice($("1"), linear, "down")).toBe($("0.99"));
    expect(nextPrice(-5_000_000, linear, "up")).toBe($("0.01"));
    expect(nextPrice(5_000_000, linear, "down")).toBe($("0.99"));
    expect(nextPrice(5_000_000, linear, "up")).toBeNull();
    expect(nextPrice(-5_000_000, linear, "down")).toBeNull();
  });

  it("throws on non-integer prices", () => {
    expect(() => nextPrice(0.5, linear, "up")).toThrow(FixedPointError);
  });
});

describe("snapToGrid", () => {
  const tapered = grid("tapered_deci_cent");
  const linear = grid("linear_cent");

  it("keeps on-grid prices", () => {
    for (const price of [$("0.01"), $("0.10"), $("0.5"), $("0.99")]) {
      expect(snapToGrid(price, linear, "up")).toBe(price);
      expect(snapToGrid(price, linear, "down")).toBe(price);
    }
    expect(snapToGrid($("0.10"), tapered, "down")).toBe($("0.10"));
    expect(snapToGrid($("0.905"), tapered, "up")).toBe($("0.905"));
  });

  it("moves off-grid prices to the neighbour in the given direction", () => {
    expect(snapToGrid($("0.555"), linear, "down")).toBe($("0.55"));
    expect(snapToGrid($("0.555"), linear, "up")).toBe($("0.56"));
    expect(snapToGrid($("0.1005"), tapered, "down")).toBe($("0.10"));
    expect(snapToGrid($("0.1005"), tapered, "up")).toBe($("0.11"));
    expect(snapToGrid($("0.0995"), tapered, "down")).toBe($("0.099"));
    expect(snapToGrid($("0.0995"), tapered, "up")).toBe($("0.10"));
    expect(snapToGrid($("0.123456"), grid("center_centi_edge_centi_cent"), "down")).toBe(
      $("0.1234"),
    );
    expect(snapToGrid($("0.123456"), grid("center_centi_edge_centi_cent"), "up")).toBe($("0.1235"));
  });

  it("returns null when nothing lies in that direction", () => {
    expect(snapToGrid(0, linear, "down")).toBeNull();
    expect(snapToGrid($("0.005"), linear, "down")).toBeNull();
    expect(snapToGrid($("0.995"), linear, "up")).toBeNull();
    expect(snapToGrid($("1"), linear, "up")).toBeNull();
    expect(snapToGrid(0, linear, "up")).toBe($("0.01"));
    expect(snapToGrid($("1"), linear, "down")).toBe($("0.99"));
  });
});

describe("wire round trip", () => {
  it.each(NAMES)("%s survives toWireRanges → fromWireRanges", (name) => {
    const wire = toWireRanges(grid(name));
    for (const w of wire) {
      for (const text of [w.start, w.end, w.step]) expect(text).toMatch(/^\d\.\d{4}$/);
    }
    expect(fromWireRanges(wire)).toEqual(grid(name));
  });

  it("reads Kalshi's strings", () => {
    expect(
      fromWireRanges([
        { start: "0.0000", end: "0.1000", step: "0.0010" },
        { start: "0.1000", end: "0.9000", step: "0.0100" },
        { start: "0.9000", end: "1.0000", step: "0.0010" },
      ]),
    ).toEqual(grid("tapered_deci_cent"));
  });

  it("rejects malformed bands", () => {
    const bad: PriceRangeWire[] = [
      { start: "0", end: "1", step: "0" },
      { start: "0.5", end: "0.4", step: "0.01" },
      { start: "0", end: "1.5", step: "0.01" },
      { start: "-0.1", end: "1", step: "0.01" },
      { start: "0", end: "1", step: "1e-2" },
      { start: "0", end: "1", step: "" },
    ];
    for (const w of bad) expect(() => fromWireRanges([w])).toThrow(FixedPointError);
  });
});

describe("grids from the wire", () => {
  it("work with bands in any order", () => {
    const shuffled = fromWireRanges([
      { start: "0.9000", end: "1.0000", step: "0.0010" },
      { start: "0.0000", end: "0.1000", step: "0.0010" },
      { start: "0.1000", end: "0.9000", step: "0.0100" },
    ]);
    expect(allPrices(shuffled)).toEqual(allPrices(grid("tapered_deci_cent")));
    expect(nextPrice($("0.10"), shuffled, "up")).toBe($("0.11"));
    expect(tickAt($("0.90"), shuffled, "up")).toBe($("0.001"));
  });
});

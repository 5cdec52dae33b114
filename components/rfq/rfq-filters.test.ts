import { describe, expect, it } from "vitest";

import { matchesKind } from "./rfq-filters";

describe("RFQ market-kind filter", () => {
  it("keeps combos (KXMVE… multivariate tickers) apart from single markets", () => {
    const combo = "KXMVESPORTS-26DEC02-ABC123";
    const single = "KXNFLGAME-26DEC02PHISF-SF";
    expect(matchesKind("all", combo)).toBe(true);
    expect(matchesKind("all", single)).toBe(true);
    expect(matchesKind("combo", combo)).toBe(true);
    expect(matchesKind("combo", single)).toBe(false);
    expect(matchesKind("single", single)).toBe(true);
    expect(matchesKind("single", combo)).toBe(false);
  });
});

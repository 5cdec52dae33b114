import { describe, expect, it } from "vitest";

import { parseDollars } from "@/lib/fixed-point";
import {
  acceptPreview,
  bestQuotes,
  confirmationWindowMs,
  edgeVsBook,
  naiveComboPrice,
  quoteAroundMid,
  quotePairProblem,
} from "@/lib/rfq/rfq-math";

const $ = (text: string) => parseDollars(text);

describe("accepting a quote", () => {
  it("accept yes sells YES at the yes bid: the requester holds NO at $1 − bid, taker fee ceiled to the cent", () => {
    // 10 contracts, yes bid 0.40: cost 10 × 0.60 = $6.00; fee 0.07 × 10 × 0.4 × 0.6 = $0.168 → $0.17
    const preview = acceptPreview({
      side: "yes",
      bid: $("0.40"),
      count: 1000,
      feeType: "quadratic",
      feeMultiplier: 1,
      balance: $("100"),
    });
    expect(preview.holds).toBe("no");
    expect(preview.cost).toBe($("6"));
    expect(preview.fee).toBe($("0.17"));
    expect(preview.maxPayout).toBe($("10"));
    expect(preview.balanceAfter).toBe($("93.83"));
  });

  it("accept no buys YES at $1 − no bid", () => {
    const preview = acceptPreview({
      side: "no",
      bid: $("0.30"),
      count: 250,
      feeType: "quadratic",
      feeMultiplier: 1,
      balance: undefined,
    });
    expect(preview.holds).toBe("yes");
    expect(preview.pricePaid).toBe($("0.70"));
    expect(preview.cost).toBe($("1.75"));
    expect(preview.balanceAfter).toBeUndefined();
  });

  it("compares each side with the book from the requester's seat", () => {
    const book = { yesBid: $("0.45"), yesAsk: $("0.50") };
    expect(edgeVsBook("yes", $("0.47"), book)).toBe($("0.02"));
    // Buying YES at 1 − 0.52 = 0.48, two cents under the ask.
    expect(edgeVsBook("no", $("0.52"), book)).toBe($("0.02"));
    expect(edgeVsBook("yes", $("0.47"), { yesBid: undefined, yesAsk: undefined })).toBeUndefined();
  });

  it("picks the best open quote per side", () => {
    const best = bestQuotes(
      [
        { id: "a", yes_bid_dollars: "0.40", no_bid_dollars: "0.55", status: "open" },
        { id: "b", yes_bid_dollars: "0.42", no_bid_dollars: "0.50", status: "open" },
        { id: "c", yes_bid_dollars: "0.90", no_bid_dollars: "0.05", status: "cancelled" },
      ],
      (d) => parseDollars(d),
    );
    expect(best).toEqual({ yes: "b", no: "a" });
  });
});

describe("making a quote", () => {
  it("refuses a pair above $1 and an empty pair", () => {
    expect(quotePairProblem($("0.60"), $("0.41"))).toMatch(/exceed \$1/);
    expect(quotePairProblem($("0.60"), $("0.40"))).toBeNull();
    expect(quotePairProblem(0, 0)).toMatch(/at least one side/);
    expect(quotePairProblem(undefined, $("0.1"))).toMatch(/both bids/);
  });

  it("quotes around mid with the maker's spread on the cent grid", () => {
    expect(quoteAroundMid($("0.50"), $("0.04"))).toEqual({ yesBid: $("0.48"), noBid: $("0.48") });
    expect(quoteAroundMid($("0.333"), $("0.02"))).toEqual({ yesBid: $("0.32"), noBid: $("0.65") });
  });

  it("gives combos the short HVM confirmation window", () => {
    expect(confirmationWindowMs("KXMVEGAMEDAY-SABC-1")).toBe(3_000);
    expect(confirmationWindowMs("KXCPI-26NOV-T3")).toBe(30_000);
  });
});

describe("naive combo price", () => {
  it("multiplies leg probabilities as if independent", () => {
    expect(
      naiveComboPrice([
        { side: "yes", mid: $("0.60") },
        { side: "no", mid: $("0.25") },
      ]),
    ).toBe($("0.45"));
    expect(naiveComboPrice([{ side: "yes", mid: undefined }])).toBeUndefined();
    expect(naiveComboPrice([])).toBeUndefined();
  });

  it("is exact in fixed point: one rounding, half up, where floating point drops a micro-dollar", () => {
    // 0.25 × (1 − 0.99215) = 0.0019625 exactly → 1963 µ$ (floats give 0.0019624999… → 1962).
    expect(
      naiveComboPrice([
        { side: "yes", mid: $("0.25") },
        { side: "no", mid: 992_150 },
      ]),
    ).toBe(1963);
    // 0.0045 × 0.005 = 0.0000225 → 23 µ$ (floats: 22).
    expect(
      naiveComboPrice([
        { side: "yes", mid: 4_500 },
        { side: "yes", mid: 5_000 },
      ]),
    ).toBe(23);
    // Twenty legs at 0.50: 0.5²⁰ = 0.00000095… → 1 µ$, with no overflow on the way.
    expect(
      naiveComboPrice(Array.from({ length: 20 }, () => ({ side: "yes" as const, mid: $("0.5") }))),
    ).toBe(1);
    // A leg at a certainty passes the others through.
    expect(
      naiveComboPrice([
        { side: "yes", mid: $("1") },
        { side: "no", mid: $("0.3") },
      ]),
    ).toBe($("0.7"));
  });
});

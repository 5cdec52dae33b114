import { describe, expect, it } from "vitest";

import { planFlatten } from "@/components/trading/flatten-plan";
import { positionFigures } from "@/components/trading/pnl";
import { parseCount as n, parseDollars as $ } from "@/lib/fixed-point";

const position = (fp: string, exposure: string, realised = "0.0000", fees = "0.0000") => ({
  position_fp: fp,
  market_exposure_dollars: exposure,
  realized_pnl_dollars: realised,
  fees_paid_dollars: fees,
});

describe("positionFigures", () => {
  it("marks a YES position at the YES bid: 10 @ 45¢ marked 52¢ is +$0.70", () => {
    const f = positionFigures(
      position("10.00", "4.5000", "1.2500", "0.1600"),
      { bestBid: $("0.52"), bestAsk: $("0.55") },
      null,
    );
    expect(f.side).toBe("yes");
    expect(f.held).toBe(n("10"));
    expect(f.averagePrice).toBe($("0.45"));
    expect(f.mark).toBe($("0.52"));
    expect(f.unrealised).toBe($("0.70"));
    expect(f.realised).toBe($("1.25"));
    expect(f.fees).toBe($("0.16"));
  });

  it("marks a NO position at 1 − YES ask and handles fractional contracts exactly", () => {
    const f = positionFigures(
      position("-2.50", "1.0000"),
      { bestBid: $("0.55"), bestAsk: $("0.58") },
      null,
    );
    expect(f.side).toBe("no");
    expect(f.held).toBe(n("2.50"));
    expect(f.averagePrice).toBe($("0.40"));
    expect(f.mark).toBe($("0.42"));
    // 2.5 × 0.42 − 1.00 = 0.05
    expect(f.unrealised).toBe($("0.05"));
  });

  it("falls back to the last trade, and is flat without a position", () => {
    const f = positionFigures(
      position("3.00", "0.9000"),
      { bestBid: null, bestAsk: null },
      $("0.31"),
    );
    expect(f.unrealised).toBe($("0.03"));
    const flat = positionFigures(null, { bestBid: $("0.5"), bestAsk: $("0.6") }, null);
    expect(flat).toMatchObject({
      side: null,
      held: 0,
      averagePrice: null,
      unrealised: null,
      realised: 0,
    });
  });
});

describe("planFlatten", () => {
  const book = {
    bids: [
      [$("0.50"), n("3")],
      [$("0.49"), n("10")],
    ] as const,
    asks: [
      [$("0.53"), n("4")],
      [$("0.55"), n("10")],
    ] as const,
  };
  it("sells YES into the bids down to the level that closes it all", () => {
    const plan = planFlatten("yes", n("5"), { bids: [...book.bids], asks: [...book.asks] });
    expect(plan).toEqual({
      side: "yes",
      count: n("5"),
      limitPrice: $("0.49"),
      fillable: n("5"),
      expectedProceeds: $("1.50") + $("0.98"),
    });
  });
  it("sells NO into the NO bids (YES asks seen from NO)", () => {
    const plan = planFlatten("no", n("2"), { bids: [...book.bids], asks: [...book.asks] });
    expect(plan).toEqual({
      side: "no",
      count: n("2"),
      limitPrice: $("0.47"),
      fillable: n("2"),
      expectedProceeds: $("0.94"),
    });
  });
  it("says what the book cannot absorb and refuses an empty side", () => {
    expect(planFlatten("yes", n("20"), { bids: [...book.bids], asks: [] })?.fillable).toBe(n("13"));
    expect(planFlatten("yes", n("1"), { bids: [], asks: [] })).toBeNull();
    expect(planFlatten(null, 0, { bids: [], asks: [] })).toBeNull();
  });
});

import { describe, expect, it } from "vitest";

import { changeSince, positionFigures, summarise, yesMark } from "./figures";

const position = (over: Partial<Parameters<typeof positionFigures>[0]> = {}) => ({
  ticker: "KXT-1",
  total_traded_dollars: "0",
  position_fp: "10.00",
  market_exposure_dollars: "4.5000",
  realized_pnl_dollars: "0.2500",
  fees_paid_dollars: "0.0700",
  ...over,
});

describe("yesMark", () => {
  it("takes the settlement value, else the mid floored to the centicent, else the last price", () => {
    expect(yesMark({ yesBid: "0.41", yesAsk: "0.44", settlementValue: "1.0000" })).toBe(1_000_000);
    expect(yesMark({ yesBid: "0.4100", yesAsk: "0.4401" })).toBe(425_000);
    expect(yesMark({ yesBid: "0.4101", yesAsk: "0.4400" })).toBe(425_000);
    expect(yesMark({ yesBid: "0.0000", yesAsk: "0.3000", last: "0.2900" })).toBe(290_000);
    expect(yesMark({ yesBid: "0.2000", yesAsk: "1.0000" })).toBe(null);
  });
});

describe("positionFigures", () => {
  it("values a YES position at the mark and a NO position at $1 − mark", () => {
    const yes = positionFigures(position(), 500_000);
    expect(yes).toMatchObject({
      side: "yes",
      contracts: 1_000,
      averageCost: 450_000,
      mark: 500_000,
      marketValue: 5_000_000,
      unrealised: 500_000,
      unrealisedBps: 1_111,
      realised: 250_000,
      fees: 70_000,
    });
    const no = positionFigures(position({ position_fp: "-10.00" }), 500_000 - 100_000);
    expect(no).toMatchObject({
      side: "no",
      mark: 600_000,
      marketValue: 6_000_000,
      unrealised: 1_500_000,
    });
  });

  it("a flat position is worth nothing and has no average cost", () => {
    const flat = positionFigures(
      position({ position_fp: "0.00", market_exposure_dollars: "0" }),
      500_000,
    );
    expect(flat).toMatchObject({ side: "flat", averageCost: null, marketValue: 0, unrealised: 0 });
  });

  it("an unmarked position has no value and is summarised at cost", () => {
    const row = positionFigures(position(), null);
    expect(row.marketValue).toBe(null);
    const summary = summarise(12_345, [row]);
    expect(summary).toMatchObject({
      cash: 123_450_000,
      positionsValue: 4_500_000,
      unmarked: 1,
      exposure: 4_500_000,
    });
  });
});

describe("changeSince", () => {
  const points = [
    { at: 100, totalCents: 10_000, cashFlowCents: 0 },
    { at: 200, totalCents: 10_500, cashFlowCents: 0 },
    { at: 300, totalCents: 20_700, cashFlowCents: 10_000 },
  ];
  it("is the move since the last point before `since`, less the cash moved in", () => {
    expect(changeSince(points, 150, 20_900)).toBe(20_900 - 10_000 - 10_000);
    expect(changeSince(points, 250, 20_900)).toBe(20_900 - 10_500 - 10_000);
  });
  it("starts from the first point when the account is younger than the period", () => {
    expect(changeSince(points, 50, 20_900)).toBe(20_900 - 10_000 - 10_000);
    expect(changeSince([], 50, 1)).toBe(null);
  });
});

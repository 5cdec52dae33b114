import { describe, expect, it } from "vitest";

import type { Candlestick } from "@/lib/schemas/market";

import { applyTrade, candleToBar, candlesToBars, mergeBars, periodStart, toSide } from "./candles";

function candle(
  end: number,
  price: [string, string, string, string] | null,
  volume = "10.00",
): Candlestick {
  const ohlc = {
    open_dollars: "0.5000",
    low_dollars: "0.4900",
    high_dollars: "0.5100",
    close_dollars: "0.5000",
  };
  return {
    end_period_ts: end,
    yes_bid: ohlc,
    yes_ask: ohlc,
    price: price
      ? {
          open_dollars: price[0],
          high_dollars: price[1],
          low_dollars: price[2],
          close_dollars: price[3],
        }
      : { open_dollars: null, high_dollars: null, low_dollars: null, close_dollars: null },
    volume_fp: volume,
    open_interest_fp: "100.00",
  };
}

describe("candleToBar", () => {
  it("turns dollar strings into cents at the period start, volume into contracts", () => {
    expect(
      candleToBar(candle(3_600, ["0.5600", "0.5800", "0.5550", "0.5700"], "12.50"), 60),
    ).toEqual({
      time: 0,
      open: 56,
      high: 58,
      low: 55.5,
      close: 57,
      volume: 12.5,
    });
  });

  it("skips periods without trades", () => {
    expect(candleToBar(candle(60, null), 1)).toBeNull();
    expect(
      candlesToBars([candle(120, null), candle(60, ["0.1", "0.1", "0.1", "0.1"])], 1),
    ).toHaveLength(1);
  });
});

describe("toSide", () => {
  it("flips to the NO scale, swapping high and low", () => {
    const bar = { time: 0, open: 56, high: 58, low: 55, close: 57, volume: 1 };
    expect(toSide(bar, "no")).toEqual({
      time: 0,
      open: 44,
      high: 45,
      low: 42,
      close: 43,
      volume: 1,
    });
    expect(toSide(bar, "yes")).toBe(bar);
  });
});

describe("mergeBars", () => {
  it("sorts, dedupes and lets the incoming page win", () => {
    const a = { time: 60, open: 1, high: 1, low: 1, close: 1, volume: 1 };
    const b = { time: 0, open: 2, high: 2, low: 2, close: 2, volume: 2 };
    const a2 = { ...a, close: 9 };
    expect(mergeBars([a], [b, a2])).toEqual([b, a2]);
  });
});

describe("applyTrade (the live candle)", () => {
  const last = {
    time: periodStart(Date.UTC(2026, 0, 1, 10, 0), 60),
    open: 50,
    high: 52,
    low: 49,
    close: 51,
    volume: 5,
  };

  it("updates the last bar within its period", () => {
    const next = applyTrade(
      last,
      { yesPriceDollars: "0.5400", countFp: "2.00", epochMs: Date.UTC(2026, 0, 1, 10, 30) },
      60,
    );
    expect(next).toEqual({ ...last, high: 54, close: 54, volume: 7 });
  });

  it("opens a new bar for a later period and ignores older trades", () => {
    const next = applyTrade(
      last,
      { yesPriceDollars: "0.4800", countFp: "1.00", epochMs: Date.UTC(2026, 0, 1, 11, 5) },
      60,
    );
    expect(next).toEqual({
      time: last.time + 3_600,
      open: 48,
      high: 48,
      low: 48,
      close: 48,
      volume: 1,
    });
    expect(
      applyTrade(
        last,
        { yesPriceDollars: "0.48", countFp: "1", epochMs: Date.UTC(2026, 0, 1, 9, 0) },
        60,
      ),
    ).toBeNull();
  });
});

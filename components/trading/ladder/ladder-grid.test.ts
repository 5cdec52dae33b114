import { describe, expect, it } from "vitest";

import { parseDollars } from "@/lib/fixed-point";
import { PRICE_LEVEL_STRUCTURES, toWireRanges } from "@/lib/price-grid";
import type { Market } from "@/lib/schemas/market";

import { ladderAxis, marketPriceRanges } from "./ladder-grid";

const $ = (text: string) => parseDollars(text);

function market(extra: Record<string, unknown>): Market {
  return {
    ticker: "KXTEST-26JAN01-T1",
    event_ticker: "KXTEST-26JAN01",
    title: "t",
    yes_sub_title: "",
    status: "active",
    yes_bid_dollars: "0.4000",
    yes_ask_dollars: "0.4500",
    last_price_dollars: "0.4200",
    volume_fp: "0.00",
    volume_24h_fp: "0.00",
    open_interest_fp: "0.00",
    close_time: "2030-01-01T00:00:00Z",
    ...extra,
  };
}

describe("ladder rows from a market's price_ranges", () => {
  const tapered = toWireRanges(PRICE_LEVEL_STRUCTURES.tapered_deci_cent!);

  it("steps one valid price per row across the tapered bands, highest first", () => {
    const axis = ladderAxis(marketPriceRanges(market({ price_ranges: tapered })), "yes");
    // 0.901…0.999 (99), 0.11…0.90 (80), 0.001…0.100 (100)
    expect(axis.yes).toHaveLength(279);
    expect(axis.yes[0]).toBe($("0.999"));
    expect(axis.yes.at(-1)).toBe($("0.001"));
    const row = (p: string) => axis.rowOf($(p))!;
    // Upper fine band meets the coarse middle at 0.90.
    expect(axis.yes[row("0.901") + 1]).toBe($("0.90"));
    expect(axis.yes[row("0.90") + 1]).toBe($("0.89"));
    // Coarse middle meets the lower fine band at 0.10: 0.11 → 0.10 → 0.099.
    expect(axis.yes[row("0.11") + 1]).toBe($("0.10"));
    expect(axis.yes[row("0.10") + 1]).toBe($("0.099"));
    expect(axis.rowOf($("0.105"))).toBeUndefined();
    // Strictly descending, no duplicate at a shared band boundary.
    for (let i = 1; i < axis.yes.length; i++) expect(axis.yes[i]!).toBeLessThan(axis.yes[i - 1]!);
  });

  it("reads price_ranges over the structure name, and falls back to the name, then whole cents", () => {
    const deci = toWireRanges(PRICE_LEVEL_STRUCTURES.deci_cent!);
    const fromRanges = marketPriceRanges(
      market({ price_ranges: deci, price_level_structure: "linear_cent" }),
    );
    expect(ladderAxis(fromRanges, "yes").yes).toHaveLength(999);
    const fromName = marketPriceRanges(market({ price_level_structure: "tapered_deci_cent" }));
    expect(ladderAxis(fromName, "yes").yes).toHaveLength(279);
    const fallback = marketPriceRanges(market({ price_ranges: [{ start: "x" }] }));
    expect(ladderAxis(fallback, "yes").yes).toHaveLength(99);
  });

  it("the NO view lists NO prices descending, each the complement of its row's YES price", () => {
    const ranges = marketPriceRanges(market({ price_ranges: tapered }));
    const no = ladderAxis(ranges, "no");
    expect(no.display[0]).toBe($("0.999"));
    expect(no.yes[0]).toBe($("0.001"));
    no.yes.forEach((yes, i) => expect(no.display[i]).toBe(1_000_000 - yes));
    for (let i = 1; i < no.display.length; i++)
      expect(no.display[i]!).toBeLessThan(no.display[i - 1]!);
  });
});

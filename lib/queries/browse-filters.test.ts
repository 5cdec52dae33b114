import { describe, expect, it } from "vitest";

import type { Market } from "@/lib/schemas/market";

import {
  applyBrowseFilters,
  browseFiltersToParams,
  DEFAULT_FILTERS,
  marketMatchesStatus,
  parseBrowseFilters,
  STATUS_OPTIONS,
  priceMove,
  upstreamMarketQuery,
} from "./browse-filters";

function market(ticker: string, overrides: Partial<Record<string, string>> = {}): Market {
  return {
    ticker,
    event_ticker: ticker.split("-").slice(0, 2).join("-"),
    title: ticker,
    yes_sub_title: "",
    status: "active",
    yes_bid_dollars: "0.4000",
    yes_ask_dollars: "0.4200",
    last_price_dollars: "0.4100",
    previous_price_dollars: "0.4000",
    volume_fp: "10.00",
    volume_24h_fp: "1.00",
    open_interest_fp: "5.00",
    close_time: "2026-11-22T00:00:00Z",
    ...overrides,
  } as Market;
}

describe("URL state", () => {
  it("round-trips filters through the query string, leaving defaults out", () => {
    const filters = {
      status: "settled",
      sort: "move",
      category: "Economics",
      series: "KXCPI",
      closing: "24h",
      mine: true,
    } as const;
    const params = browseFiltersToParams(filters);
    expect(params.toString()).toBe(
      "status=settled&sort=move&category=Economics&series=KXCPI&closing=24h&mine=1",
    );
    expect(parseBrowseFilters(params)).toEqual(filters);
    expect(browseFiltersToParams(DEFAULT_FILTERS).toString()).toBe("");
  });

  it("falls back to defaults on junk instead of failing the page", () => {
    const parsed = parseBrowseFilters(
      new URLSearchParams("status=bogus&sort=x&series=../etc&closing=5y"),
    );
    expect(parsed).toEqual(DEFAULT_FILTERS);
  });

  it("sends every filter but 'has my position' to the server, which sorts the whole universe", () => {
    expect(
      upstreamMarketQuery({ ...DEFAULT_FILTERS, status: "all", series: "KXCPI", closing: "1h" }),
    ).toEqual({ series_ticker: "KXCPI", closing: "1h", sort: "volume_24h" });
    // A series implies its category; the category alone filters by it.
    expect(
      upstreamMarketQuery({ ...DEFAULT_FILTERS, category: "Economics", mine: true, sort: "move" }),
    ).toEqual({ status: "open", category: "Economics", sort: "move" });
  });
});

describe("applyBrowseFilters", () => {
  const now = Date.parse("2026-11-21T12:00:00Z");
  const a = market("KXCPI-26OCT-T0.2", {
    volume_24h_fp: "5.00",
    close_time: "2026-11-21T12:30:00Z",
    last_price_dollars: "0.5000",
  });
  const b = market("KXHIGHNY-26NOV21-B50", { volume_24h_fp: "50.00", open_interest_fp: "1.00" });
  const c = market("KXBTC-26NOV2117-B1", {
    volume_24h_fp: "0.50",
    open_interest_fp: "99.00",
    last_price_dollars: "0.1000",
  });

  it("sorts by each key", () => {
    const tickers = (sort: (typeof DEFAULT_FILTERS)["sort"]) =>
      applyBrowseFilters([a, b, c], { ...DEFAULT_FILTERS, sort }, { now }).map((m) => m.ticker);
    expect(tickers("volume_24h")).toEqual([b.ticker, a.ticker, c.ticker]);
    expect(tickers("open_interest")).toEqual([c.ticker, a.ticker, b.ticker]);
    expect(tickers("close_time")[0]).toBe(a.ticker);
    expect(tickers("move")).toEqual([c.ticker, a.ticker, b.ticker]);
  });

  it("filters by category, closing window and positions", () => {
    const categoryOfSeries = new Map([
      ["KXCPI", "Economics"],
      ["KXHIGHNY", "Weather"],
      ["KXBTC", "Crypto"],
    ]);
    expect(
      applyBrowseFilters(
        [a, b, c],
        { ...DEFAULT_FILTERS, category: "Economics" },
        { now, categoryOfSeries },
      ),
    ).toEqual([a]);
    expect(applyBrowseFilters([a, b, c], { ...DEFAULT_FILTERS, closing: "1h" }, { now })).toEqual([
      a,
    ]);
    expect(
      applyBrowseFilters(
        [a, b, c],
        { ...DEFAULT_FILTERS, mine: true },
        { now, positions: new Set([c.ticker]) },
      ),
    ).toEqual([c]);
  });

  it("measures moves in integer micro-dollars", () => {
    expect(
      priceMove(market("X-1", { last_price_dollars: "0.2900", previous_price_dollars: "0.2800" })),
    ).toBe(10_000);
  });
});

describe("marketMatchesStatus", () => {
  const cases: Array<[string, string[]]> = [
    ["active", ["open", "all"]],
    ["open", ["open", "all"]],
    ["initialized", ["unopened", "all"]],
    ["unopened", ["unopened", "all"]],
    ["closed", ["closed", "all"]],
    ["determined", ["closed", "all"]],
    ["disputed", ["closed", "all"]],
    ["amended", ["closed", "all"]],
    ["finalized", ["settled", "all"]],
    ["settled", ["settled", "all"]],
    ["some_new_state", ["all"]],
  ];
  it.each(cases)("puts a market that is %s under %j only", (status, filters) => {
    const matching = STATUS_OPTIONS.filter((filter) =>
      marketMatchesStatus(market("KXA-1-T1", { status }), filter),
    );
    expect(matching).toEqual(filters);
  });
});

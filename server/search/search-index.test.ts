import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { KalshiEvent, Series } from "@/lib/schemas/market";
import { createPublicKalshiClient } from "@/server/kalshi/client";
import { startSimExchange, type RunningSim } from "@/server/sim/start";

import { buildIndex, resetSearchIndexesForTests, search, searchIndex } from "./search-index";

const series: Series[] = [
  {
    ticker: "KXCPI",
    frequency: "monthly",
    title: "CPI month-over-month",
    category: "Economics",
    tags: ["Inflation"],
    fee_type: "quadratic",
  },
];
const events = [
  {
    event_ticker: "KXCPI-26OCT",
    series_ticker: "KXCPI",
    title: "CPI in October 2026",
    sub_title: "Oct 2026",
    mutually_exclusive: false,
    markets: [
      {
        ticker: "KXCPI-26OCT-T0.2",
        event_ticker: "KXCPI-26OCT",
        title: "Will CPI rise more than 0.2% in October?",
        yes_sub_title: "Above 0.2%",
        status: "active",
      },
      {
        ticker: "KXCPI-26OCT-T0.3",
        event_ticker: "KXCPI-26OCT",
        title: "Will CPI rise more than 0.3% in October?",
        yes_sub_title: "Above 0.3%",
        status: "finalized",
      },
    ],
  },
] as unknown as KalshiEvent[];

describe("searchIndex", () => {
  const index = buildIndex(series, events, 0);

  it("finds by a word of the title, by prefix, and by ticker", () => {
    expect(searchIndex(index, "october").map((hit) => hit.kind)).toContain("market");
    expect(searchIndex(index, "inflat")[0]?.ticker).toBe("KXCPI");
    expect(searchIndex(index, "KXCPI-26OCT-T0.3")[0]).toMatchObject({
      kind: "market",
      ticker: "KXCPI-26OCT-T0.3",
      href: "/markets/KXCPI-26OCT-T0.3",
    });
  });

  it("needs every word to match and ranks live markets before settled ones", () => {
    expect(searchIndex(index, "cpi weather")).toEqual([]);
    const markets = searchIndex(index, "cpi october", { kind: "market" });
    expect(markets.map((hit) => hit.ticker)).toEqual(["KXCPI-26OCT-T0.2", "KXCPI-26OCT-T0.3"]);
  });
});

describe("search against the simulator", () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSimExchange({ port: 0, bots: false });
    resetSearchIndexesForTests();
  });
  afterAll(async () => {
    await sim.close();
  });

  it("indexes every series, event and market and finds a market by a title word", async () => {
    const client = createPublicKalshiClient(sim.restBaseUrl);
    const answer = await search(sim.restBaseUrl, client, { q: "temp nyc", kind: "market" });
    expect(answer.indexed).toBeGreaterThan(80);
    expect(answer.hits.length).toBeGreaterThan(0);
    expect(answer.hits.every((hit) => hit.kind === "market" && /temp/i.test(hit.title))).toBe(true);
  });
});

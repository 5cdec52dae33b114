/**
 * Conformance: the official `kalshi-typescript` SDK, unchanged, against a
 * running simulator. Every market-data method is called and every response
 * is checked against the SDK model's own required fields and JSON types.
 */
import { Configuration, EventsApi, MarketApi, SearchApi } from "kalshi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { sdkRequiredFields, sdkShapeProblems } from "@/server/sim/testing/sdk-required-fields";

describe("sdk-required-fields helper", () => {
  it("reads required and optional fields from the SDK source", () => {
    const market = sdkRequiredFields("market");
    expect(market).toContain("price_level_structure");
    expect(market).toContain("volume_24h_fp");
    expect(market).not.toContain("floor_strike");
    expect(sdkRequiredFields("trade")).not.toContain("taker_side");
  });

  it("reports missing fields and wrong types, following nested models", () => {
    const problems = sdkShapeProblems("get-market-orderbooks-response", {
      orderbooks: [{ ticker: 5, orderbook_fp: { yes_dollars: [["0.5000", 3]] } }],
    });
    expect(problems).toEqual([
      "get-market-orderbooks-response.orderbooks[0].ticker: expected string, got number",
      "get-market-orderbooks-response.orderbooks[0].orderbook_fp.yes_dollars[0][1]: expected string, got number",
      "get-market-orderbooks-response.orderbooks[0].orderbook_fp.no_dollars: required by the SDK's OrderbookCountFp but missing",
    ]);
  });
});

describe("market data through the official SDK", () => {
  let sim: RunningSim;
  let markets: MarketApi;
  let events: EventsApi;
  let search: SearchApi;

  beforeAll(async () => {
    sim = await startSimExchange({ port: 0, bots: false, seed: 11 });
    const configuration = new Configuration({ basePath: sim.restBaseUrl });
    markets = new MarketApi(configuration);
    events = new EventsApi(configuration);
    search = new SearchApi(configuration);
  });

  afterAll(async () => {
    await sim?.close();
  });

  const conforms = (model: string, data: unknown) =>
    expect(sdkShapeProblems(model, data)).toEqual([]);

  it("series", async () => {
    const list = await markets.getSeriesList(undefined, undefined, true, true);
    conforms("get-series-list-response", list.data);
    expect(list.data.series.length).toBeGreaterThanOrEqual(6);
    conforms("get-series-response", (await markets.getSeries("KXHIGHNY", true)).data);
  });

  it("events, one event, metadata, multivariate", async () => {
    const list = await events.getEvents(200, undefined, true, true);
    conforms("get-events-response", list.data);
    const all = list.data.events;
    expect(all.length).toBeGreaterThan(10);
    for (const status of ["open", "closed", "settled", "unopened"] as const) {
      conforms(
        "get-events-response",
        (await events.getEvents(5, undefined, false, false, status)).data,
      );
    }
    const paged = await events.getEvents(3);
    const next = await events.getEvents(3, paged.data.cursor);
    expect(next.data.events[0]?.event_ticker).toBe(all[3]?.event_ticker);
    const ticker = all[0]!.event_ticker;
    conforms("get-event-response", (await events.getEvent(ticker, true)).data);
    conforms("get-event-response", (await events.getEvent(ticker)).data);
    conforms("get-event-metadata-response", (await events.getEventMetadata(ticker)).data);
    conforms("get-multivariate-events-response", (await events.getMultivariateEvents()).data);
    conforms("get-event-fee-changes-response", (await events.getEventFeeChanges(ticker)).data);
  });

  it("markets in every state and the single-market view", async () => {
    const list = await markets.getMarkets(1000);
    conforms("get-markets-response", list.data);
    const statuses = new Set(list.data.markets.map((m) => m.status));
    for (const s of ["initialized", "active", "closed", "determined", "finalized"])
      expect(statuses).toContain(s);
    for (const m of list.data.markets)
      conforms("get-market-response", (await markets.getMarket(m.ticker)).data);
    const open = await markets.getMarkets(
      10,
      undefined,
      undefined,
      "KXBTC",
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      "open",
    );
    expect(open.data.markets.every((m) => m.status === "active")).toBe(true);
  });

  it("orderbooks and trades", async () => {
    const open = (
      await markets.getMarkets(
        200,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        "open",
      )
    ).data.markets;
    const book = await markets.getMarketOrderbook(open[0]!.ticker, 3);
    conforms("get-market-orderbook-response", book.data);
    expect(
      book.data.orderbook_fp.yes_dollars.length + book.data.orderbook_fp.no_dollars.length,
    ).toBeGreaterThan(0);
    const books = await markets.getMarketOrderbooks(open.slice(0, 4).map((m) => m.ticker));
    conforms("get-market-orderbooks-response", books.data);
    expect(books.data.orderbooks).toHaveLength(4);
    const trades = await markets.getTrades(500);
    conforms("get-trades-response", trades.data);
    expect(trades.data.trades).toHaveLength(500);
    const more = await markets.getTrades(500, trades.data.cursor);
    expect(more.data.trades[0]?.trade_id).not.toBe(trades.data.trades[0]?.trade_id);
    conforms("get-trades-response", (await markets.getTrades(50, undefined, open[0]!.ticker)).data);
  });

  it("candlesticks: market, batch and event", async () => {
    const open = (
      await markets.getMarkets(
        200,
        undefined,
        undefined,
        "KXHIGHNY",
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        "open",
      )
    ).data.markets;
    const market = open[0]!;
    const end = Math.floor(Date.now() / 1000);
    const start = end - 3 * 86_400;
    for (const period of [1, 60, 1440] as const) {
      const candles = await markets.getMarketCandlesticks(
        "KXHIGHNY",
        market.ticker,
        start,
        end,
        period,
        true,
      );
      conforms("get-market-candlesticks-response", candles.data);
      expect(candles.data.candlesticks.length).toBeGreaterThan(0);
    }
    const batch = await markets.batchGetMarketCandlesticks(
      open
        .slice(0, 3)
        .map((m) => m.ticker)
        .join(","),
      start,
      end,
      60,
      true,
    );
    conforms("batch-get-market-candlesticks-response", batch.data);
    expect(batch.data.markets).toHaveLength(3);
    const byEvent = await events.getMarketCandlesticksByEvent(
      market.event_ticker,
      "KXHIGHNY",
      start,
      end,
      60,
    );
    conforms("get-event-candlesticks-response", byEvent.data);
    expect(byEvent.data.market_candlesticks.length).toBe(byEvent.data.market_tickers.length);
  });

  it("search helpers", async () => {
    conforms(
      "get-tags-for-series-categories-response",
      (await search.getTagsForSeriesCategories()).data,
    );
    conforms("get-filters-by-sports-response", (await search.getFiltersForSports()).data);
  });

  it("errors carry Kalshi's ErrorResponse body", async () => {
    const missing = await markets
      .getMarket("NOPE")
      .catch((error: { response: { status: number; data: unknown } }) => error.response);
    expect(missing.status).toBe(404);
    conforms("error-response", missing.data);
  });
});

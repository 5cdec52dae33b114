/**
 * Conformance: the official `kalshi-typescript` SDK, unchanged, calls every
 * HistoricalApi and AccountApi method against a running simulator, and each
 * response is checked against the SDK model's required fields and types.
 */
import axios from "axios";
import { AccountApi, Configuration, HistoricalApi } from "kalshi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pinHistoricalCutoffs } from "@/server/sim/historical/cutoff";
import type { MarketRecord } from "@/server/sim/model";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { addMarket } from "@/server/sim/testing/engine-fixtures";
import { createTestAccount, type TestAccount } from "@/server/sim/testing/new-account";
import { sdkShapeProblems } from "@/server/sim/testing/sdk-required-fields";

let sim: RunningSim;
let trader: TestAccount;
let market: MarketRecord;
let historical: HistoricalApi;
let account: AccountApi;

const conforms = (model: string, data: unknown) =>
  expect(sdkShapeProblems(model, data)).toEqual([]);

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false, seed: 5 });
  const { state, engine } = sim.exchange;
  trader = await createTestAccount(sim.restBaseUrl, { tier: "premier" });
  const other = await createTestAccount(sim.restBaseUrl);
  market = addMarket(state, {
    ticker: "KXSDKH-26JAN01-T1",
    eventTicker: "KXSDKH-26JAN01",
    seriesTicker: "KXSDKH",
  });
  state.events.set(market.eventTicker, {
    eventTicker: market.eventTicker,
    seriesTicker: market.seriesTicker,
    title: "SDK history",
    subTitle: "",
    category: "Test",
    mutuallyExclusive: false,
    collateralReturnType: "",
    strikeDate: null,
    strikePeriod: "",
    availableOnBrokers: false,
    marketTickers: [market.ticker],
    imageUrl: "",
    competition: null,
    lastUpdatedTs: state.now(),
  });
  const common = {
    ticker: market.ticker,
    price: 550_000,
    count: 300,
    timeInForce: "good_till_canceled" as const,
  };
  engine.placeOrder({ ...common, userId: trader.userId, side: "bid" });
  engine.placeOrder({ ...common, userId: other.userId, side: "ask" });
  market.status = "finalized";
  market.result = "yes";
  market.settlementValue = 1_000_000;
  market.determinationTime = state.now();
  market.settlementTime = state.now();
  // Everything above is now older than the cutoff.
  const cutoff = state.now() + 60_000;
  pinHistoricalCutoffs(state, {
    marketSettled: cutoff,
    tradesCreated: cutoff,
    ordersUpdated: cutoff,
    marketPositionsLastUpdated: cutoff,
  });
  const configuration = new Configuration({
    basePath: sim.restBaseUrl,
    apiKey: trader.apiKeyId,
    privateKeyPem: trader.privateKeyPem,
  });
  // A fresh axios per API: the SDK's signing interceptor must not leak onto the global instance.
  historical = new HistoricalApi(configuration, undefined, axios.create());
  account = new AccountApi(configuration, undefined, axios.create());
});

afterAll(async () => {
  await sim?.close();
});

describe("HistoricalApi", () => {
  it("cutoff", async () => {
    const { data } = await historical.getHistoricalCutoff();
    conforms("get-historical-cutoff-response", data);
    expect(data.market_positions_last_updated_ts).toBe(data.trades_created_ts);
  });

  it("markets, one market, candlesticks", async () => {
    const list = await historical.getHistoricalMarkets(
      100,
      undefined,
      undefined,
      undefined,
      "KXSDKH",
    );
    conforms("get-markets-response", list.data);
    expect(list.data.markets.map((m) => m.ticker)).toEqual([market.ticker]);
    const one = await historical.getHistoricalMarket(market.ticker);
    conforms("get-market-response", one.data);
    const now = Math.floor(Date.now() / 1000);
    const candles = await historical.getMarketCandlesticksHistorical(
      market.ticker,
      now - 3600,
      now + 120,
      1,
    );
    conforms("get-market-candlesticks-historical-response", candles.data);
    expect(candles.data.candlesticks.some((c) => c.volume === "3.00")).toBe(true);
  });

  it("trades", async () => {
    const { data } = await historical.getTradesHistorical(market.ticker, undefined, undefined, 10);
    conforms("get-trades-response", data);
    expect(data.trades).toHaveLength(1);
    expect(data.trades[0]?.count_fp).toBe("3.00");
  });

  it("fills, orders, positions (signed)", async () => {
    const fills = await historical.getFillsHistorical(market.ticker, undefined, undefined, 10);
    conforms("get-fills-response", fills.data);
    expect(fills.data.fills).toHaveLength(1);
    const orders = await historical.getHistoricalOrders(market.ticker, undefined, undefined, 10);
    conforms("get-orders-response", orders.data);
    expect(orders.data.orders.map((o) => o.status)).toEqual(["executed"]);
    const positions = await historical.getHistoricalPositions(undefined, market.eventTicker, 0, 10);
    conforms("get-positions-response", positions.data);
    expect(positions.data.market_positions.map((p) => p.position_fp)).toEqual(["3.00"]);
  });
});

describe("AccountApi", () => {
  it("limits, endpoint costs, volume progress, upgrade", async () => {
    const limits = await account.getAccountApiLimits();
    conforms("get-account-api-limits-response", limits.data);
    expect(limits.data.usage_tier).toBe("premier");
    expect(limits.data.write).toEqual({ refill_rate: 1000, bucket_capacity: 2000 });
    const costs = await account.getAccountEndpointCosts();
    conforms("get-account-endpoint-costs-response", costs.data);
    expect(costs.data.default_cost).toBe(10);
    const progress = await account.getAccountApiUsageLevelVolumeProgress();
    conforms("get-account-api-usage-level-volume-progress-response", progress.data);
    expect(progress.data.volume_progress[0]?.goals.map((g) => g.level)).toEqual([
      "expert",
      "premier",
      "paragon",
      "prime",
      "prestige",
    ]);
    const upgraded = await account.upgradeAccountApiUsageLevel();
    expect(upgraded.status).toBe(201);
    // Premier is above Advanced and is kept.
    expect((await account.getAccountApiLimits()).data.usage_tier).toBe("premier");
  });
});

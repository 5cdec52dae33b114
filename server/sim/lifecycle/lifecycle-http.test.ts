/**
 * The lifecycle seen from outside: sim-only market controls over HTTP, the
 * `market_lifecycle_v2` and `market_positions` messages a real WebSocket
 * subscriber receives, and GET /portfolio/settlements through the official SDK.
 */
import axios from "axios";
import { Configuration, PortfolioApi } from "kalshi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "@/server/sim/clock";
import type { MarketRecord } from "@/server/sim/model";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { createTestAccount, type TestAccount } from "@/server/sim/testing/new-account";
import { sdkShapeProblems } from "@/server/sim/testing/sdk-required-fields";
import {
  addTestMarket,
  createTrader,
  msgOf,
  signedHeaders,
  TestClient,
  type Frame,
} from "@/server/sim/ws/test-support";

let sim: RunningSim;
let clock: ManualClock;
let origin: string;

beforeAll(async () => {
  // Signatures are checked against the exchange clock, so it starts at wall time and moves only seconds.
  clock = new ManualClock(Date.now());
  sim = await startSimExchange({ port: 0, bots: false, clock, seed: 3, timeScale: 60 });
  origin = new URL(sim.restBaseUrl).origin;
});

afterAll(async () => {
  await sim?.close();
});

async function control(
  ticker: string,
  action: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${origin}/sim/v1/markets/${encodeURIComponent(ticker)}/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const lifecycleOf = (ticker: string, eventType: string) => (frame: Frame) =>
  frame.type === "market_lifecycle_v2" &&
  msgOf(frame).market_ticker === ticker &&
  msgOf(frame).event_type === eventType;

const seconds = (ms: number) => Math.floor(ms / 1000);

describe("sim-only market controls", () => {
  let market: MarketRecord;

  beforeAll(() => {
    market = addTestMarket(sim.exchange.state, "LCHTTP-26DEC31");
  });

  it("404 for an unknown ticker, 409 for a transition the status does not allow, 400 naming the field", async () => {
    expect(await control("NOPE-1", "close")).toEqual({
      status: 404,
      json: { code: "MARKET_NOT_FOUND", message: "market NOPE-1 not found" },
    });
    const conflict = await control(market.ticker, "determine", { result: "yes" });
    expect(conflict.status).toBe(409);
    expect(conflict.json.code).toBe("MARKET_STATUS_CONFLICT");
    expect((await control(market.ticker, "settle")).status).toBe(409);
    expect((await control(market.ticker, "activate")).status).toBe(409);

    const badResult = await control(market.ticker, "determine", { result: "maybe" });
    expect([badResult.status, badResult.json.code]).toEqual([400, "invalid_parameters"]);
    expect(String(badResult.json.message)).toMatch(/^result: /);
    const unknownField = await control(market.ticker, "close", { now: true });
    expect([unknownField.status, unknownField.json.message]).toEqual([400, "unknown field: now"]);
    expect((await control(market.ticker, "determine")).json.code).toBe("missing_parameters");
    expect(market.status).toBe("active");
  });

  it("close, determine (scalar) and settle walk a market to finalized", async () => {
    const closed = await control(market.ticker, "close");
    expect(closed.status).toBe(200);
    expect(closed.json.market).toMatchObject({ ticker: market.ticker, status: "closed" });
    expect((await control(market.ticker, "close")).status).toBe(409);

    const noValue = await control(market.ticker, "determine", { result: "scalar" });
    expect([noValue.status, noValue.json.message]).toEqual([
      400,
      "settlement_value: required with result scalar",
    ]);
    const wrongValue = await control(market.ticker, "determine", {
      result: "yes",
      settlement_value: "0.5000",
    });
    expect([wrongValue.status, wrongValue.json.code]).toEqual([400, "invalid_parameters"]);
    expect(market.status).toBe("closed");

    const determined = await control(market.ticker, "determine", {
      result: "scalar",
      settlement_value: "0.4200",
    });
    expect(determined.status).toBe(200);
    expect(determined.json.market).toMatchObject({
      status: "determined",
      result: "scalar",
      settlement_value_dollars: "0.4200",
    });

    const settled = await control(market.ticker, "settle");
    expect(settled.status).toBe(200);
    expect(settled.json.market).toMatchObject({
      status: "finalized",
      settlement_ts: new Date(clock.now()).toISOString(),
    });
    expect((await control(market.ticker, "settle")).status).toBe(409);
  });

  it("close_time moves the close, and reopens a closed market", async () => {
    const other = addTestMarket(sim.exchange.state, "LCHTTP-26DEC31");
    const later = new Date(other.closeTime + 3_600_000).toISOString();
    expect((await control(other.ticker, "close_time", { close_time: "tomorrow" })).status).toBe(
      400,
    );
    const moved = await control(other.ticker, "close_time", { close_time: later });
    expect(moved.json.market).toMatchObject({ status: "active", close_time: later });
    await control(other.ticker, "close");
    expect(other.status).toBe("closed");
    const reopened = await control(other.ticker, "close_time", { close_time: later });
    expect(reopened.json.market).toMatchObject({ status: "active", close_time: later });
  });
});

describe("lifecycle over WebSocket and settlements through the SDK", () => {
  let account: TestAccount;
  let client: TestClient;
  let market: MarketRecord;

  beforeAll(async () => {
    const { state, engine } = sim.exchange;
    account = await createTestAccount(sim.restBaseUrl);
    market = addTestMarket(state, "LCWS-26DEC31");
    // Determination one (compressed) minute after close, settlement 60 s / 60 after that.
    market.expectedExpirationTime = clock.now() + 60_000;
    market.settlementTimerSeconds = 60;
    const counterparty = createTrader(state).user;
    engine.placeOrder({
      userId: counterparty.userId,
      ticker: market.ticker,
      side: "ask",
      price: 400_000,
      count: 250,
      timeInForce: "good_till_canceled",
    });
    engine.placeOrder({
      userId: account.userId,
      ticker: market.ticker,
      side: "bid",
      price: 400_000,
      count: 250,
      timeInForce: "good_till_canceled",
    });

    client = await TestClient.connect(
      sim.wsUrl,
      signedHeaders({ apiKeyId: account.apiKeyId, privateKeyPem: account.privateKeyPem }),
    );
    await client.command({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["market_lifecycle_v2"] },
    });
    await client.command({ id: 2, cmd: "subscribe", params: { channels: ["market_positions"] } });
  });

  afterAll(() => {
    client?.close();
  });

  it("delivers deactivated, activated and close_date_updated", async () => {
    await control(market.ticker, "deactivate");
    expect(msgOf(await client.waitFor(lifecycleOf(market.ticker, "deactivated")))).toEqual({
      event_type: "deactivated",
      market_ticker: market.ticker,
      is_deactivated: true,
    });
    await control(market.ticker, "activate");
    expect(msgOf(await client.waitFor(lifecycleOf(market.ticker, "activated")))).toEqual({
      event_type: "activated",
      market_ticker: market.ticker,
      is_deactivated: false,
    });
    await control(market.ticker, "close");
    expect(msgOf(await client.waitFor(lifecycleOf(market.ticker, "close_date_updated")))).toEqual({
      event_type: "close_date_updated",
      market_ticker: market.ticker,
      close_ts: seconds(clock.now()),
    });
  });

  it("delivers determined and settled as the clock runs, with the position update in between", async () => {
    const closedAt = market.closeTime;
    clock.set(closedAt + 999);
    sim.exchange.tick();
    expect(market.status).toBe("closed");
    clock.set(closedAt + 1_000);
    sim.exchange.tick();
    expect(market.status).toBe("determined");
    const determined = msgOf(await client.waitFor(lifecycleOf(market.ticker, "determined")));
    expect(determined).toEqual({
      event_type: "determined",
      market_ticker: market.ticker,
      result: market.result,
      determination_ts: seconds(closedAt + 1_000),
      settlement_value: market.result === "yes" ? "1.0000" : "0.0000",
    });

    const from = client.frames.length;
    clock.set(closedAt + 2_000);
    sim.exchange.tick();
    const settledFrame = await client.waitFor(lifecycleOf(market.ticker, "settled"), from);
    expect(msgOf(settledFrame)).toEqual({
      event_type: "settled",
      market_ticker: market.ticker,
      settled_ts: seconds(closedAt + 2_000),
    });
    const positionFrame = client.frames
      .slice(from)
      .find((f) => f.type === "market_position" && msgOf(f).market_ticker === market.ticker);
    expect(msgOf(positionFrame)).toMatchObject({
      position_fp: "0.00",
      position_cost_dollars: "0.0000",
      subaccount: 0,
    });
    expect(client.frames.indexOf(positionFrame!)).toBeLessThan(client.frames.indexOf(settledFrame));
  });

  it("GET /portfolio/settlements through the SDK has every SDK-required field and the exact payout", async () => {
    const api = new PortfolioApi(
      new Configuration({
        basePath: sim.restBaseUrl,
        apiKey: account.apiKeyId,
        privateKeyPem: account.privateKeyPem,
      }),
      undefined,
      axios.create(),
    );
    const { data } = await api.getSettlements(undefined, undefined, market.ticker);
    expect(sdkShapeProblems("get-settlements-response", data)).toEqual([]);
    const yes = market.result === "yes";
    expect(data.settlements).toEqual([
      {
        ticker: market.ticker,
        exchange_index: 0,
        event_ticker: market.eventTicker,
        market_result: market.result,
        yes_count_fp: "2.50",
        yes_total_cost_dollars: "1.0000",
        no_count_fp: "0.00",
        no_total_cost_dollars: "0.0000",
        revenue: yes ? 250 : 0,
        settled_time: new Date(market.settlementTime!).toISOString(),
        fee_cost: expect.stringMatching(/^0\.\d{4}$/),
        value: yes ? 100 : 0,
        subaccount_number: 0,
      },
    ]);
  });
});

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { MarketRecord } from "@/server/sim/model";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import {
  addTestMarket,
  createTrader,
  msgOf,
  signedHeaders,
  TestClient,
  type Frame,
  type Trader,
} from "@/server/sim/ws/test-support";

let sim: RunningSim;
let trader: Trader;
let m1: MarketRecord;
let m2: MarketRecord;
let m3: MarketRecord;
let client: TestClient;

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false });
  const { state } = sim.exchange;
  trader = createTrader(state);
  m1 = addTestMarket(state);
  m2 = addTestMarket(state);
  m3 = addTestMarket(state);
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  client = await TestClient.connect(sim.wsUrl, signedHeaders(trader.key));
});

afterEach(() => {
  client.close();
});

const error = (code: number, text: string, extra: Record<string, unknown> = {}) => ({
  type: "error",
  msg: { code, msg: text, ...extra },
});

async function expectError(
  command: unknown,
  id: number | undefined,
  code: number,
  text: string,
  extra = {},
) {
  const from = client.frames.length;
  client.send(command);
  const frames = await client.drain(from);
  expect(frames).toEqual([{ ...(id === undefined ? {} : { id }), ...error(code, text, extra) }]);
}

describe("subscribe", () => {
  it("sends one subscribed per channel with the command id and sids from 1, then snapshots", async () => {
    const frames = await client.command({
      id: 7,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta", "ticker"], market_tickers: [m1.ticker, m2.ticker] },
    });
    expect(frames[0]).toEqual({
      id: 7,
      type: "subscribed",
      msg: { channel: "orderbook_delta", sid: 1 },
    });
    expect(frames.slice(1, 3).map((f) => [f.type, f.sid, f.seq, msgOf(f).market_ticker])).toEqual([
      ["orderbook_snapshot", 1, 1, m1.ticker],
      ["orderbook_snapshot", 1, 2, m2.ticker],
    ]);
    expect(frames[3]).toEqual({ id: 7, type: "subscribed", msg: { channel: "ticker", sid: 2 } });
    expect(frames).toHaveLength(4);

    // sids are per connection: a second connection starts at 1 again.
    const other = await TestClient.connect(sim.wsUrl, signedHeaders(trader.key));
    const otherFrames = await other.command({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["trade"] },
    });
    expect(otherFrames).toEqual([{ id: 1, type: "subscribed", msg: { channel: "trade", sid: 1 } }]);
    other.close();
  });

  it("accepts market_ticker, and leaves out the id when it is 0 or absent", async () => {
    const frames = await client.command({
      id: 0,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_ticker: m1.ticker },
    });
    expect(frames[0]).toEqual({ type: "subscribed", msg: { channel: "orderbook_delta", sid: 1 } });
    expect(frames[1]).toMatchObject({ type: "orderbook_snapshot", sid: 1, seq: 1 });
    const noId = await client.command({ cmd: "subscribe", params: { channels: ["trade"] } });
    expect(noId).toEqual([{ type: "subscribed", msg: { channel: "trade", sid: 2 } }]);
  });

  it("subscribes to communications and order_group_updates", async () => {
    const frames = await client.command({
      id: 3,
      cmd: "subscribe",
      params: {
        channels: ["communications", "order_group_updates"],
        shard_factor: 4,
        shard_key: 3,
      },
    });
    expect(frames).toEqual([
      { id: 3, type: "subscribed", msg: { channel: "communications", sid: 1 } },
      { id: 3, type: "subscribed", msg: { channel: "order_group_updates", sid: 2 } },
    ]);
  });

  it("re-subscribing adds new markets to the existing sid and answers ok with the full list", async () => {
    await client.command({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_tickers: [m1.ticker] },
    });
    const frames = await client.command({
      id: 2,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_tickers: [m1.ticker, m2.ticker] },
    });
    expect(frames[0]).toEqual({
      id: 2,
      sid: 1,
      seq: 2,
      type: "ok",
      msg: { market_tickers: [m1.ticker, m2.ticker] },
    });
    // Only the new market gets a snapshot, continuing the sid's seq.
    expect(frames.slice(1).map((f) => [f.type, f.seq, msgOf(f).market_ticker])).toEqual([
      ["orderbook_snapshot", 3, m2.ticker],
    ]);
    const list = await client.command({ id: 3, cmd: "list_subscriptions" });
    expect(list).toEqual([{ id: 3, type: "ok", msg: [{ channel: "orderbook_delta", sid: 1 }] }]);
  });

  it("error 1 for invalid JSON and for fields of the wrong type", async () => {
    await expectError("{not json", undefined, 1, "Unable to process message");
    await expectError(
      { id: 4, cmd: "subscribe", params: { channels: "ticker" } },
      4,
      1,
      "Unable to process message",
    );
    await expectError(
      { id: 5, cmd: "subscribe", params: { channels: ["ticker"], market_tickers: "X" } },
      5,
      1,
      "Unable to process message",
    );
    await expectError(
      { id: "6", cmd: "subscribe", params: { channels: ["ticker"] } },
      undefined,
      1,
      "Unable to process message",
    );
    await expectError({ id: 8, cmd: 42 }, 8, 1, "Unable to process message");
    await expectError(
      { id: 9, cmd: "subscribe", params: "ticker" },
      9,
      1,
      "Unable to process message",
    );
  });

  it("error 2 without params, 3 without channels, 8 for an unknown channel", async () => {
    await expectError({ id: 1, cmd: "subscribe" }, 1, 2, "Params required");
    await expectError({ id: 2, cmd: "subscribe", params: {} }, 2, 3, "Channels required");
    await expectError(
      { id: 3, cmd: "subscribe", params: { channels: [] } },
      3,
      3,
      "Channels required",
    );
    await expectError(
      { id: 4, cmd: "subscribe", params: { channels: ["ticker", "nope"] } },
      4,
      8,
      "Unknown channel name",
    );
    await expectError(
      { id: 5, cmd: "subscribe", params: { channels: ["multivariate"] } },
      5,
      8,
      "Unknown channel name",
    );
    // Nothing of a failed command was subscribed.
    expect(await client.command({ id: 6, cmd: "list_subscriptions" })).toEqual([
      { id: 6, type: "ok", msg: [] },
    ]);
  });

  it("error 14 for orderbook_delta without tickers, 16 for an unknown market, 11 for both ticker forms", async () => {
    await expectError(
      { id: 1, cmd: "subscribe", params: { channels: ["orderbook_delta"] } },
      1,
      14,
      "Market Ticker required",
    );
    await expectError(
      {
        id: 2,
        cmd: "subscribe",
        params: { channels: ["orderbook_delta"], market_id: m1.marketId },
      },
      2,
      14,
      "Market Ticker required",
    );
    await expectError(
      {
        id: 3,
        cmd: "subscribe",
        params: { channels: ["orderbook_delta"], market_tickers: [m1.ticker, "NO-SUCH-MARKET"] },
      },
      3,
      16,
      "Market not found",
      { market_ticker: "NO-SUCH-MARKET" },
    );
    await expectError(
      {
        id: 4,
        cmd: "subscribe",
        params: { channels: ["ticker"], market_ticker: m1.ticker, market_tickers: [m2.ticker] },
      },
      4,
      11,
      "Invalid parameter",
    );
    await expectError(
      { id: 5, cmd: "subscribe", params: { channels: ["ticker"], market_id: "not-a-uuid" } },
      5,
      11,
      "Invalid parameter",
      { market_id: "not-a-uuid" },
    );
  });

  it("communications sharding errors 19-22", async () => {
    const sub = (params: Record<string, unknown>, id: number) => ({
      id,
      cmd: "subscribe",
      params: { channels: ["communications"], ...params },
    });
    await expectError(sub({ shard_factor: 0 }, 1), 1, 19, "shard_factor must be > 0");
    await expectError(
      sub({ shard_key: 1 }, 2),
      2,
      20,
      "shard_factor is required when shard_key is set",
    );
    await expectError(
      sub({ shard_factor: 4, shard_key: 4 }, 3),
      3,
      21,
      "shard_key must be >= 0 and < shard_factor",
    );
    await expectError(
      sub({ shard_factor: 4, shard_key: -1 }, 4),
      4,
      21,
      "shard_key must be >= 0 and < shard_factor",
    );
    await expectError(sub({ shard_factor: 101 }, 5), 5, 22, "shard_factor must be <= 100");
  });

  it("ticker accepts market ids and answers add_markets with market_ids", async () => {
    const frames = await client.command({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["ticker"], market_ids: [m1.marketId] },
    });
    expect(frames).toEqual([{ id: 1, type: "subscribed", msg: { channel: "ticker", sid: 1 } }]);
    const ok = await client.command({
      id: 2,
      cmd: "update_subscription",
      params: { sid: 1, action: "add_markets", market_ids: [m2.marketId] },
    });
    expect(ok).toEqual([
      { id: 2, sid: 1, seq: 1, type: "ok", msg: { market_ids: [m1.marketId, m2.marketId] } },
    ]);
    await expectError(
      { id: 3, cmd: "subscribe", params: { channels: ["fill"], market_id: m1.marketId } },
      3,
      11,
      "Invalid parameter",
    );
  });
});

describe("unsubscribe", () => {
  it("sends one unsubscribed per sid with top-level sid and seq", async () => {
    await client.command({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta", "ticker"], market_ticker: m1.ticker },
    });
    const frames = await client.command({ id: 2, cmd: "unsubscribe", params: { sids: [1, 2] } });
    expect(frames).toEqual([
      { id: 2, sid: 1, seq: 2, type: "unsubscribed" },
      { id: 2, sid: 2, seq: 1, type: "unsubscribed" },
    ]);
    expect(await client.command({ id: 3, cmd: "list_subscriptions" })).toEqual([
      { id: 3, type: "ok", msg: [] },
    ]);
  });

  it("errors 2, 4 and 7", async () => {
    await expectError({ id: 1, cmd: "unsubscribe" }, 1, 2, "Params required");
    await expectError({ id: 2, cmd: "unsubscribe", params: {} }, 2, 4, "Subscription IDs required");
    await expectError(
      { id: 3, cmd: "unsubscribe", params: { sids: [] } },
      3,
      4,
      "Subscription IDs required",
    );
    await expectError(
      { id: 4, cmd: "unsubscribe", params: { sids: [99] } },
      4,
      7,
      "Unknown subscription ID",
    );
    await expectError(
      { id: 5, cmd: "unsubscribe", params: { sids: ["1"] } },
      5,
      1,
      "Unable to process message",
    );
  });
});

describe("update_subscription", () => {
  beforeEach(async () => {
    await client.command({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_tickers: [m1.ticker] },
    });
  });

  it("add_markets answers ok with the complete list, then snapshots the new markets", async () => {
    const frames = await client.command({
      id: 2,
      cmd: "update_subscription",
      params: { sids: [1], market_tickers: [m2.ticker, m3.ticker], action: "add_markets" },
    });
    expect(frames[0]).toEqual({
      id: 2,
      sid: 1,
      seq: 2,
      type: "ok",
      msg: { market_tickers: [m1.ticker, m2.ticker, m3.ticker] },
    });
    expect(frames.slice(1).map((f) => [f.type, f.sid, f.seq, msgOf(f).market_ticker])).toEqual([
      ["orderbook_snapshot", 1, 3, m2.ticker],
      ["orderbook_snapshot", 1, 4, m3.ticker],
    ]);
  });

  it("delete_markets with a single sid answers ok with what is left", async () => {
    await client.command({
      id: 2,
      cmd: "update_subscription",
      params: { sid: 1, market_ticker: m2.ticker, action: "add_markets" },
    });
    const frames = await client.command({
      id: 3,
      cmd: "update_subscription",
      params: { sid: 1, market_tickers: [m1.ticker], action: "delete_markets" },
    });
    expect(frames).toEqual([
      { id: 3, sid: 1, seq: 4, type: "ok", msg: { market_tickers: [m2.ticker] } },
    ]);
  });

  it("skip_ticker_ack leaves the market lists out of ok", async () => {
    const sub = await client.command({
      id: 2,
      cmd: "subscribe",
      params: { channels: ["fill"], market_tickers: [m1.ticker], skip_ticker_ack: true },
    });
    expect(sub).toEqual([{ id: 2, type: "subscribed", msg: { channel: "fill", sid: 2 } }]);
    const frames = await client.command({
      id: 3,
      cmd: "update_subscription",
      params: { sid: 2, market_ticker: m2.ticker, action: "add_markets" },
    });
    expect(frames).toEqual([{ id: 3, sid: 2, seq: 1, type: "ok", msg: {} }]);
  });

  it("get_snapshot sends a snapshot per ticker under the sid, then ok", async () => {
    const frames = await client.command({
      id: 2,
      cmd: "update_subscription",
      params: { sids: [1], market_tickers: [m1.ticker], action: "get_snapshot" },
    });
    expect(frames.map((f) => [f.type, f.sid, f.seq])).toEqual([
      ["orderbook_snapshot", 1, 2],
      ["ok", 1, 3],
    ]);
    expect(frames[1]).toEqual({
      id: 2,
      sid: 1,
      seq: 3,
      type: "ok",
      msg: { market_tickers: [m1.ticker] },
    });
  });

  it("errors 12, 15, 7, 13, 14, 16, 11", async () => {
    const upd = (id: number, params: Record<string, unknown>) => ({
      id,
      cmd: "update_subscription",
      params,
    });
    await expectError({ id: 1, cmd: "update_subscription" }, 1, 2, "Params required");
    await expectError(
      upd(2, { action: "add_markets", market_ticker: m2.ticker }),
      2,
      12,
      "Exactly one subscription ID is required",
    );
    await expectError(
      upd(3, { sids: [1, 2], action: "add_markets" }),
      3,
      12,
      "Exactly one subscription ID is required",
    );
    await expectError(
      upd(4, { sid: 1, sids: [1], action: "add_markets" }),
      4,
      12,
      "Exactly one subscription ID is required",
    );
    await expectError(upd(5, { sid: 1, market_ticker: m2.ticker }), 5, 15, "Action required");
    await expectError(
      upd(6, { sid: 9, action: "add_markets", market_ticker: m2.ticker }),
      6,
      7,
      "Unknown subscription ID",
    );
    await expectError(upd(7, { sid: 1, action: "subscribe_indices" }), 7, 13, "Unsupported action");
    await expectError(upd(8, { sid: 1, action: "add_markets" }), 8, 14, "Market Ticker required");
    await expectError(
      upd(9, { sid: 1, action: "add_markets", market_tickers: ["NOPE-1"] }),
      9,
      16,
      "Market not found",
      {
        market_ticker: "NOPE-1",
      },
    );
    await expectError(
      upd(10, { sid: 1, action: "get_snapshot", market_ticker: m1.ticker }),
      10,
      11,
      "Invalid parameter",
    );
    await expectError(
      upd(11, { sid: 1, action: "get_snapshot", market_tickers: [m2.ticker] }),
      11,
      11,
      "Invalid parameter",
      {
        market_ticker: m2.ticker,
      },
    );
    await expectError(
      upd(12, {
        sid: 1,
        action: "add_markets",
        market_ticker: m2.ticker,
        market_tickers: [m3.ticker],
      }),
      12,
      11,
      "Invalid parameter",
    );
    await expectError(upd(13, { sid: 1, action: 5 }), 13, 1, "Unable to process message");

    await client.command({
      id: 20,
      cmd: "subscribe",
      params: { channels: ["ticker", "market_lifecycle_v2"] },
    });
    await expectError(
      upd(21, { sid: 2, action: "get_snapshot", market_tickers: [m1.ticker] }),
      21,
      13,
      "Unsupported action",
    );
    await expectError(
      upd(22, { sid: 3, action: "add_markets", market_ticker: m1.ticker }),
      22,
      13,
      "Unsupported action",
    );
    await expectError(
      upd(23, { sid: 2, action: "delete_markets", market_ticker: m1.ticker }),
      23,
      11,
      "Invalid parameter",
    );
  });
});

describe("list_subscriptions and unknown commands", () => {
  it("lists channel and sid of every subscription", async () => {
    await client.command({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["fill", "user_orders", "market_positions"] },
    });
    const frames = await client.command({ id: 2, cmd: "list_subscriptions" });
    expect(frames).toEqual([
      {
        id: 2,
        type: "ok",
        msg: [
          { channel: "fill", sid: 1 },
          { channel: "user_orders", sid: 2 },
          { channel: "market_positions", sid: 3 },
        ],
      },
    ]);
  });

  it("error 5 for an unknown or missing cmd", async () => {
    await expectError({ id: 1, cmd: "subscribe_all" }, 1, 5, "Unknown command");
    await expectError({ id: 2 }, 2, 5, "Unknown command");
  });

  it("keeps the connection usable after errors", async () => {
    await expectError("]]]", undefined, 1, "Unable to process message");
    const frames: Frame[] = await client.command({
      id: 3,
      cmd: "subscribe",
      params: { channels: ["trade"] },
    });
    expect(frames).toEqual([{ id: 3, type: "subscribed", msg: { channel: "trade", sid: 1 } }]);
  });
});

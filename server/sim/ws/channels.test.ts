import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDollars } from "@/lib/fixed-point";
import type { MarketRecord } from "@/server/sim/model";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import type { SimState } from "@/server/sim/state";
import {
  addTestMarket,
  createTrader,
  msgOf,
  signedHeaders,
  TestClient,
  type Trader,
} from "@/server/sim/ws/test-support";

let sim: RunningSim;
let state: SimState;
let alice: Trader;
let bob: Trader;
let carol: Trader;

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false });
  state = sim.exchange.state;
  alice = createTrader(state);
  bob = createTrader(state);
  carol = createTrader(state);
});

afterAll(async () => {
  await sim.close();
});

function place(
  trader: Trader,
  ticker: string,
  side: "bid" | "ask",
  price: string,
  contracts: number,
  clientOrderId?: string,
) {
  return sim.exchange.engine.placeOrder({
    userId: trader.user.userId,
    ticker,
    side,
    price: parseDollars(price),
    count: contracts * 100,
    timeInForce: "good_till_canceled",
    clientOrderId,
  });
}

const PRIVATE = ["fill", "user_orders", "market_positions"];

describe("private channels", () => {
  it("deliver only the connection user's fills, orders and positions", async () => {
    const market = addTestMarket(state);
    const clients = new Map<string, TestClient>();
    for (const trader of [alice, bob, carol]) {
      const client = await TestClient.connect(sim.wsUrl, signedHeaders(trader.key));
      await client.command({ id: 1, cmd: "subscribe", params: { channels: PRIVATE } });
      clients.set(trader.user.userId, client);
    }
    const starts = new Map([...clients].map(([userId, client]) => [userId, client.frames.length]));

    place(alice, market.ticker, "bid", "0.55", 10, "alice-bid");
    place(bob, market.ticker, "ask", "0.55", 4, "bob-ask");
    place(carol, market.ticker, "ask", "0.50", 6, "carol-ask");

    for (const trader of [alice, bob, carol]) {
      const client = clients.get(trader.user.userId);
      if (!client) throw new Error("client missing");
      const frames = await client.drain(starts.get(trader.user.userId) ?? 0);
      expect(frames.length).toBeGreaterThan(0);
      for (const frame of frames) {
        const msg = msgOf(frame);
        if (frame.type === "fill") {
          expect(state.orders.get(msg.order_id as string)?.userId).toBe(trader.user.userId);
        } else if (frame.type === "user_order") {
          expect(msg.user_id).toBe(trader.user.userId);
        } else if (frame.type === "market_position") {
          expect(msg.user_id).toBe(trader.user.userId);
        } else {
          throw new Error(`unexpected ${frame.type}`);
        }
      }
      const types = new Set(frames.map((f) => f.type));
      expect(types).toEqual(new Set(["fill", "user_order", "market_position"]));
    }

    // Alice bought 4 from Bob and 6 from Carol: her view of it.
    const aliceClient = clients.get(alice.user.userId);
    if (!aliceClient) throw new Error("client missing");
    const aliceFrames = aliceClient.frames.slice(starts.get(alice.user.userId));
    const fills = aliceFrames.filter((f) => f.type === "fill").map(msgOf);
    expect(
      fills.map((f) => [
        f.count_fp,
        f.yes_price_dollars,
        f.is_taker,
        f.book_side,
        f.outcome_side,
        f.client_order_id,
      ]),
    ).toEqual([
      ["4.00", "0.5500", false, "bid", "yes", "alice-bid"],
      ["6.00", "0.5500", false, "bid", "yes", "alice-bid"],
    ]);
    expect(fills.map((f) => f.post_position_fp)).toEqual(["4.00", "10.00"]);
    expect(typeof fills[0]?.fee_cost).toBe("string");
    expect(fills[0]?.fee_cost).toMatch(/^-?\d+\.\d{4,6}$/);
    const orders = aliceFrames.filter((f) => f.type === "user_order").map(msgOf);
    expect(orders.map((o) => [o.status, o.fill_count_fp, o.remaining_count_fp])).toEqual([
      ["resting", "0.00", "10.00"], // created
      ["resting", "0.00", "10.00"], // rested on the book
      ["resting", "4.00", "6.00"],
      ["executed", "10.00", "0.00"],
    ]);
    expect(orders[0]).toMatchObject({
      ticker: market.ticker,
      client_order_id: "alice-bid",
      book_side: "bid",
      is_yes: true,
    });
    const positions = aliceFrames.filter((f) => f.type === "market_position").map(msgOf);
    expect(positions.at(-1)).toMatchObject({
      market_ticker: market.ticker,
      position_fp: "10.00",
      position_cost_dollars: "5.5000",
      volume_fp: "10.00",
    });

    // Bob's short shows as a negative position.
    const bobClient = clients.get(bob.user.userId);
    const bobPositions =
      bobClient?.frames.filter((f) => f.type === "market_position").map(msgOf) ?? [];
    expect(bobPositions.at(-1)).toMatchObject({ position_fp: "-4.00" });

    for (const client of clients.values()) client.close();
  });

  it("filter private channels by market", async () => {
    const wanted = addTestMarket(state);
    const ignored = addTestMarket(state);
    const client = await TestClient.connect(sim.wsUrl, signedHeaders(alice.key));
    await client.command({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["user_orders", "fill"], market_tickers: [wanted.ticker] },
    });
    const from = client.frames.length;
    place(alice, ignored.ticker, "bid", "0.10", 1);
    place(alice, wanted.ticker, "bid", "0.10", 1);
    const frames = await client.drain(from);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.every((f) => msgOf(f).ticker === wanted.ticker)).toBe(true);
    client.close();
  });
});

describe("public channels", () => {
  let market: MarketRecord;

  it("ticker: initial snapshot on request, updates for every market without a filter", async () => {
    market = addTestMarket(state);
    place(bob, market.ticker, "bid", "0.30", 5);
    place(bob, market.ticker, "ask", "0.35", 2);
    const client = await TestClient.connect(sim.wsUrl, signedHeaders(alice.key));
    const frames = await client.command({
      id: 1,
      cmd: "subscribe",
      params: {
        channels: ["ticker"],
        market_tickers: [market.ticker],
        send_initial_snapshot: true,
      },
    });
    expect(frames[0]).toEqual({ id: 1, type: "subscribed", msg: { channel: "ticker", sid: 1 } });
    expect(frames[1]).toMatchObject({
      type: "ticker",
      sid: 1,
      msg: {
        market_ticker: market.ticker,
        market_id: market.marketId,
        price_dollars: "0.0000",
        yes_bid_dollars: "0.3000",
        yes_ask_dollars: "0.3500",
        yes_bid_size_fp: "5.00",
        yes_ask_size_fp: "2.00",
        volume_fp: "0.00",
        dollar_volume: 0,
      },
    });
    expect(frames[1]).not.toHaveProperty("seq");

    const all = await TestClient.connect(sim.wsUrl, signedHeaders(carol.key));
    await all.command({ id: 1, cmd: "subscribe", params: { channels: ["ticker", "trade"] } });
    const from = all.frames.length;
    place(alice, market.ticker, "bid", "0.35", 2);
    const seen = await all.drain(from);
    const trade = seen.find((f) => f.type === "trade");
    expect(msgOf(trade)).toMatchObject({
      market_ticker: market.ticker,
      yes_price_dollars: "0.3500",
      no_price_dollars: "0.6500",
      count_fp: "2.00",
      taker_side: "yes",
      taker_outcome_side: "yes",
      taker_book_side: "bid",
      is_block_trade: false,
    });
    const lastTicker = msgOf(seen.filter((f) => f.type === "ticker").at(-1));
    expect(lastTicker).toMatchObject({
      price_dollars: "0.3500",
      yes_ask_dollars: "1.0000",
      yes_ask_size_fp: "0.00",
      last_trade_size_fp: "2.00",
      volume_fp: "2.00",
      open_interest_fp: "2.00",
      dollar_volume: 0,
    });
    client.close();
    all.close();
  });

  it("market_lifecycle_v2 delivers market and event lifecycle messages for every market", async () => {
    market = addTestMarket(state, "WSLIFE-26DEC31");
    const client = await TestClient.connect(sim.wsUrl, signedHeaders(alice.key));
    await client.command({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["market_lifecycle_v2"] },
    });
    const from = client.frames.length;
    const now = state.now();
    state.bus.publish({ kind: "event_lifecycle", eventTicker: market.eventTicker, tsMs: now });
    state.bus.publish({
      kind: "market_lifecycle",
      ticker: market.ticker,
      eventType: "created",
      tsMs: now,
    });
    state.bus.publish({
      kind: "market_lifecycle",
      ticker: market.ticker,
      eventType: "deactivated",
      tsMs: now,
    });
    market.result = "yes";
    market.settlementValue = 1_000_000;
    market.determinationTime = now;
    state.bus.publish({
      kind: "market_lifecycle",
      ticker: market.ticker,
      eventType: "determined",
      tsMs: now,
    });
    const frames = await client.drain(from);
    expect(frames.map((f) => f.type)).toEqual([
      "event_lifecycle",
      "market_lifecycle_v2",
      "market_lifecycle_v2",
      "market_lifecycle_v2",
    ]);
    expect(msgOf(frames[0])).toMatchObject({
      event_ticker: market.eventTicker,
      title: "WebSocket test event",
      subtitle: "Dec 31",
      series_ticker: "WSTEST",
    });
    expect(msgOf(frames[1])).toMatchObject({
      event_type: "created",
      market_ticker: market.ticker,
      open_ts: Math.floor(market.openTime / 1000),
      price_level_structure: "linear_cent",
      price_ranges: [{ start: "0.0000", end: "1.0000", step: "0.0100" }],
      additional_metadata: {
        event_ticker: market.eventTicker,
        strike_type: "greater",
        can_close_early: true,
      },
    });
    expect(msgOf(frames[2])).toEqual({
      event_type: "deactivated",
      market_ticker: market.ticker,
      is_deactivated: true,
    });
    expect(msgOf(frames[3])).toEqual({
      event_type: "determined",
      market_ticker: market.ticker,
      result: "yes",
      determination_ts: Math.floor(now / 1000),
      settlement_value: "1.0000",
    });
    client.close();
  });
});

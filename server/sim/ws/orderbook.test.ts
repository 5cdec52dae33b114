import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  complement,
  formatCount,
  formatDollars,
  parseCount,
  parseDollars,
  type Micros,
} from "@/lib/fixed-point";
import type { SimEvent } from "@/server/sim/bus";
import type { PlaceOrderInput } from "@/server/sim/engine/matching-engine";
import type { MarketRecord } from "@/server/sim/model";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import type { SimState } from "@/server/sim/state";
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
let state: SimState;
let alice: Trader;
let bob: Trader;

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false });
  state = sim.exchange.state;
  alice = createTrader(state);
  bob = createTrader(state);
});

afterAll(async () => {
  await sim.close();
});

const $ = (text: string): Micros => parseDollars(text);
const n = (contracts: number) => contracts * 100;

function place(
  trader: Trader,
  ticker: string,
  side: "bid" | "ask",
  price: string,
  count: number,
  extra: Partial<PlaceOrderInput> = {},
) {
  return sim.exchange.engine.placeOrder({
    userId: trader.user.userId,
    ticker,
    side,
    price: $(price),
    count: n(count),
    timeInForce: "good_till_canceled",
    ...extra,
  });
}

type Levels = Map<string, number>;
interface ClientBook {
  yes: Levels;
  no: Levels;
}

/** The engine's book as a client should see it. */
function engineBook(
  ticker: string,
  useYesPrice: boolean,
): { yes: Record<string, string>; no: Record<string, string> } {
  const book = state.book(ticker);
  const yes: Record<string, string> = {};
  const no: Record<string, string> = {};
  for (const [price, size] of book.depth("bid")) yes[formatDollars(price)] = formatCount(size);
  for (const [price, size] of book.depth("ask"))
    no[formatDollars(useYesPrice ? price : complement(price))] = formatCount(size);
  return { yes, no };
}

function asRecord(levels: Levels): Record<string, string> {
  return Object.fromEntries([...levels].map(([price, size]) => [price, formatCount(size)]));
}

/** Rebuilds every market's book from the snapshots and deltas a client received. */
function rebuild(frames: Frame[]): Map<string, ClientBook> {
  const books = new Map<string, ClientBook>();
  for (const frame of frames) {
    if (frame.type === "orderbook_snapshot") {
      const msg = msgOf(frame);
      const toLevels = (key: string): Levels => {
        const raw = (msg[key] ?? []) as [string, string][];
        return new Map(raw.map(([price, count]) => [price, parseCount(count)]));
      };
      books.set(msg.market_ticker as string, {
        yes: toLevels("yes_dollars_fp"),
        no: toLevels("no_dollars_fp"),
      });
    } else if (frame.type === "orderbook_delta") {
      const msg = msgOf(frame);
      const book = books.get(msg.market_ticker as string);
      if (!book) throw new Error("delta before snapshot");
      const levels = msg.side === "yes" ? book.yes : book.no;
      const price = msg.price_dollars as string;
      const next = (levels.get(price) ?? 0) + parseCount(msg.delta_fp as string, { signed: true });
      if (next < 0) throw new Error(`level ${price} went negative`);
      if (next === 0) levels.delete(price);
      else levels.set(price, next);
    }
  }
  return books;
}

function expectConsecutiveSeq(frames: Frame[], sid: number) {
  const seqs = frames.filter((f) => f.sid === sid && f.seq !== undefined).map((f) => f.seq);
  expect(seqs.length).toBeGreaterThan(0);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
}

describe("orderbook_delta", () => {
  let market: MarketRecord;
  let other: MarketRecord;

  it("snapshot matches the book, in both price scales, ascending, without empty sides", async () => {
    market = addTestMarket(state);
    other = addTestMarket(state);
    place(alice, market.ticker, "bid", "0.40", 10);
    place(alice, market.ticker, "bid", "0.38", 2);
    place(bob, market.ticker, "ask", "0.60", 5);
    place(bob, market.ticker, "ask", "0.65", 7);

    const noScale = await TestClient.connect(sim.wsUrl, signedHeaders(alice.key));
    const yesScale = await TestClient.connect(sim.wsUrl, signedHeaders(bob.key));
    const a = await noScale.command({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_tickers: [market.ticker, other.ticker] },
    });
    const b = await yesScale.command({
      id: 1,
      cmd: "subscribe",
      params: {
        channels: ["orderbook_delta"],
        market_tickers: [market.ticker, other.ticker],
        use_yes_price: true,
      },
    });
    expect(msgOf(a[1])).toEqual({
      market_ticker: market.ticker,
      market_id: market.marketId,
      yes_dollars_fp: [
        ["0.3800", "2.00"],
        ["0.4000", "10.00"],
      ],
      // NO bids on the NO leg: asks at 0.65 and 0.60 are NO bids at 0.35 and 0.40.
      no_dollars_fp: [
        ["0.3500", "7.00"],
        ["0.4000", "5.00"],
      ],
    });
    expect(msgOf(b[1])).toMatchObject({
      yes_dollars_fp: [
        ["0.3800", "2.00"],
        ["0.4000", "10.00"],
      ],
      no_dollars_fp: [
        ["0.6000", "5.00"],
        ["0.6500", "7.00"],
      ],
    });
    // The empty market's snapshot has neither key.
    expect(msgOf(a[2])).toEqual({ market_ticker: other.ticker, market_id: other.marketId });
    noScale.close();
    yesScale.close();
  });

  it("deltas rebuild the engine's book through orders, fills, cancels, decreases and amends", async () => {
    market = addTestMarket(state);
    other = addTestMarket(state);
    const aliceResting = place(alice, market.ticker, "bid", "0.40", 10, {
      clientOrderId: "alice-0",
    });
    place(bob, market.ticker, "ask", "0.60", 5, { clientOrderId: "bob-0" });

    const aliceClient = await TestClient.connect(sim.wsUrl, signedHeaders(alice.key));
    const bobClient = await TestClient.connect(sim.wsUrl, signedHeaders(bob.key));
    await aliceClient.command({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_tickers: [market.ticker, other.ticker] },
    });
    await bobClient.command({
      id: 1,
      cmd: "subscribe",
      params: {
        channels: ["orderbook_delta"],
        market_tickers: [market.ticker, other.ticker],
        use_yes_price: true,
      },
    });

    const causes: Array<{ userId: string; clientOrderId: string }> = [];
    const leave = state.bus.subscribe((event: SimEvent) => {
      if (
        event.kind === "book_delta" &&
        (event.ticker === market.ticker || event.ticker === other.ticker)
      ) {
        causes.push({ userId: event.order.userId, clientOrderId: event.order.clientOrderId });
      }
    });

    const { engine } = sim.exchange;
    place(alice, market.ticker, "bid", "0.42", 3, { clientOrderId: "alice-1" });
    place(bob, market.ticker, "ask", "0.42", 4, { clientOrderId: "bob-1" }); // fills alice-1, rests 1
    place(alice, other.ticker, "bid", "0.10", 1, { clientOrderId: "alice-other" });
    engine.cancelOrder(alice.user.userId, aliceResting.order.orderId);
    const bob0 = [...state.orders.values()].find((o) => o.clientOrderId === "bob-0");
    if (!bob0) throw new Error("bob-0 missing");
    engine.decreaseOrder(bob.user.userId, bob0.orderId, { reduceBy: n(2) });
    const bob1 = [...state.orders.values()].find((o) => o.clientOrderId === "bob-1");
    if (!bob1) throw new Error("bob-1 missing");
    engine.amendOrder(bob.user.userId, bob1.orderId, {
      price: $("0.45"),
      count: n(4),
      side: "ask",
      ticker: market.ticker,
    });
    place(alice, market.ticker, "bid", "0.61", 6, {
      clientOrderId: "alice-ioc",
      timeInForce: "immediate_or_cancel",
    });
    place(bob, market.ticker, "bid", "0.30", 2.5, { clientOrderId: "bob-frac" });
    place(alice, market.ticker, "ask", "0.90", 1, { clientOrderId: "alice-ask" });
    leave();
    // bob-1 fills alice-1 (3); the IOC takes bob-1's amended 1 at 0.45 and bob-0's 3 left at 0.60.
    expect(market.volume).toBe(n(7));

    const aliceFrames = await aliceClient.drain(0);
    const bobFrames = await bobClient.drain(0);

    for (const [frames, useYes] of [
      [aliceFrames, false],
      [bobFrames, true],
    ] as const) {
      const books = rebuild(frames);
      for (const ticker of [market.ticker, other.ticker]) {
        const book = books.get(ticker);
        if (!book) throw new Error(`no book for ${ticker}`);
        expect({ yes: asRecord(book.yes), no: asRecord(book.no) }).toEqual(
          engineBook(ticker, useYes),
        );
      }
      // One seq counter for the sid, shared by both markets, from 1 without gaps.
      expectConsecutiveSeq(frames, 1);
    }

    // Own-order tagging: each delta carries client_order_id + subaccount exactly when the receiver owns the causing order.
    const aliceDeltas = aliceFrames.filter((f) => f.type === "orderbook_delta").map(msgOf);
    const bobDeltas = bobFrames.filter((f) => f.type === "orderbook_delta").map(msgOf);
    expect(aliceDeltas).toHaveLength(causes.length);
    expect(bobDeltas).toHaveLength(causes.length);
    causes.forEach((cause, i) => {
      const forAlice = aliceDeltas[i] ?? {};
      const forBob = bobDeltas[i] ?? {};
      if (cause.userId === alice.user.userId) {
        expect(forAlice).toMatchObject({ client_order_id: cause.clientOrderId, subaccount: 0 });
        expect(forBob).not.toHaveProperty("client_order_id");
        expect(forBob).not.toHaveProperty("subaccount");
      } else {
        expect(forBob).toMatchObject({ client_order_id: cause.clientOrderId, subaccount: 0 });
        expect(forAlice).not.toHaveProperty("client_order_id");
        expect(forAlice).not.toHaveProperty("subaccount");
      }
    });

    aliceClient.close();
    bobClient.close();
  });

  it("prices NO-side deltas on the NO leg by default and on the YES leg with use_yes_price", async () => {
    market = addTestMarket(state);
    const noScale = await TestClient.connect(sim.wsUrl, signedHeaders(alice.key));
    const yesScale = await TestClient.connect(sim.wsUrl, signedHeaders(alice.key));
    await noScale.command({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_ticker: market.ticker },
    });
    await yesScale.command({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_ticker: market.ticker, use_yes_price: true },
    });
    const fromNo = noScale.frames.length;
    const fromYes = yesScale.frames.length;
    place(bob, market.ticker, "ask", "0.70", 3);
    place(bob, market.ticker, "bid", "0.20", 4);
    const noDeltas = (await noScale.drain(fromNo)).map(msgOf);
    const yesDeltas = (await yesScale.drain(fromYes)).map(msgOf);
    expect(noDeltas.map((m) => [m.side, m.price_dollars, m.delta_fp])).toEqual([
      ["no", "0.3000", "3.00"],
      ["yes", "0.2000", "4.00"],
    ]);
    expect(yesDeltas.map((m) => [m.side, m.price_dollars, m.delta_fp])).toEqual([
      ["no", "0.7000", "3.00"],
      ["yes", "0.2000", "4.00"],
    ]);
    const first = noDeltas[0] ?? {};
    expect(first.market_id).toBe(market.marketId);
    expect(typeof first.ts_ms).toBe("number");
    expect(new Date(first.ts as string).getTime()).toBe(first.ts_ms);
    noScale.close();
    yesScale.close();
  });

  it("stops deltas for deleted markets and after unsubscribe", async () => {
    market = addTestMarket(state);
    other = addTestMarket(state);
    const client = await TestClient.connect(sim.wsUrl, signedHeaders(alice.key));
    await client.command({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_tickers: [market.ticker, other.ticker] },
    });
    await client.command({
      id: 2,
      cmd: "update_subscription",
      params: { sid: 1, action: "delete_markets", market_tickers: [other.ticker] },
    });
    let from = client.frames.length;
    place(bob, other.ticker, "bid", "0.20", 1);
    place(bob, market.ticker, "bid", "0.20", 1);
    const frames = await client.drain(from);
    expect(frames.map((f) => msgOf(f).market_ticker)).toEqual([market.ticker]);
    await client.command({ id: 3, cmd: "unsubscribe", params: { sids: [1] } });
    from = client.frames.length;
    place(bob, market.ticker, "bid", "0.21", 1);
    expect(await client.drain(from)).toEqual([]);
    expectConsecutiveSeq(client.frames, 1);
    client.close();
  });
});

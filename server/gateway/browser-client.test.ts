/**
 * The browser client (lib/gateway/client.ts) against the real gateway and
 * simulator, with a TCP proxy between client and gateway to cut the link;
 * and the lazy loader (lib/gateway/lazy-client.ts) in front of it.
 */
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { formatCount, formatDollars } from "@/lib/fixed-point";
import { GatewayClient } from "@/lib/gateway/client";
import { LazyGatewayClient } from "@/lib/gateway/lazy-client";
import { eventsSince } from "@/lib/gateway/event-cursor";
import { EMPTY_TOPIC_STATE } from "@/lib/gateway/topic-state";
import { startFrameProxy, type FrameProxy } from "@/server/gateway/testing/frame-proxy";
import {
  eventually,
  restBook,
  startHarness,
  startTcpProxy,
  type Harness,
  type TcpProxy,
} from "@/server/gateway/testing/harness";
import { addTestMarket } from "@/server/sim/ws/test-support";

let harness: Harness | null = null;
let proxy: TcpProxy | null = null;
let client: GatewayClient | null = null;
let frames: FrameProxy | null = null;

afterEach(async () => {
  client?.stop();
  await frames?.close();
  frames = null;
  await proxy?.close();
  await harness?.close();
  harness = null;
  proxy = null;
  client = null;
});

describe("GatewayClient", () => {
  it("builds the book, reconnects after a cut, replays subscriptions and resyncs to the exchange's book", async () => {
    const h = (harness = await startHarness());
    const gatewayPort = Number(new URL(h.url).port);
    proxy = await startTcpProxy(gatewayPort);
    const market = addTestMarket(h.sim.exchange.state);
    const place = (side: "bid" | "ask", price: number, count: number) =>
      h.sim.exchange.engine.placeOrder({
        userId: h.users[0]!.account.userId,
        ticker: market.ticker,
        side,
        price,
        count,
        timeInForce: "good_till_canceled",
      });
    place("bid", 400_000, 500);
    place("ask", 600_000, 300);

    let publishes = 0;
    const statuses: string[] = [];
    client = new GatewayClient({
      url: `ws://127.0.0.1:${proxy.port}/ws`,
      WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
      reconnectBaseMs: 50,
      reconnectMaxMs: 200,
      // Full jitter at its ceiling: the reconnect waits 50 ms, so the 5 ms
      // publish shows "stale" before the replayed snapshot makes it live again
      // (with a near-zero draw the two could land in one publish).
      random: () => 1,
      schedule: (flush) => setTimeout(flush, 5),
    });
    const topic = `book:${market.ticker}`;
    client.subscribe(topic, () => {
      publishes += 1;
      statuses.push(client!.getTopicState(topic).status);
    });
    const view = () => {
      const book = client!.getTopicState(topic).book;
      return (
        book && {
          bids: book.bids.map(([p, s]) => [formatDollars(p), formatCount(s)]),
          asks: book.asks.map(([p, s]) => [formatDollars(p), formatCount(s)]),
        }
      );
    };
    const inSync = async () =>
      JSON.stringify(view()) === JSON.stringify(await restBook(h.users[0]!.account, market.ticker));
    await eventually(() => client!.getTopicState(topic).status === "live", 5_000, "live");
    await eventually(inSync, 5_000, "initial book");

    // A burst of 50 deltas is published in a handful of batches, not 50 times.
    const before = publishes;
    for (let i = 0; i < 50; i += 1) place("bid", 300_000 + (i % 5) * 10_000, 100);
    await eventually(inSync, 5_000, "burst applied");
    expect(publishes - before).toBeLessThan(20);

    proxy.dropAll();
    await eventually(() => statuses.includes("stale"), 5_000, "stale");
    place("bid", 450_000, 700);
    await eventually(
      () => client!.status === "open" && client!.getTopicState(topic).status === "live",
      5_000,
      "live again",
    );
    await eventually(inSync, 5_000, "book after reconnect");
    expect(proxy.connections).toBeGreaterThanOrEqual(2);
  });
});

describe("GatewayClient through a lossy link (real gateway and simulator)", () => {
  it("resyncs a book after lost and reordered frames, and takes a topic recreated during a long outage", async () => {
    const h = (harness = await startHarness());
    frames = await startFrameProxy(h.url);
    const link = frames;
    const market = addTestMarket(h.sim.exchange.state);
    const place = (side: "bid" | "ask", price: number, count: number, user = 0) =>
      h.sim.exchange.engine.placeOrder({
        userId: h.users[user]!.account.userId,
        ticker: market.ticker,
        side,
        price,
        count,
        timeInForce: "good_till_canceled",
      });
    place("bid", 400_000, 500);
    place("ask", 600_000, 300_000);
    client = new GatewayClient({
      url: link.url,
      WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
      reconnectBaseMs: 50,
      reconnectMaxMs: 200,
      schedule: (flush) => setTimeout(flush, 5),
    });
    const c = client;
    const bookTopic = `book:${market.ticker}`;
    const tradesTopic = `trades:${market.ticker}`;
    c.subscribe(bookTopic, () => {});
    c.subscribe(tradesTopic, () => {});
    const view = () => {
      const book = c.getTopicState(bookTopic).book;
      return (
        book && {
          bids: book.bids.map(([p, size]) => [formatDollars(p), formatCount(size)]),
          asks: book.asks.map(([p, size]) => [formatDollars(p), formatCount(size)]),
        }
      );
    };
    const inSync = async () =>
      JSON.stringify(view()) === JSON.stringify(await restBook(h.users[0]!.account, market.ticker));
    await eventually(() => c.getTopicState(bookTopic).status === "live", 5_000, "live");
    await eventually(inSync, 5_000, "initial book");

    // One delta lost on the way to the browser: the next one reveals the gap.
    let lost = 0;
    link.filter = (text) => (text.includes('"book_delta"') && lost++ === 0 ? "drop" : "pass");
    place("bid", 410_000, 100);
    place("bid", 420_000, 100);
    await eventually(() => c.getTopicState(bookTopic).gaps >= 1, 5_000, "gap seen");
    await eventually(inSync, 5_000, "book after a lost delta");

    // Two deltas swapped: the later one arrives first.
    let held = 0;
    link.filter = (text) => (text.includes('"book_delta"') && held++ === 0 ? "hold" : "pass");
    const gapsBefore = c.getTopicState(bookTopic).gaps;
    place("bid", 430_000, 100);
    place("bid", 440_000, 100);
    await eventually(() => c.getTopicState(bookTopic).gaps > gapsBefore, 5_000, "reorder seen");
    link.release();
    link.filter = null;
    await eventually(inSync, 5_000, "book after a reordering");

    // Trades: one before the outage, then an outage longer than the topic linger.
    place("bid", 600_000, 100, 1);
    await eventually(() => c.getTopicState(tradesTopic).events.length === 1, 5_000, "a trade");
    const chartCursor = eventsSince(c.getTopicState(tradesTopic).events, null).cursor;
    const epochBefore = c.getTopicState(tradesTopic).epoch;
    link.refusing = true;
    link.dropAll();
    await eventually(() => c.getTopicState(tradesTopic).status === "stale", 5_000, "stale");
    await eventually(
      () => !h.gateway.inspect().topics.some((t) => t.key === tradesTopic),
      5_000,
      "topic released by the gateway",
    );
    link.refusing = false;
    await eventually(() => c.getTopicState(tradesTopic).status === "live", 10_000, "live again");
    expect(c.getTopicState(tradesTopic).epoch).not.toBe(epochBefore);
    const trade = place("bid", 600_000, 100, 1);
    await eventually(() => c.getTopicState(tradesTopic).events.length === 2, 5_000, "new trade");
    // The recreated topic counts from 1 again; a consumer keyed on (epoch, seq) still sees it.
    expect(c.getTopicState(tradesTopic).events[0]?.seq).toBe(1);
    const { fresh } = eventsSince(c.getTopicState(tradesTopic).events, chartCursor);
    expect(fresh.map((event) => event.msg.trade_id)).toEqual([trade.fills[0]?.tradeId]);
    await eventually(inSync, 5_000, "book after the outage");
  }, 40_000);
});

describe("LazyGatewayClient", () => {
  it("queues subscriptions until the client chunk loads, drops the ones unmounted meanwhile, then goes live", async () => {
    const h = (harness = await startHarness());
    const kept = addTestMarket(h.sim.exchange.state);
    const dropped = addTestMarket(h.sim.exchange.state);
    h.sim.exchange.engine.placeOrder({
      userId: h.users[0]!.account.userId,
      ticker: kept.ticker,
      side: "bid",
      price: 420_000,
      count: 500,
      timeInForce: "good_till_canceled",
    });

    let release: (() => void) | null = null;
    let loads = 0;
    const lazy = new LazyGatewayClient(async () => {
      loads += 1;
      await new Promise<void>((resolve) => (release = resolve));
      client = new GatewayClient({
        url: h.url,
        WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
        schedule: (flush) => setTimeout(flush, 5),
      });
      return client;
    });
    const statuses: string[] = [];
    lazy.onStatus(() => statuses.push(lazy.status));
    expect(lazy.status).toBe("idle");

    let updates = 0;
    const keptTopic = `book:${kept.ticker}`;
    lazy.subscribe(keptTopic, () => (updates += 1));
    const unsubscribeDropped = lazy.subscribe(`book:${dropped.ticker}`, () => {});
    unsubscribeDropped();
    // Before the chunk arrives: one load in flight, "connecting", topics read as loading.
    expect(loads).toBe(1);
    expect(lazy.loaded).toBe(false);
    expect(lazy.status).toBe("connecting");
    expect(lazy.getTopicState(keptTopic).status).toBe("loading");

    release!();
    await eventually(() => lazy.getTopicState(keptTopic).status === "live", 5_000, "live");
    await eventually(() => lazy.getTopicState(keptTopic).book !== null, 5_000, "book");
    expect(lazy.getTopicState(keptTopic).book!.bids[0]).toEqual([420_000, 500]);
    expect(updates).toBeGreaterThan(0);
    expect(lazy.status).toBe("open");
    expect(statuses).toContain("open");
    expect(loads).toBe(1);
    // Only the topic still wanted reached the gateway.
    const topics = h.gateway.inspect().topics.map((topic) => topic.key);
    expect(topics.some((key) => key.includes(kept.ticker))).toBe(true);
    expect(topics.some((key) => key.includes(dropped.ticker))).toBe(false);
  });

  it("retries a failed chunk load while something still wants the connection", async () => {
    let attempts = 0;
    const fallback = new LazyGatewayClient(
      async () => {
        attempts += 1;
        if (attempts < 3) throw new Error("chunk load failed");
        return {
          status: "open" as const,
          start() {},
          stop() {},
          subscribe: () => () => {},
          getTopicState: () => EMPTY_TOPIC_STATE,
          onStatus: () => () => {},
        };
      },
      { retryBaseMs: 5, retryMaxMs: 20 },
    );
    const warn = console.warn;
    console.warn = () => {};
    try {
      fallback.subscribe("lifecycle", () => {});
      await eventually(() => fallback.loaded, 2_000, "loaded after retries");
    } finally {
      console.warn = warn;
    }
    expect(attempts).toBe(3);
    expect(fallback.status).toBe("open");
  });
});

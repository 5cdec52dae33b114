/**
 * The browser client (lib/gateway/client.ts) against the real gateway and
 * simulator, with a TCP proxy between client and gateway to cut the link.
 */
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { formatCount, formatDollars } from "@/lib/fixed-point";
import { GatewayClient } from "@/lib/gateway/client";
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

afterEach(async () => {
  client?.stop();
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

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { SimExchange } from "@/server/sim/exchange";
import {
  attachSimWebSocket,
  WS_PATH,
  type SimWebSocketHandle,
  type SimWebSocketOptions,
} from "@/server/sim/ws/attach";
import {
  addTestMarket,
  createTrader,
  signedHeaders,
  TestClient,
  type Trader,
} from "@/server/sim/ws/test-support";

interface Harness {
  server: Server;
  exchange: SimExchange;
  handle: SimWebSocketHandle;
  url: string;
  trader: Trader;
}

let harness: Harness | undefined;

/** A bare HTTP server with only the WebSocket endpoint, so options can be tuned. */
async function startHarness(options: SimWebSocketOptions): Promise<Harness> {
  const exchange = new SimExchange({ seedData: false });
  const server = createServer((_request, response) => response.writeHead(404).end());
  const handle = attachSimWebSocket(server, exchange, options);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  harness = {
    server,
    exchange,
    handle,
    url: `ws://127.0.0.1:${port}${WS_PATH}`,
    trader: createTrader(exchange.state),
  };
  return harness;
}

afterEach(async () => {
  if (!harness) return;
  await harness.handle.close();
  await new Promise<void>((resolve) => harness?.server.close(() => resolve()));
  harness = undefined;
});

describe("heartbeat", () => {
  it("pings every interval with payload heartbeat, and answers client pings", async () => {
    const { url, trader } = await startHarness({ heartbeatMs: 40 });
    const client = await TestClient.connect(url, signedHeaders(trader.key));
    await client.waitForPings(2);
    expect(client.pings.slice(0, 2)).toEqual(["heartbeat", "heartbeat"]);
    const pong = new Promise<string>((resolve) =>
      client.ws.once("pong", (data) => resolve(data.toString("utf8"))),
    );
    client.ws.ping();
    expect(await pong).toBe("");
    client.close();
  });
});

describe("slow consumers", () => {
  it("ends a subscription with error 25 when the socket's buffer passes the limit", async () => {
    const { url, trader, exchange } = await startHarness({ maxBufferedBytes: 64 * 1024 });
    const market = addTestMarket(exchange.state);
    const client = await TestClient.connect(url, signedHeaders(trader.key));
    await client.command({ id: 1, cmd: "subscribe", params: { channels: ["ticker"] } });

    client.ws.pause();
    const now = exchange.state.now();
    for (let i = 0; i < 20_000; i += 1)
      exchange.state.bus.publish({ kind: "ticker", ticker: market.ticker, tsMs: now });
    client.ws.resume();

    const overflow = await client.waitFor((frame) => frame.type === "error", 0, 20_000);
    expect(overflow).toEqual({
      type: "error",
      sid: 1,
      msg: { code: 25, msg: "Subscription buffer overflow" },
    });
    const tickers = client.frames.filter((frame) => frame.type === "ticker").length;
    expect(tickers).toBeGreaterThan(0);
    expect(tickers).toBeLessThan(20_000);

    // The subscription is gone (terminal), the connection still works.
    const frames = await client.command({ id: 2, cmd: "list_subscriptions" });
    expect(frames).toEqual([{ id: 2, type: "ok", msg: [] }]);
    expect(client.frames.filter((frame) => frame.type === "ticker")).toHaveLength(tickers);
    client.close();
  });
});

describe("close()", () => {
  it("terminates connections and leaves the bus", async () => {
    const { url, trader, exchange, handle } = await startHarness({});
    const listenersBefore = exchange.state.bus.listenerCount;
    const client = await TestClient.connect(url, signedHeaders(trader.key));
    await client.command({ id: 1, cmd: "subscribe", params: { channels: ["ticker"] } });
    expect(handle.sessionCount).toBe(1);
    // The gateway is on the bus while a session is open (and only then).
    expect(exchange.state.bus.listenerCount).toBe(listenersBefore + 1);
    const closed = new Promise<void>((resolve) => client.ws.once("close", () => resolve()));
    await handle.close();
    await closed;
    expect(handle.sessionCount).toBe(0);
    expect(exchange.state.bus.listenerCount).toBe(listenersBefore);
  });
});

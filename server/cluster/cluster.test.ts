/**
 * Two app instances on one real redis-server and one simulator, each with its
 * gateway (browser sockets on its own port) and its market-data service,
 * wired as server/main.ts does with REDIS_URL:
 *
 * - one upstream market-data connection for the whole cluster (counted at a
 *   TCP relay in front of the simulator's WebSocket); browsers on both
 *   instances see the same live prices and books; the second instance starts
 *   warm from the first one's snapshot, without reading REST;
 * - the leader dies: the other takes over within seconds, its browsers go
 *   stale, then live again with fresh books equal to the exchange's, and its
 *   universe catches up with what happened meanwhile;
 * - a user's private order update reaches their socket on the instance that
 *   does not own their upstream connection (one connection per credential);
 * - a gateway ticket is single-use across instances.
 */
import { createPrivateKey } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ActiveCredential, GatewayAuthenticator } from "@/server/gateway/authenticate";
import { createGateway, type GatewayHandle } from "@/server/gateway/gateway";
import { provisionSimServiceCredential } from "@/server/gateway/service-credential";
import {
  bookFromFrames,
  eventually,
  RecordingClient,
  restBook,
  startTcpProxy,
  type TcpProxy,
} from "@/server/gateway/testing/harness";
import { createPublicKalshiClient } from "@/server/kalshi/client";
import { systemClock } from "@/server/kalshi/clock";
import { BASIC_TIER_BUDGET, RateLimiter } from "@/server/kalshi/rate-limits";
import { MarketDataService } from "@/server/market-data/service";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { createTestAccount, type TestAccount } from "@/server/sim/testing/new-account";

import { startCluster, type ClusterRuntime } from "./start";
import { redisAvailable, startRedis, type TestRedis } from "./testing";

const HEARTBEAT_MS = 300;
const TTL_MS = 1_000;

interface Instance {
  name: string;
  service: MarketDataService;
  runtime: ClusterRuntime;
  gateway: GatewayHandle;
  server: Server;
  url: string;
  /** Dies like a killed process: Redis and sockets dropped, nothing released. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

let redis: TestRedis | null = null;
let sim: RunningSim;
let relay: TcpProxy;
let trader: TestAccount;
let other: TestAccount;
const prefix = `kdtest${Date.now().toString(36)}:`;
const instances: Instance[] = [];
const restCalls: Record<string, number> = {};

const available = redisAvailable();

async function startInstance(name: string): Promise<Instance> {
  if (!redis) throw new Error("no redis");
  restCalls[name] = 0;
  const service = new MarketDataService({
    client: createPublicKalshiClient(sim.restBaseUrl, {
      limiter: new RateLimiter(systemClock, BASIC_TIER_BUDGET),
      fetch: (input, init) => {
        restCalls[name] = (restCalls[name] ?? 0) + 1;
        return fetch(input, init);
      },
    }),
    enabled: true,
    reconcileMs: 3_600_000,
    settledRetentionMs: 7 * 86_400_000,
    log: () => undefined,
  });
  const runtime = await startCluster({
    url: redis.url,
    service,
    log: () => undefined,
    ttlMs: TTL_MS,
    heartbeatMs: HEARTBEAT_MS,
    prefix,
  });
  const wsUrl = `ws://127.0.0.1:${relay.port}/trade-api/ws/v2`;
  const credentialOf = (account: TestAccount, id: string): ActiveCredential => ({
    id,
    label: id,
    environment: "sim",
    apiKeyId: account.apiKeyId,
    privateKey: createPrivateKey(account.privateKeyPem),
    restBaseUrl: sim.restBaseUrl,
    wsUrl,
  });
  const authenticator: GatewayAuthenticator = {
    async fromCookies(header) {
      const match = /(?:^|;\s*)test-session=([^;]+)/.exec(header ?? "");
      return match?.[1] === "trader" ? { userId: "trader" } : null;
    },
    async credentialFor(userId) {
      return userId === "trader" ? credentialOf(trader, "cred-trader") : null;
    },
  };
  const gateway = createGateway({
    marketDataUrl: wsUrl,
    marketDataCredential: await provisionSimServiceCredential(sim.restBaseUrl),
    authenticator,
    marketTap: runtime.marketTap,
    connectionFactory: runtime.connectionFactory,
    claimTicket: runtime.claimTicket,
    log: () => undefined,
    timers: { subscriptionLingerMs: 0, reconnectBaseMs: 50, reconnectMaxMs: 500 },
  });
  service.start();
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on("upgrade", (request, socket, head) => gateway.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
  const stopServer = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const instance: Instance = {
    name,
    service,
    runtime,
    gateway,
    server,
    url,
    async kill() {
      runtime.cluster.crashForTests();
      service.stop();
      await gateway.close();
      await stopServer();
    },
    async close() {
      service.stop();
      await gateway.close();
      await runtime.close();
      await stopServer();
    },
  };
  instances.push(instance);
  return instance;
}

/** True while this instance leads the market-data service (it holds the market-data connection). */
function leads(instance: Instance): boolean {
  return instance.service.clusterRole === "leader";
}

async function order(account: TestAccount, body: Record<string, unknown>): Promise<void> {
  const response = await account.fetch("/portfolio/events/orders", {
    method: "POST",
    body: JSON.stringify({
      time_in_force: "good_till_canceled",
      self_trade_prevention_type: "taker_at_cross",
      ...body,
    }),
  });
  if (response.status !== 201)
    throw new Error(`order: ${response.status} ${await response.text()}`);
}

function openTicker(instance: Instance): { ticker: string; bid: number } {
  const open = instance.service.queries.listMarkets({ status: "open", sort: "volume_24h" });
  const market = open.markets.find(
    (m) =>
      (m as Record<string, unknown>).price_level_structure === "linear_cent" &&
      Math.round(Number(m.yes_ask_dollars) * 100) - Math.round(Number(m.yes_bid_dollars) * 100) >=
        2,
  );
  if (!market) throw new Error("no open market");
  return { ticker: market.ticker, bid: Math.round(Number(market.yes_bid_dollars) * 100) };
}

beforeAll(async () => {
  redis = await startRedis();
  if (!redis) return;
  sim = await startSimExchange({ port: 0, bots: false });
  relay = await startTcpProxy(sim.port);
  trader = await createTestAccount(sim.restBaseUrl, { balanceCents: 10_000_000 });
  other = await createTestAccount(sim.restBaseUrl, { balanceCents: 10_000_000 });
}, 60_000);

afterAll(async () => {
  for (const instance of instances) await instance.close().catch(() => undefined);
  await relay?.close();
  await sim?.close();
  await redis?.stop();
});

describe.skipIf(!available)("several instances on Redis", () => {
  it("hold one upstream market-data connection; browsers on both see the same prices; the second starts warm", async () => {
    const a = await startInstance("a");
    await a.service.ready();
    await eventually(() => leads(a), 5_000, "a to lead");
    const b = await startInstance("b");
    await eventually(() => b.service.isReady, 5_000, "b to load the snapshot");
    // Warm: b read nothing over REST; a single connection upstream.
    expect(restCalls.b).toBe(0);
    expect(b.service.clusterRole).toBe("follower");
    expect(b.runtime.marketData?.snapshotsLoaded).toBe(1);
    expect(relay.connections).toBe(1);
    expect(b.service.universe.counts).toEqual(a.service.universe.counts);

    const { ticker, bid } = openTicker(a);
    const onA = new RecordingClient(a.url);
    const onB = new RecordingClient(b.url);
    await Promise.all([onA.opened, onB.opened]);
    onA.subscribe(`ticker:${ticker}`, `book:${ticker}`);
    onB.subscribe(`ticker:${ticker}`, `book:${ticker}`);
    for (const client of [onA, onB])
      await client.waitFor((f) => f.type === "book_snapshot" && f.topic === `book:${ticker}`);

    const price = ((bid + 1) / 100).toFixed(2);
    await order(trader, { ticker, side: "bid", count: "4", price });
    await order(other, {
      ticker,
      side: "ask",
      count: "4",
      price,
      time_in_force: "immediate_or_cancel",
    });
    const last = (client: RecordingClient) =>
      client.waitFor(
        (f) =>
          f.type === "ticker" && (f.msg as Record<string, unknown>).price_dollars === `${price}00`,
      );
    await Promise.all([last(onA), last(onB)]);
    await eventually(
      () =>
        a.service.universe.market(ticker)?.last_price_dollars === `${price}00` &&
        b.service.universe.market(ticker)?.last_price_dollars === `${price}00`,
      3_000,
      "both universes to see the trade",
    );
    const expected = await restBook(trader, ticker);
    await eventually(
      () =>
        JSON.stringify(bookFromFrames(onB, `book:${ticker}`).bids) ===
        JSON.stringify(expected.bids),
      3_000,
      "b's book to match the exchange",
    );
    expect(relay.connections).toBe(1);
    onA.close();
    onB.close();
  }, 60_000);

  it("takes over within seconds when the leader dies: stale, resync, live again, nothing missed unseen", async () => {
    const [a, b] = instances as [Instance, Instance];
    expect(leads(a)).toBe(true);
    const { ticker, bid } = openTicker(b);
    const onB = new RecordingClient(b.url);
    await onB.opened;
    onB.subscribe(`book:${ticker}`, `trades:${ticker}`);
    await onB.waitFor((f) => f.type === "book_snapshot" && f.topic === `book:${ticker}`);
    await onB.waitFor(
      (f) => f.type === "status" && f.topic === `trades:${ticker}` && f.status === "live",
    );
    const before = onB.frames.length;

    const killedAt = Date.now();
    await a.kill();
    // Meanwhile a trade prints that no stream delivers to b.
    const price = ((bid + 1) / 100).toFixed(2);
    await order(trader, { ticker, side: "bid", count: "2", price });
    await order(other, {
      ticker,
      side: "ask",
      count: "2",
      price,
      time_in_force: "immediate_or_cancel",
    });

    await onB.waitFor(
      (f) => f.type === "status" && f.topic === `trades:${ticker}` && f.status === "stale",
      5_000,
      before,
    );
    await eventually(() => leads(b), 6_000, "b to take over");
    await onB.waitFor(
      (f) => f.type === "status" && f.topic === `trades:${ticker}` && f.status === "live",
      5_000,
      before,
    );
    await onB.waitFor(
      (f) => f.type === "book_snapshot" && f.topic === `book:${ticker}`,
      5_000,
      before,
    );
    const tookOverMs = Date.now() - killedAt;
    expect(tookOverMs).toBeLessThan(6_000);
    console.log(`takeover: browsers on b live again ${tookOverMs} ms after the leader died`);

    // The book the browser holds is the exchange's; the trade it missed is in b's universe.
    const expected = await restBook(trader, ticker);
    expect(bookFromFrames(onB, `book:${ticker}`).bids).toEqual(expected.bids);
    await eventually(
      () => b.service.universe.market(ticker)?.last_price_dollars === `${price}00`,
      5_000,
      "b's universe to catch up by its reconcile",
    );
    // One market-data connection again (a's was closed when it died).
    await eventually(() => relay.connections === 2, 3_000, "one new upstream connection");
    onB.close();
  }, 60_000);

  it("routes a user's private order update to their socket on the instance that does not own their upstream", async () => {
    const c = await startInstance("c");
    await eventually(() => c.service.isReady, 5_000, "c to load");
    const [, b] = instances as [Instance, Instance, Instance];
    const cookie = "test-session=trader";
    const originOf = (instance: Instance) =>
      instance.url.replace("ws://", "http://").replace("/ws", "");
    const onB = new RecordingClient(b.url, { cookie, origin: originOf(b) });
    const onC = new RecordingClient(c.url, { cookie, origin: originOf(c) });
    await Promise.all([onB.opened, onC.opened]);
    const connectionsBefore = relay.connections;
    onB.subscribe("orders");
    await onB.waitFor((f) => f.type === "status" && f.topic === "orders" && f.status === "live");
    onC.subscribe("orders");
    await onC.waitFor((f) => f.type === "status" && f.topic === "orders" && f.status === "live");
    // One connection for the credential, whichever instance holds it.
    expect(relay.connections - connectionsBefore).toBe(1);

    const { ticker } = openTicker(c);
    await order(trader, {
      ticker,
      side: "bid",
      count: "1",
      price: "0.01",
      client_order_id: "cluster-1",
    });
    for (const client of [onB, onC])
      await client.waitFor(
        (f) =>
          f.type === "order" && (f.msg as Record<string, unknown>).client_order_id === "cluster-1",
      );
    onB.close();
    onC.close();
  }, 60_000);

  it("accepts a gateway ticket once across instances", async () => {
    const [, b, c] = instances as [Instance, Instance, Instance];
    const expires = Date.now() + 60_000;
    expect(await b.runtime.claimTicket("ticket-1", expires)).toBe(true);
    expect(await c.runtime.claimTicket("ticket-1", expires)).toBe(false);
  });
});

/**
 * Test support for the gateway's integration tests: a real simulator, a real
 * gateway on an HTTP server, optional TCP proxies (to cut connections like a
 * network would), browser-like clients that record every frame, and a fake
 * authenticator that stands in for identity ONLY (credentials are real sim keys).
 */
import { createPrivateKey } from "node:crypto";
import { createServer, type Server } from "node:http";
import net, { type AddressInfo } from "node:net";
import WebSocket from "ws";
import { formatDollars, ONE_DOLLAR, parseDollars } from "@/lib/fixed-point";
import { PROTOCOL_NAME } from "@/lib/gateway/protocol";
import type { ActiveCredential, GatewayAuthenticator } from "@/server/gateway/authenticate";
import { createGateway, type GatewayHandle, type GatewayOptions } from "@/server/gateway/gateway";
import { provisionSimServiceCredential } from "@/server/gateway/service-credential";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { createTestAccount, type TestAccount } from "@/server/sim/testing/new-account";

/** A TCP relay that can drop every connection through it at once. */
export interface TcpProxy {
  port: number;
  connections: number;
  /** Destroys every open connection (both ends). */
  dropAll(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let total = 0;
  const server = net.createServer((client) => {
    total += 1;
    const upstream = net.connect(targetPort, "127.0.0.1");
    open.add(client);
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return total;
    },
    dropAll() {
      for (const socket of open) socket.destroy();
      open.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A fake user: identity via a `test-session=<userId>` cookie, credential = a real sim key. */
export interface TestUser {
  userId: string;
  cookie: string;
  account: TestAccount;
  credential: ActiveCredential;
}

export interface Harness {
  sim: RunningSim;
  gateway: GatewayHandle;
  server: Server;
  /** ws://127.0.0.1:port/ws */
  url: string;
  origin: string;
  /** Present when started with `upstreamProxy: true`: every upstream connection passes through it. */
  upstreamProxy: TcpProxy | null;
  users: TestUser[];
  /** Every upstream frame seen, by direction (when `record` is on). */
  upstreamLog: Array<{ label: string; direction: "in" | "out"; text: string }>;
  /** Drops inbound upstream frames for which this returns true (fault injection). */
  dropUpstream: ((text: string) => boolean) | null;
  close(): Promise<void>;
}

export interface HarnessOptions {
  users?: number;
  upstreamProxy?: boolean;
  gateway?: Partial<Pick<GatewayOptions, "limits" | "timers" | "ticketSecret" | "allowedOrigins">>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sim = await startSimExchange({ port: 0, bots: false });
  const upstreamProxy = options.upstreamProxy ? await startTcpProxy(sim.port) : null;
  const wsUrl = upstreamProxy ? `ws://127.0.0.1:${upstreamProxy.port}/trade-api/ws/v2` : sim.wsUrl;
  const users: TestUser[] = [];
  for (let i = 0; i < (options.users ?? 2); i += 1) {
    const account = await createTestAccount(sim.restBaseUrl, {
      balanceCents: 100_000_000,
      name: `user ${i}`,
    });
    const userId = `test-user-${i}`;
    users.push({
      userId,
      cookie: `test-session=${userId}`,
      account,
      credential: {
        id: `cred-${i}`,
        label: `sim ${i}`,
        environment: "sim",
        apiKeyId: account.apiKeyId,
        privateKey: createPrivateKey(account.privateKeyPem),
        restBaseUrl: sim.restBaseUrl,
        wsUrl,
      },
    });
  }
  const authenticator: GatewayAuthenticator = {
    async fromCookies(header) {
      const match = /(?:^|;\s*)test-session=([^;]+)/.exec(header ?? "");
      const user = users.find((candidate) => candidate.userId === match?.[1]);
      return user ? { userId: user.userId } : null;
    },
    async credentialFor(userId) {
      return users.find((user) => user.userId === userId)?.credential ?? null;
    },
  };
  const server = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  const harness: Harness = {
    sim,
    server,
    url: "",
    origin: "",
    upstreamProxy,
    users,
    upstreamLog: [],
    dropUpstream: null,
    gateway: null as unknown as GatewayHandle,
    async close() {
      await harness.gateway.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await upstreamProxy?.close();
      await sim.close();
    },
  };
  harness.gateway = createGateway({
    marketDataUrl: wsUrl,
    marketDataCredential: await provisionSimServiceCredential(sim.restBaseUrl),
    authenticator,
    log: () => {},
    ...options.gateway,
    timers: {
      subscriptionLingerMs: 0,
      connectionLingerMs: 300,
      reconnectBaseMs: 50,
      reconnectMaxMs: 500,
      ...options.gateway?.timers,
    },
    observeUpstream: (label, direction, text) => {
      harness.upstreamLog.push({ label, direction, text });
      if (direction === "in" && harness.dropUpstream?.(text)) return false;
      return true;
    },
  });
  server.on("upgrade", (request, socket, head) => {
    // Routed on the raw path so that the gateway itself sees malformed queries.
    const url = request.url ?? "";
    if (url === "/ws" || url.startsWith("/ws?"))
      harness.gateway.handleUpgrade(request, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  harness.url = `ws://127.0.0.1:${port}/ws`;
  harness.origin = `http://127.0.0.1:${port}`;
  return harness;
}

/** Commands the gateway sent upstream, parsed. */
export function upstreamCommands(
  harness: Harness,
  label = "market-data",
): Array<{ cmd: string; params: Record<string, unknown> }> {
  return harness.upstreamLog
    .filter((entry) => entry.direction === "out" && entry.label === label)
    .map((entry) => JSON.parse(entry.text) as { cmd: string; params: Record<string, unknown> });
}

export type Received = Record<string, unknown> & { type: string };

/**
 * A browser-like client recording every frame. It speaks kgw.v1 (one frame
 * per message) unless given other `protocols`; a kgw.v2 batch is recorded
 * frame by frame, and `messages` counts what arrived as WebSocket messages.
 */
export class RecordingClient {
  readonly frames: Received[] = [];
  /** How many frames each WebSocket message carried, in arrival order. */
  readonly messages: number[] = [];
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  constructor(
    url: string,
    options: { cookie?: string; origin?: string; protocols?: string[] } = {},
  ) {
    const headers: Record<string, string> = {};
    if (options.cookie) headers.cookie = options.cookie;
    if (options.origin) headers.origin = options.origin;
    this.ws = new WebSocket(url, options.protocols ?? [PROTOCOL_NAME], { headers });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve());
      this.ws.once("unexpected-response", (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      );
      this.ws.once("error", reject);
    });
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) => {
      this.ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    this.ws.on("message", (data) => {
      const json = JSON.parse(data.toString()) as Received | Received[];
      const frames = Array.isArray(json) ? json : [json];
      this.messages.push(frames.length);
      this.frames.push(...frames);
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  subscribe(...topics: string[]): void {
    this.send({ op: "subscribe", topics });
  }

  of(type: string, topic?: string): Received[] {
    return this.frames.filter(
      (frame) => frame.type === type && (topic === undefined || frame.topic === topic),
    );
  }

  /** Resolves with the first frame (from index `from`) matching `predicate`. */
  async waitFor(
    predicate: (frame: Received) => boolean,
    timeoutMs = 5_000,
    from = 0,
  ): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for a frame; last frames: ${JSON.stringify(this.frames.slice(-5))}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** Polls `check` until it returns true. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Applies a client's book frames for `topic` in order; throws on a sequence gap. */
export function bookFromFrames(
  client: RecordingClient,
  topic: string,
): { bids: Array<[string, string]>; asks: Array<[string, string]>; seq: number } {
  let bids = new Map<string, string>();
  let asks = new Map<string, string>();
  let seq: number | null = null;
  for (const frame of client.frames) {
    if (frame.topic !== topic) continue;
    if (frame.type === "book_snapshot") {
      bids = new Map((frame.bids as Array<[string, string]>).map(([p, s]) => [p, s]));
      asks = new Map((frame.asks as Array<[string, string]>).map(([p, s]) => [p, s]));
      seq = frame.seq as number;
    } else if (frame.type === "book_delta") {
      if (seq === null) continue;
      if (frame.seq !== seq + 1) throw new Error(`gap on ${topic}: ${seq} → ${String(frame.seq)}`);
      seq = frame.seq as number;
      const side = frame.side === "bid" ? bids : asks;
      if (frame.size === "0.00") side.delete(frame.price as string);
      else side.set(frame.price as string, frame.size as string);
    }
  }
  const sorted = (map: Map<string, string>, descending: boolean) =>
    [...map.entries()].sort(
      (a, b) => (descending ? -1 : 1) * (parseDollars(a[0]) - parseDollars(b[0])),
    );
  return { bids: sorted(bids, true), asks: sorted(asks, false), seq: seq ?? -1 };
}

/** The simulator's REST orderbook on the YES scale, best first (bids descending, asks ascending). */
export async function restBook(
  account: TestAccount,
  ticker: string,
): Promise<{ bids: Array<[string, string]>; asks: Array<[string, string]> }> {
  const response = await account.fetch(`/markets/${ticker}/orderbook`);
  const body = (await response.json()) as {
    orderbook_fp: { yes_dollars: Array<[string, string]>; no_dollars: Array<[string, string]> };
  };
  const complement = (price: string) => formatDollars(ONE_DOLLAR - parseDollars(price));
  return {
    bids: [...body.orderbook_fp.yes_dollars].reverse(),
    asks: body.orderbook_fp.no_dollars
      .map(([price, size]) => [complement(price), size] as [string, string])
      .sort((a, b) => parseDollars(a[0]) - parseDollars(b[0])),
  };
}

/**
 * Every BFF route, found by walking app/api for route.ts files (a new route
 * fails the first test until it is described here), driven in one run
 * against the real simulator with real sessions:
 *
 * - signed out: private routes answer 401, public ones serve;
 * - cross-site: every mutation answers 403 and nothing reaches the exchange;
 * - bad input: every mutation answers 400 naming the field and nothing
 *   changes, at the simulator or in our database;
 * - user B against user A's resources (orders, groups, RFQs, quotes,
 *   credentials...): B never sees or changes A's data;
 * - A's own success paths, and an exchange-side failure.
 *
 * Alice's stored credential is the canary key (server/testing/fixtures), and
 * a second copy is onboarded through POST /api/credentials: at the end, no
 * response body or header and nothing written to the console during the run
 * may contain any encoding of it.
 */
import { readdirSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { listCredentials } from "@/server/credentials/store";
import { comboStore } from "@/server/sim/combos/combo-store";
import { listOrderGroups } from "@/server/sim/order-groups/order-group-store";
import type { MarketRecord } from "@/server/sim/model";
import { listSubaccountTransfers } from "@/server/sim/subaccounts/subaccount-store";
import { createTestAccount, type TestAccount } from "@/server/sim/testing/new-account";
import { listWatchlist } from "@/server/watchlist/watchlist";
import { canaryKey, canaryNeedles, canaryPem, findNeedles } from "@/server/testing/canary";
import {
  errorOf,
  startBffHarness,
  TEST_PASSWORD,
  type BffHarness,
  type CallResult,
  type Handler,
  type Trader,
} from "@/server/testing/bff-harness";

const API_DIR = path.join(process.cwd(), "app", "api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

interface Request {
  path: string;
  params?: Record<string, string>;
  body?: unknown;
}

interface Ctx {
  h: BffHarness;
  alice: Trader;
  bob: Trader;
  carol: TestAccount;
  market: MarketRecord;
  other: MarketRecord;
  seriesTicker: string;
  /** Alice's resources, made in beforeAll. */
  a: {
    orderId: string;
    clientOrderId: string;
    groupId: string;
    groupOrderId: string;
    rfqId: string;
    quoteId: string;
    carolRfqId: string;
  };
}

interface RouteSpec {
  access: "public" | "session" | "trader" | "authjs";
  mutation?: boolean;
  /** As Bob, aimed at Alice's resources (or his own, for lists and creates). */
  asOther?: (c: Ctx) => Request;
  /** Statuses Bob may get. Default: 403 or 404. */
  otherStatus?: number[];
  /** Extra checks on Bob's answer. */
  otherCheck?: (result: CallResult, c: Ctx) => void;
  /** One bad field, as Alice; `field` is what the error must name. */
  bad?: { request: (c: Ctx) => Request; field: string };
  /** Why a mutation has no bad-input case. */
  noInput?: string;
  /** Alice's own success path (may set up what it needs first). */
  own?: (c: Ctx) => Promise<Request> | Request;
  ownStatus?: number;
  /** Why the route is not driven here. */
  skip?: string;
}

let ctx: Ctx;

/** A two-leg combo in the seeded economics collection: each release's first market, yes. */
function comboRequest(c: Ctx): Request {
  const collection = comboStore(c.h.sim.exchange.state).collection("KXMVEECONREL");
  const selected_markets = collection.associatedEvents.slice(0, 2).map((event) => ({
    market_ticker: c.h.sim.exchange.state.events.get(event.ticker)?.marketTickers[0] ?? "",
    event_ticker: event.ticker,
    side: "yes",
  }));
  return {
    path: "/api/collections/KXMVEECONREL",
    params: { ticker: "KXMVEECONREL" },
    body: { selected_markets },
  };
}
const transcript: string[] = [];
const restoreCapture: Array<() => void> = [];

/** Every `route.ts` under app/api, as "/api/orders/[orderId]". */
function discoverRoutes(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        found.push(
          "/" + path.relative(path.join(process.cwd(), "app"), dir).split(path.sep).join("/"),
        );
      }
    }
  };
  walk(API_DIR);
  return found.sort();
}

const modules = new Map<string, Record<string, unknown>>();

async function loadRoute(route: string): Promise<Record<string, unknown>> {
  const cached = modules.get(route);
  if (cached) return cached;
  const loaded = (await import(path.join(process.cwd(), "app", route, "route.ts"))) as Record<
    string,
    unknown
  >;
  modules.set(route, loaded);
  return loaded;
}

async function handlerOf(key: string): Promise<Handler> {
  const [method, route] = key.split(" ") as [string, string];
  const handler = (await loadRoute(route))[method];
  if (typeof handler !== "function") throw new Error(`${key} is not exported`);
  return handler as Handler;
}

const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

// ---- resources made through the BFF as Alice (so they are signed with the canary) ----

async function placeOrder(who: Trader, extra: Record<string, unknown> = {}): Promise<string> {
  const result = await ctx.h.call(await handlerOf("POST /api/orders"), {
    method: "POST",
    path: "/api/orders",
    cookie: who.cookie,
    body: { ticker: ctx.market.ticker, side: "bid", count: "1", price: "0.01", ...extra },
  });
  if (result.status !== 201) throw new Error(`order: ${result.status} ${result.text}`);
  return String(result.body.order_id);
}

async function createGroup(who: Trader): Promise<string> {
  const result = await ctx.h.call(await handlerOf("POST /api/order-groups"), {
    method: "POST",
    path: "/api/order-groups",
    cookie: who.cookie,
    body: { contracts_limit: "5" },
  });
  if (result.status !== 201) throw new Error(`group: ${result.status} ${result.text}`);
  return String(result.body.order_group_id);
}

async function createRfq(who: Trader, ticker: string): Promise<string> {
  const result = await ctx.h.call(await handlerOf("POST /api/rfqs"), {
    method: "POST",
    path: "/api/rfqs",
    cookie: who.cookie,
    body: { market_ticker: ticker, contracts: "2", replace_existing: true },
  });
  if (result.status !== 201) throw new Error(`rfq: ${result.status} ${result.text}`);
  return String(result.body.id);
}

async function createQuote(who: Trader, rfqId: string): Promise<string> {
  const result = await ctx.h.call(await handlerOf("POST /api/quotes"), {
    method: "POST",
    path: "/api/quotes",
    cookie: who.cookie,
    body: { rfq_id: rfqId, yes_bid: "0.30", no_bid: "0.60" },
  });
  if (result.status !== 201) throw new Error(`quote: ${result.status} ${result.text}`);
  return String(result.body.id);
}

async function carolRfq(ticker: string): Promise<string> {
  const response = await ctx.carol.fetch("/communications/rfqs", {
    method: "POST",
    body: JSON.stringify({
      market_ticker: ticker,
      contracts_fp: "2",
      rest_remainder: false,
      replace_existing: true,
    }),
  });
  if (response.status !== 201)
    throw new Error(`carol rfq: ${response.status} ${await response.text()}`);
  return String((await json(response)).id);
}

// ---- what Alice has, to prove nothing of it changed ----

async function stateOf(trader: Trader): Promise<string> {
  const { state, rfqDesk } = ctx.h.sim.exchange;
  const userId = trader.account.userId;
  const user = state.users.get(userId);
  const orders = [...state.orders.values()]
    .filter((o) => o.userId === userId)
    .map((o) => [o.orderId, o.status, o.remainingCount, o.price])
    .sort();
  const groups = listOrderGroups(state, userId)
    .map((g) => [g.orderGroupId, g.triggered, g.contractsLimit, g.orderIds.length])
    .sort();
  const rfqs = [...rfqDesk.rfqs.values()]
    .filter((r) => r.userId === userId)
    .map((r) => [r.id, r.status])
    .sort();
  const quotes = [...rfqDesk.quotes.values()]
    .filter((q) => q.userId === userId)
    .map((q) => [q.id, q.status])
    .sort();
  const credentials = (await listCredentials(ctx.h.database.db, trader.userId))
    .map((cred) => [cred.id, cred.active, cred.fingerprint])
    .sort();
  const watchlist = (await listWatchlist(ctx.h.database.db, trader.userId)).items.map(
    (i) => i.ticker,
  );
  return JSON.stringify({
    orders,
    groups,
    rfqs,
    quotes,
    balances: [...(user?.balances ?? new Map()).entries()],
    subaccounts: user?.subaccountCount,
    transfers: listSubaccountTransfers(state, userId).length,
    credentials,
    watchlist,
  });
}

async function everything(): Promise<string> {
  const { state, rfqDesk } = ctx.h.sim.exchange;
  return JSON.stringify({
    alice: await stateOf(ctx.alice),
    bob: await stateOf(ctx.bob),
    orders: state.orders.size,
    users: state.users.size,
    rfqs: rfqDesk.rfqs.size,
    quotes: rfqDesk.quotes.size,
  });
}

/** What of Alice's must never appear in an answer to Bob. */
function aliceSecrets(c: Ctx): string[] {
  return [
    c.alice.account.userId,
    c.alice.account.apiKeyId,
    c.alice.email,
    c.a.clientOrderId,
    c.alice.credentialId,
  ];
}

const ids = (list: unknown, key = "id") =>
  ((list as Array<Record<string, unknown>>) ?? []).map((x) => String(x[key]));

const now = () => Math.floor(Date.now() / 1000);

const ROUTES: Record<string, RouteSpec> = {
  // ---------------------------------------------------------------- auth and settings
  "GET /api/auth/[...nextauth]": {
    access: "authjs",
    skip: "Auth.js's own handlers (sign-in, CSRF, session): covered by app/api/auth tests",
  },
  "POST /api/auth/[...nextauth]": {
    access: "authjs",
    skip: "Auth.js's own handlers (sign-in, CSRF, session): covered by app/api/auth tests",
  },
  "POST /api/auth/reauth": {
    access: "session",
    mutation: true,
    asOther: () => ({
      path: "/api/auth/reauth",
      body: { password: "alice's password is not bob's" },
    }),
    otherStatus: [401],
    bad: {
      request: () => ({ path: "/api/auth/reauth", body: { password: 12 } }),
      field: "password",
    },
    own: () => ({ path: "/api/auth/reauth", body: { password: TEST_PASSWORD } }),
  },
  "GET /api/credentials": {
    access: "session",
    asOther: () => ({ path: "/api/credentials" }),
    otherStatus: [200],
    otherCheck: (result, c) => {
      const mine = ids(result.body.credentials);
      expect(mine).toEqual([c.bob.credentialId]);
    },
    own: () => ({ path: "/api/credentials" }),
  },
  "POST /api/credentials": {
    access: "session",
    mutation: true,
    // Bob claims Alice's key id with a key of his own: the signed check fails.
    asOther: (c) => ({
      path: "/api/credentials",
      body: {
        label: "not mine",
        environment: "sim",
        apiKeyId: c.alice.account.apiKeyId,
        privateKeyPem: c.bob.account.privateKeyPem,
      },
    }),
    otherStatus: [400, 401, 403, 422],
    bad: {
      request: () => ({
        path: "/api/credentials",
        body: { label: "x", environment: "moon", apiKeyId: "k", privateKeyPem: "p" },
      }),
      field: "environment",
    },
    // The canary, onboarded the way a user would paste it.
    own: async (c) => {
      const user = c.h.sim.exchange.state.users.get(c.alice.account.userId);
      if (!user) throw new Error("no alice at the sim");
      const { storeApiKey } = await import("@/server/sim/accounts");
      const { createPublicKey } = await import("node:crypto");
      const record = storeApiKey(
        c.h.sim.exchange.state,
        user,
        "canary again",
        createPublicKey(canaryKey()).export({ type: "spki", format: "pem" }).toString(),
      );
      return {
        path: "/api/credentials",
        body: {
          label: "canary",
          environment: "sim",
          apiKeyId: record.apiKeyId,
          privateKeyPem: canaryPem(),
        },
      };
    },
    ownStatus: 201,
  },
  "POST /api/credentials/sim-account": {
    access: "session",
    mutation: true,
    asOther: () => ({ path: "/api/credentials/sim-account", body: {} }),
    otherStatus: [201],
    otherCheck: (result, c) => expect(result.text).not.toContain(c.alice.credentialId),
    bad: {
      request: () => ({ path: "/api/credentials/sim-account", body: { label: "" } }),
      field: "label",
    },
    own: () => ({ path: "/api/credentials/sim-account", body: { label: "second" } }),
    ownStatus: 201,
  },
  "POST /api/credentials/[id]/activate": {
    access: "session",
    mutation: true,
    asOther: (c) => ({
      path: `/api/credentials/${c.alice.credentialId}/activate`,
      params: { id: c.alice.credentialId },
    }),
    bad: {
      request: () => ({ path: "/api/credentials/nope/activate", params: { id: "nope" } }),
      field: "id",
    },
    own: (c) => ({
      path: `/api/credentials/${c.alice.credentialId}/activate`,
      params: { id: c.alice.credentialId },
    }),
  },
  "DELETE /api/credentials/[id]": {
    access: "session",
    mutation: true,
    asOther: (c) => ({
      path: `/api/credentials/${c.alice.credentialId}`,
      params: { id: c.alice.credentialId },
    }),
    bad: {
      request: () => ({ path: "/api/credentials/nope", params: { id: "nope" } }),
      field: "id",
    },
    // Deletes the spare (non-active) credential the sim-account success path made.
    own: async (c) => {
      const spare = (await listCredentials(c.h.database.db, c.alice.userId)).find(
        (cred) => !cred.active,
      );
      if (!spare) throw new Error("no spare credential to delete");
      return { path: `/api/credentials/${spare.id}`, params: { id: spare.id } };
    },
    ownStatus: 204,
  },
  "POST /api/ws-ticket": {
    access: "session",
    mutation: true,
    asOther: () => ({ path: "/api/ws-ticket" }),
    otherStatus: [201],
    noInput: "takes no body or parameters",
    own: () => ({ path: "/api/ws-ticket" }),
    ownStatus: 201,
  },
  "GET /api/watchlist": {
    access: "session",
    asOther: () => ({ path: "/api/watchlist" }),
    otherStatus: [200],
    otherCheck: (result) => expect(result.body.items).toEqual([]),
    own: () => ({ path: "/api/watchlist" }),
  },
  "POST /api/watchlist": {
    access: "session",
    mutation: true,
    asOther: (c) => ({ path: "/api/watchlist", body: { ticker: c.other.ticker } }),
    otherStatus: [200, 201],
    bad: {
      request: () => ({ path: "/api/watchlist", body: { ticker: "no spaces allowed" } }),
      field: "ticker",
    },
    own: (c) => ({ path: "/api/watchlist", body: { ticker: c.other.ticker } }),
    ownStatus: 201,
  },
  "DELETE /api/watchlist/[ticker]": {
    access: "session",
    mutation: true,
    // Bob removing the market Alice watches only touches his own list.
    asOther: (c) => ({
      path: `/api/watchlist/${c.market.ticker}`,
      params: { ticker: c.market.ticker },
    }),
    otherStatus: [200, 204, 404],
    bad: {
      request: () => ({ path: "/api/watchlist/a%20b", params: { ticker: "a b" } }),
      field: "ticker",
    },
    own: (c) => ({ path: `/api/watchlist/${c.other.ticker}`, params: { ticker: c.other.ticker } }),
  },

  // ---------------------------------------------------------------- public market data
  "GET /api/exchange/status": { access: "public", own: () => ({ path: "/api/exchange/status" }) },
  "GET /api/health": { access: "public", own: () => ({ path: "/api/health" }) },
  "GET /api/markets": { access: "public", own: () => ({ path: "/api/markets?limit=3" }) },
  "GET /api/markets/[ticker]": {
    access: "public",
    own: (c) => ({ path: `/api/markets/${c.market.ticker}`, params: { ticker: c.market.ticker } }),
  },
  "GET /api/markets/[ticker]/orderbook": {
    access: "public",
    own: (c) => ({
      path: `/api/markets/${c.market.ticker}/orderbook?depth=3`,
      params: { ticker: c.market.ticker },
    }),
  },
  "GET /api/markets/[ticker]/candlesticks": {
    access: "public",
    own: (c) => ({
      path: `/api/markets/${c.market.ticker}/candlesticks?series_ticker=${c.seriesTicker}&start_ts=${now() - 86_400}&end_ts=${now()}&period_interval=60`,
      params: { ticker: c.market.ticker },
    }),
  },
  "GET /api/events": { access: "public", own: () => ({ path: "/api/events?limit=2" }) },
  "GET /api/events/[ticker]": {
    access: "public",
    own: (c) => ({
      path: `/api/events/${c.market.eventTicker}`,
      params: { ticker: c.market.eventTicker },
    }),
  },
  "GET /api/series": { access: "public", own: () => ({ path: "/api/series" }) },
  "GET /api/categories": { access: "public", own: () => ({ path: "/api/categories" }) },
  "GET /api/series/[ticker]": {
    access: "public",
    own: (c) => ({ path: `/api/series/${c.seriesTicker}`, params: { ticker: c.seriesTicker } }),
  },
  "GET /api/trades": {
    access: "public",
    own: (c) => ({ path: `/api/trades?ticker=${c.market.ticker}&limit=3` }),
  },
  "GET /api/search": { access: "public", own: () => ({ path: "/api/search?q=high" }) },
  "GET /api/collections": {
    access: "public",
    own: () => ({ path: "/api/collections?status=open" }),
  },
  "GET /api/collections/[ticker]": {
    access: "public",
    own: () => ({ path: "/api/collections/KXMVEECONREL", params: { ticker: "KXMVEECONREL" } }),
  },
  "POST /api/collections/[ticker]": {
    access: "trader",
    mutation: true,
    // Combos are shared markets, not anyone's resource: Bob finds the same one.
    asOther: (c) => comboRequest(c),
    otherStatus: [200],
    bad: {
      request: () => ({
        path: "/api/collections/KXMVEECONREL",
        params: { ticker: "KXMVEECONREL" },
        body: { selected_markets: [] },
      }),
      field: "selected_markets",
    },
    own: (c) => comboRequest(c),
  },

  // ---------------------------------------------------------------- portfolio and account
  "GET /api/portfolio/balance": {
    access: "trader",
    asOther: () => ({ path: "/api/portfolio/balance" }),
    otherStatus: [200],
    otherCheck: (result, c) => expect(result.body.balance).toBe(c.bob.account.balanceCents),
    own: () => ({ path: "/api/portfolio/balance" }),
  },
  "GET /api/portfolio/positions": {
    access: "trader",
    asOther: () => ({ path: "/api/portfolio/positions" }),
    otherStatus: [200],
    otherCheck: (result) => expect(result.body.market_positions).toEqual([]),
    own: () => ({ path: "/api/portfolio/positions" }),
  },
  "GET /api/portfolio/fills": {
    access: "trader",
    asOther: () => ({ path: "/api/portfolio/fills" }),
    otherStatus: [200],
    otherCheck: (result) => expect(result.body.fills).toEqual([]),
    own: () => ({ path: "/api/portfolio/fills" }),
  },
  "GET /api/portfolio/settlements": {
    access: "trader",
    asOther: () => ({ path: "/api/portfolio/settlements" }),
    otherStatus: [200],
    otherCheck: (result) => expect(result.body.settlements).toEqual([]),
    own: () => ({ path: "/api/portfolio/settlements" }),
  },
  "GET /api/account/sessions": {
    access: "session",
    asOther: () => ({ path: "/api/account/sessions" }),
    otherStatus: [200],
    otherCheck: (result) => {
      const sessions = result.body.sessions as Array<{ current: boolean }>;
      expect(sessions.filter((session) => session.current)).toHaveLength(1);
    },
    own: () => ({ path: "/api/account/sessions" }),
  },
  "DELETE /api/account/sessions": {
    access: "session",
    mutation: true,
    skip: "ends every session of the caller (the run's own cookies): covered by server/auth/session-revocation.test.ts",
  },
  "DELETE /api/account/sessions/[sessionId]": {
    access: "session",
    mutation: true,
    // Bob aims at a session id that is not his (a random one): 404, nothing ends.
    asOther: () => ({
      path: "/api/account/sessions/00000000-0000-4000-8000-000000000000",
      params: { sessionId: "00000000-0000-4000-8000-000000000000" },
    }),
    bad: {
      request: () => ({ path: "/api/account/sessions/nope", params: { sessionId: "nope" } }),
      field: "sessionId",
    },
  },
  "POST /api/account/password": {
    access: "session",
    mutation: true,
    asOther: () => ({
      path: "/api/account/password",
      body: { currentPassword: "not bob's password", newPassword: "a brand new password" },
    }),
    otherStatus: [401],
    bad: {
      request: () => ({
        path: "/api/account/password",
        body: { currentPassword: TEST_PASSWORD, newPassword: "short" },
      }),
      field: "newPassword",
    },
  },
  "GET /api/account/security-events": {
    access: "session",
    asOther: () => ({ path: "/api/account/security-events" }),
    otherStatus: [200],
    own: () => ({ path: "/api/account/security-events" }),
  },
  "GET /api/portfolio/history/[kind]": {
    access: "trader",
    asOther: () => ({ path: "/api/portfolio/history/fills", params: { kind: "fills" } }),
    otherStatus: [200],
    otherCheck: (result) => expect(result.body.items).toEqual([]),
    own: () => ({ path: "/api/portfolio/history/orders", params: { kind: "orders" } }),
  },
  "GET /api/portfolio/export/[kind]": {
    access: "trader",
    asOther: () => ({ path: "/api/portfolio/export/orders", params: { kind: "orders" } }),
    otherStatus: [200],
    // Bob's export is the header line alone: none of Alice's orders.
    otherCheck: (result) => expect(result.text.trim().split("\n")).toHaveLength(1),
    own: () => ({ path: "/api/portfolio/export/fills", params: { kind: "fills" } }),
  },
  "GET /api/portfolio/equity": {
    access: "trader",
    asOther: () => ({ path: "/api/portfolio/equity" }),
    otherStatus: [200],
    otherCheck: (result) => expect(result.body.points).toEqual([]),
    own: () => ({ path: "/api/portfolio/equity?range=ALL" }),
  },
  "POST /api/portfolio/equity": {
    access: "trader",
    mutation: true,
    // Bob records his own account's snapshot; Alice's curve is untouched.
    asOther: () => ({ path: "/api/portfolio/equity", body: { reason: "manual" } }),
    otherStatus: [201],
    bad: {
      request: () => ({ path: "/api/portfolio/equity", body: { reason: "nope" } }),
      field: "reason",
    },
    own: () => ({ path: "/api/portfolio/equity", body: {} }),
    ownStatus: 201,
  },
  "GET /api/account/limits": {
    access: "trader",
    asOther: () => ({ path: "/api/account/limits" }),
    otherStatus: [200],
    otherCheck: (result) => expect(result.body.usage_tier).toBe("basic"),
    own: () => ({ path: "/api/account/limits" }),
  },

  // ---------------------------------------------------------------- orders
  "GET /api/orders": {
    access: "trader",
    asOther: () => ({ path: "/api/orders" }),
    otherStatus: [200],
    otherCheck: (result, c) =>
      expect(ids(result.body.orders, "order_id")).not.toContain(c.a.orderId),
    own: () => ({ path: "/api/orders" }),
  },
  "POST /api/orders": {
    access: "trader",
    mutation: true,
    asOther: (c) => ({
      path: "/api/orders",
      body: {
        ticker: c.market.ticker,
        side: "bid",
        count: "1",
        price: "0.01",
        client_order_id: c.a.clientOrderId,
      },
    }),
    otherStatus: [201],
    otherCheck: (result, c) => {
      // Same client_order_id as Alice's order, yet a new order of Bob's: ids are per member.
      const order = c.h.sim.exchange.state.orders.get(String(result.body.order_id));
      expect(order?.userId).toBe(c.bob.account.userId);
      expect(result.body.order_id).not.toBe(c.a.orderId);
    },
    bad: {
      request: (c) => ({
        path: "/api/orders",
        body: { ticker: c.market.ticker, side: "bid", count: "1", price: "1.50" },
      }),
      field: "price",
    },
    own: (c) => ({
      path: "/api/orders",
      body: { ticker: c.market.ticker, side: "bid", count: "1", price: "0.02" },
    }),
    ownStatus: 201,
  },
  "GET /api/orders/queue-positions": {
    access: "trader",
    // Bob asks about the market Alice rests an order in: he sees only his own orders, never hers.
    asOther: (c) => ({ path: `/api/orders/queue-positions?ticker=${c.market.ticker}` }),
    otherStatus: [200],
    otherCheck: (result, c) =>
      expect(ids(result.body.queue_positions, "order_id")).not.toContain(c.a.orderId),
    bad: {
      request: () => ({ path: "/api/orders/queue-positions?ticker=not%20a%20ticker" }),
      field: "ticker",
    },
    own: (c) => ({ path: `/api/orders/queue-positions?ticker=${c.market.ticker}` }),
  },
  "GET /api/orders/[orderId]": {
    access: "trader",
    asOther: (c) => ({ path: `/api/orders/${c.a.orderId}`, params: { orderId: c.a.orderId } }),
    own: (c) => ({ path: `/api/orders/${c.a.orderId}`, params: { orderId: c.a.orderId } }),
  },
  "DELETE /api/orders/[orderId]": {
    access: "trader",
    mutation: true,
    asOther: (c) => ({ path: `/api/orders/${c.a.orderId}`, params: { orderId: c.a.orderId } }),
    bad: {
      request: () => ({ path: "/api/orders/bad%20id", params: { orderId: "bad id" } }),
      field: "orderId",
    },
    own: async (c) => {
      const orderId = await placeOrder(c.alice);
      return { path: `/api/orders/${orderId}`, params: { orderId } };
    },
  },
  "POST /api/orders/[orderId]/amend": {
    access: "trader",
    mutation: true,
    asOther: (c) => ({
      path: `/api/orders/${c.a.orderId}/amend`,
      params: { orderId: c.a.orderId },
      body: { ticker: c.market.ticker, side: "bid", price: "0.03", count: "1" },
    }),
    bad: {
      request: (c) => ({
        path: `/api/orders/${c.a.orderId}/amend`,
        params: { orderId: c.a.orderId },
        body: { ticker: c.market.ticker, side: "buy", price: "0.03", count: "1" },
      }),
      field: "side",
    },
    own: async (c) => {
      const orderId = await placeOrder(c.alice);
      return {
        path: `/api/orders/${orderId}/amend`,
        params: { orderId },
        body: { ticker: c.market.ticker, side: "bid", price: "0.02", count: "2" },
      };
    },
  },
  "POST /api/orders/[orderId]/decrease": {
    access: "trader",
    mutation: true,
    asOther: (c) => ({
      path: `/api/orders/${c.a.orderId}/decrease`,
      params: { orderId: c.a.orderId },
      body: { reduce_to: "0" },
    }),
    bad: {
      request: (c) => ({
        path: `/api/orders/${c.a.orderId}/decrease`,
        params: { orderId: c.a.orderId },
        body: { reduce_by: "-1" },
      }),
      field: "reduce_by",
    },
    own: async (c) => {
      const orderId = await placeOrder(c.alice, { count: "3" });
      return {
        path: `/api/orders/${orderId}/decrease`,
        params: { orderId },
        body: { reduce_by: "1" },
      };
    },
  },
  "POST /api/orders/batch": {
    access: "trader",
    mutation: true,
    asOther: (c) => ({
      path: "/api/orders/batch",
      body: { orders: [{ ticker: c.market.ticker, side: "bid", count: "1", price: "0.01" }] },
    }),
    otherStatus: [201],
    otherCheck: (result, c) => {
      const placed = (result.body.orders as Array<{ order_id?: string }>)[0]?.order_id;
      expect(c.h.sim.exchange.state.orders.get(String(placed))?.userId).toBe(c.bob.account.userId);
    },
    bad: {
      request: (c) => ({
        path: "/api/orders/batch",
        body: { orders: [{ ticker: c.market.ticker, side: "bid", count: "0", price: "0.01" }] },
      }),
      field: "orders.0.count",
    },
    own: (c) => ({
      path: "/api/orders/batch",
      body: { orders: [{ ticker: c.market.ticker, side: "bid", count: "1", price: "0.01" }] },
    }),
    ownStatus: 201,
  },
  "DELETE /api/orders/batch": {
    access: "trader",
    mutation: true,
    // Kalshi answers a batch per order: Alice's order is an error for Bob, and stays.
    asOther: (c) => ({ path: "/api/orders/batch", body: { orders: [{ order_id: c.a.orderId }] } }),
    otherStatus: [200, 400, 403, 404],
    otherCheck: (result) => expect(result.text).not.toMatch(/"status":"canceled"/),
    bad: { request: () => ({ path: "/api/orders/batch", body: { orders: [] } }), field: "orders" },
    own: async (c) => {
      const orderId = await placeOrder(c.alice);
      return { path: "/api/orders/batch", body: { orders: [{ order_id: orderId }] } };
    },
  },

  // ---------------------------------------------------------------- order groups
  "GET /api/order-groups": {
    access: "trader",
    asOther: () => ({ path: "/api/order-groups" }),
    otherStatus: [200],
    otherCheck: (result, c) => expect(ids(result.body.order_groups)).not.toContain(c.a.groupId),
    own: () => ({ path: "/api/order-groups" }),
  },
  "POST /api/order-groups": {
    access: "trader",
    mutation: true,
    asOther: () => ({ path: "/api/order-groups", body: { contracts_limit: "3" } }),
    otherStatus: [201],
    bad: {
      request: () => ({ path: "/api/order-groups", body: { contracts_limit: "lots" } }),
      field: "contracts_limit",
    },
    own: () => ({ path: "/api/order-groups", body: { contracts_limit: "4" } }),
    ownStatus: 201,
  },
  "GET /api/order-groups/[groupId]": {
    access: "trader",
    asOther: (c) => ({
      path: `/api/order-groups/${c.a.groupId}`,
      params: { groupId: c.a.groupId },
    }),
    own: (c) => ({ path: `/api/order-groups/${c.a.groupId}`, params: { groupId: c.a.groupId } }),
  },
  "DELETE /api/order-groups/[groupId]": {
    access: "trader",
    mutation: true,
    asOther: (c) => ({
      path: `/api/order-groups/${c.a.groupId}`,
      params: { groupId: c.a.groupId },
    }),
    bad: {
      request: () => ({ path: "/api/order-groups/x%2Fy", params: { groupId: "x/y" } }),
      field: "groupId",
    },
    own: async (c) => {
      const groupId = await createGroup(c.alice);
      return { path: `/api/order-groups/${groupId}`, params: { groupId } };
    },
  },
  "PUT /api/order-groups/[groupId]/limit": {
    access: "trader",
    mutation: true,
    asOther: (c) => ({
      path: `/api/order-groups/${c.a.groupId}/limit`,
      params: { groupId: c.a.groupId },
      body: { contracts_limit: "1" },
    }),
    bad: {
      request: (c) => ({
        path: `/api/order-groups/${c.a.groupId}/limit`,
        params: { groupId: c.a.groupId },
        body: { contracts_limit: "0" },
      }),
      field: "contracts_limit",
    },
    own: (c) => ({
      path: `/api/order-groups/${c.a.groupId}/limit`,
      params: { groupId: c.a.groupId },
      body: { contracts_limit: "6" },
    }),
  },
  "POST /api/order-groups/[groupId]/trigger": {
    access: "trader",
    mutation: true,
    asOther: (c) => ({
      path: `/api/order-groups/${c.a.groupId}/trigger`,
      params: { groupId: c.a.groupId },
    }),
    bad: {
      request: (c) => ({
        path: `/api/order-groups/${c.a.groupId}/trigger?subaccount=99`,
        params: { groupId: c.a.groupId },
      }),
      field: "subaccount",
    },
    own: async (c) => {
      const groupId = await createGroup(c.alice);
      return { path: `/api/order-groups/${groupId}/trigger`, params: { groupId } };
    },
  },
  "POST /api/order-groups/[groupId]/reset": {
    access: "trader",
    mutation: true,
    asOther: (c) => ({
      path: `/api/order-groups/${c.a.groupId}/reset`,
      params: { groupId: c.a.groupId },
    }),
    bad: {
      request: () => ({ path: "/api/order-groups/x%20y/reset", params: { groupId: "x y" } }),
      field: "groupId",
    },
    own: (c) => ({
      path: `/api/order-groups/${c.a.groupId}/reset`,
      params: { groupId: c.a.groupId },
    }),
  },

  // ---------------------------------------------------------------- RFQs and quotes
  "GET /api/rfqs": {
    access: "trader",
    asOther: () => ({ path: "/api/rfqs?mine=true" }),
    otherStatus: [200],
    otherCheck: (result, c) => expect(ids(result.body.rfqs)).not.toContain(c.a.rfqId),
    own: () => ({ path: "/api/rfqs?mine=true" }),
  },
  "POST /api/rfqs": {
    access: "trader",
    mutation: true,
    asOther: (c) => ({
      path: "/api/rfqs",
      body: { market_ticker: c.market.ticker, contracts: "1" },
    }),
    otherStatus: [201],
    otherCheck: (result, c) =>
      expect(c.h.sim.exchange.rfqDesk.rfqs.get(String(result.body.id))?.userId).toBe(
        c.bob.account.userId,
      ),
    bad: {
      request: (c) => ({
        path: "/api/rfqs",
        body: { market_ticker: c.market.ticker, contracts: "abc" },
      }),
      field: "contracts",
    },
    own: (c) => ({
      path: "/api/rfqs",
      body: { market_ticker: c.other.ticker, contracts: "1", replace_existing: true },
    }),
    ownStatus: 201,
  },
  "GET /api/rfqs/[rfqId]": {
    access: "trader",
    // RFQs are public at Kalshi (makers must see them), but never their creator's private fields.
    asOther: (c) => ({ path: `/api/rfqs/${c.a.rfqId}`, params: { rfqId: c.a.rfqId } }),
    otherStatus: [200],
    otherCheck: (result) => {
      expect(result.body.rfq).not.toHaveProperty("creator_user_id");
      expect(result.body.rfq).not.toHaveProperty("creator_subaccount");
    },
    own: (c) => ({ path: `/api/rfqs/${c.a.rfqId}`, params: { rfqId: c.a.rfqId } }),
  },
  "DELETE /api/rfqs/[rfqId]": {
    access: "trader",
    mutation: true,
    asOther: (c) => ({ path: `/api/rfqs/${c.a.rfqId}`, params: { rfqId: c.a.rfqId } }),
    bad: { request: () => ({ path: "/api/rfqs/a%20b", params: { rfqId: "a b" } }), field: "rfqId" },
    own: async (c) => {
      const rfqId = await createRfq(c.alice, c.other.ticker);
      return { path: `/api/rfqs/${rfqId}`, params: { rfqId } };
    },
  },
  "GET /api/quotes": {
    access: "trader",
    asOther: () => ({ path: "/api/quotes?role=maker" }),
    otherStatus: [200],
    otherCheck: (result, c) => expect(ids(result.body.quotes)).not.toContain(c.a.quoteId),
    own: () => ({ path: "/api/quotes?role=maker" }),
  },
  "POST /api/quotes": {
    access: "trader",
    mutation: true,
    // Quoting someone else's RFQ is what makers do; Bob's quote is his, and Alice's records stay as they were.
    asOther: (c) => ({
      path: "/api/quotes",
      body: { rfq_id: c.a.carolRfqId, yes_bid: "0.20", no_bid: "0.70" },
    }),
    otherStatus: [201],
    otherCheck: (result, c) =>
      expect(c.h.sim.exchange.rfqDesk.quotes.get(String(result.body.id))?.userId).toBe(
        c.bob.account.userId,
      ),
    bad: {
      request: () => ({ path: "/api/quotes", body: { rfq_id: "r", yes_bid: "0.4", no_bid: "2" } }),
      field: "no_bid",
    },
    own: async (c) => ({
      path: "/api/quotes",
      body: { rfq_id: await carolRfq(c.other.ticker), yes_bid: "0.25", no_bid: "0.65" },
    }),
    ownStatus: 201,
  },
  "GET /api/quotes/[quoteId]": {
    access: "trader",
    asOther: (c) => ({ path: `/api/quotes/${c.a.quoteId}`, params: { quoteId: c.a.quoteId } }),
    own: (c) => ({ path: `/api/quotes/${c.a.quoteId}`, params: { quoteId: c.a.quoteId } }),
  },
  "DELETE /api/quotes/[quoteId]": {
    access: "trader",
    mutation: true,
    asOther: (c) => ({ path: `/api/quotes/${c.a.quoteId}`, params: { quoteId: c.a.quoteId } }),
    otherStatus: [400, 403, 404, 409],
    bad: {
      request: () => ({ path: "/api/quotes/a%20b", params: { quoteId: "a b" } }),
      field: "quoteId",
    },
    own: async (c) => {
      const quoteId = await createQuote(c.alice, await carolRfq(c.other.ticker));
      return { path: `/api/quotes/${quoteId}`, params: { quoteId } };
    },
  },
  "POST /api/quotes/[quoteId]/accept": {
    access: "trader",
    mutation: true,
    // Only the RFQ's creator (Carol) may accept Alice's quote.
    asOther: (c) => ({
      path: `/api/quotes/${c.a.quoteId}/accept`,
      params: { quoteId: c.a.quoteId },
      body: { accepted_side: "yes" },
    }),
    otherStatus: [400, 403, 404, 409],
    bad: {
      request: (c) => ({
        path: `/api/quotes/${c.a.quoteId}/accept`,
        params: { quoteId: c.a.quoteId },
        body: { accepted_side: "maybe" },
      }),
      field: "accepted_side",
    },
    own: async (c) => {
      const rfqId = await createRfq(c.alice, c.other.ticker);
      const quoteId = await createQuote(c.bob, rfqId);
      return {
        path: `/api/quotes/${quoteId}/accept`,
        params: { quoteId },
        body: { accepted_side: "no" },
      };
    },
  },
  "POST /api/quotes/[quoteId]/confirm": {
    access: "trader",
    mutation: true,
    asOther: (c) => ({
      path: `/api/quotes/${c.a.quoteId}/confirm`,
      params: { quoteId: c.a.quoteId },
    }),
    otherStatus: [400, 403, 404, 409],
    bad: {
      request: () => ({ path: "/api/quotes/a%20b/confirm", params: { quoteId: "a b" } }),
      field: "quoteId",
    },
    own: async (c) => {
      const rfqId = await carolRfq(c.other.ticker);
      const quoteId = await createQuote(c.alice, rfqId);
      const accepted = await c.carol.fetch(`/communications/quotes/${quoteId}/accept`, {
        method: "PUT",
        body: JSON.stringify({ accepted_side: "yes" }),
      });
      if (accepted.status !== 204) throw new Error(`carol accept: ${accepted.status}`);
      return { path: `/api/quotes/${quoteId}/confirm`, params: { quoteId } };
    },
  },

  // ---------------------------------------------------------------- subaccounts
  "GET /api/subaccounts": {
    access: "trader",
    asOther: () => ({ path: "/api/subaccounts" }),
    otherStatus: [200],
    otherCheck: (result) =>
      expect(ids(result.body.subaccount_balances, "subaccount_number")).toEqual(["0"]),
    own: () => ({ path: "/api/subaccounts" }),
  },
  "POST /api/subaccounts": {
    access: "trader",
    mutation: true,
    // Bob is on the Basic tier: the exchange refuses, and Alice's subaccounts are untouched either way.
    asOther: () => ({ path: "/api/subaccounts", body: {} }),
    otherStatus: [201, 400, 403],
    bad: { request: () => ({ path: "/api/subaccounts", body: { number: 3 } }), field: "" },
    own: () => ({ path: "/api/subaccounts", body: {} }),
    ownStatus: 201,
  },
  "GET /api/subaccounts/overview": {
    access: "trader",
    asOther: () => ({ path: "/api/subaccounts/overview" }),
    otherStatus: [200],
    otherCheck: (result) =>
      expect(ids(result.body.subaccounts, "subaccount_number")).toEqual(["0"]),
    own: () => ({ path: "/api/subaccounts/overview" }),
  },
  "GET /api/subaccounts/transfers": {
    access: "trader",
    asOther: () => ({ path: "/api/subaccounts/transfers" }),
    otherStatus: [200],
    otherCheck: (result) => expect(result.body.transfers).toEqual([]),
    own: () => ({ path: "/api/subaccounts/transfers" }),
  },
  "POST /api/subaccounts/transfers": {
    access: "trader",
    mutation: true,
    // Bob has no subaccount 1 of his own; Alice's is not his to fill.
    asOther: () => ({
      path: "/api/subaccounts/transfers",
      body: { from_subaccount: 0, to_subaccount: 1, amount_cents: 100 },
    }),
    otherStatus: [400, 403, 404, 409],
    bad: {
      request: () => ({
        path: "/api/subaccounts/transfers",
        body: { from_subaccount: 0, to_subaccount: 0, amount_cents: 100 },
      }),
      field: "to_subaccount",
    },
    own: () => ({
      path: "/api/subaccounts/transfers",
      body: { from_subaccount: 0, to_subaccount: 1, amount_cents: 100 },
    }),
    ownStatus: 201,
  },
};

const ROUTE_KEYS = Object.keys(ROUTES);
const spec = (key: string): RouteSpec => {
  const found = ROUTES[key];
  if (!found) throw new Error(`no spec for ${key}`);
  return found;
};
const driven = ROUTE_KEYS.filter((key) => !spec(key).skip);
const privateRoutes = driven.filter((key) => ["session", "trader"].includes(spec(key).access));
const mutations = driven.filter((key) => spec(key).mutation);

async function drive(
  key: string,
  request: Request,
  options: { cookie?: string; origin?: string | null } = {},
) {
  const method = key.split(" ")[0] ?? "GET";
  return ctx.h.call(await handlerOf(key), { method, ...request, ...options });
}

function capture(): void {
  const safe = (value: unknown) => {
    try {
      return typeof value === "string" ? value : JSON.stringify(value);
    } catch {
      return String(value);
    }
  };
  for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    const original = console[method].bind(console);
    const spy = vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      transcript.push(args.map(safe).join(" "));
      void original;
    });
    restoreCapture.push(() => spy.mockRestore());
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      transcript.push(
        typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(),
      );
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restoreCapture.push(() => {
      stream.write = original;
    });
  }
}

beforeAll(async () => {
  capture();
  const h = await startBffHarness();
  const alice = await h.traderWithKey("alice@example.com", canaryKey(), {
    balanceCents: 1_000_000,
    tier: "advanced",
  });
  const bob = await h.trader("bob@example.com", { balanceCents: 250_000 });
  const carol = await createTestAccount(h.sim.restBaseUrl, { balanceCents: 500_000 });
  const active = [...h.sim.exchange.state.markets.values()].filter(
    (m) => m.status === "active" && m.priceLevelStructure === "linear_cent",
  );
  const [market, other] = active;
  if (!market || !other) throw new Error("need two active linear_cent markets");
  const seriesTicker = h.sim.exchange.state.events.get(market.eventTicker)?.seriesTicker ?? "";
  ctx = {
    h,
    alice,
    bob,
    carol,
    market,
    other,
    seriesTicker,
    a: {
      orderId: "",
      clientOrderId: "",
      groupId: "",
      groupOrderId: "",
      rfqId: "",
      quoteId: "",
      carolRfqId: "",
    },
  };
  const clientOrderId = `alice-${Date.now()}`;
  ctx.a.clientOrderId = clientOrderId;
  ctx.a.orderId = await placeOrder(alice, { client_order_id: clientOrderId });
  ctx.a.groupId = await createGroup(alice);
  ctx.a.groupOrderId = await placeOrder(alice, { order_group_id: ctx.a.groupId });
  ctx.a.rfqId = await createRfq(alice, market.ticker);
  ctx.a.carolRfqId = await carolRfq(market.ticker);
  ctx.a.quoteId = await createQuote(alice, ctx.a.carolRfqId);
  // A subaccount with cash, and a watched market.
  expect(
    (
      await drive(
        "POST /api/subaccounts",
        { path: "/api/subaccounts", body: {} },
        { cookie: alice.cookie },
      )
    ).status,
  ).toBe(201);
  expect(
    (
      await drive(
        "POST /api/subaccounts/transfers",
        {
          path: "/api/subaccounts/transfers",
          body: { from_subaccount: 0, to_subaccount: 1, amount_cents: 5_000 },
        },
        { cookie: alice.cookie },
      )
    ).status,
  ).toBe(201);
  expect(
    (
      await drive(
        "POST /api/watchlist",
        { path: "/api/watchlist", body: { ticker: market.ticker } },
        { cookie: alice.cookie },
      )
    ).status,
  ).toBe(201);
}, 90_000);

afterAll(async () => {
  for (const restore of restoreCapture.splice(0).reverse()) restore();
  await ctx?.h.close();
});

describe("the route table", () => {
  it("describes every route.ts export under app/api, and nothing else", async () => {
    const discovered: string[] = [];
    for (const route of discoverRoutes()) {
      const loaded = await loadRoute(route);
      for (const method of METHODS)
        if (typeof loaded[method] === "function") discovered.push(`${method} ${route}`);
    }
    expect(discovered.length).toBeGreaterThan(40);
    expect([...ROUTE_KEYS].sort()).toEqual(discovered.sort());
    for (const key of mutations) {
      const s = spec(key);
      expect(s.bad ?? s.noInput, `${key} needs a bad-input case`).toBeDefined();
    }
    for (const key of privateRoutes)
      expect(spec(key).asOther, `${key} needs a cross-user case`).toBeDefined();
  });
});

describe("signed out", () => {
  it.each(privateRoutes)("%s answers 401 and calls nothing upstream", async (key) => {
    const s = spec(key);
    ctx.h.resetUpstream();
    const request = s.bad?.request(ctx) ?? (await s.own?.(ctx)) ?? { path: "/api/x" };
    ctx.h.resetUpstream();
    const result = await drive(key, request);
    expect(result.status).toBe(401);
    expect(errorOf(result)?.code).toBe("unauthenticated");
    expect(ctx.h.upstream).toEqual([]);
  });

  it.each(driven.filter((key) => spec(key).access === "public"))(
    "%s serves without a session",
    async (key) => {
      const request = await spec(key).own?.(ctx);
      if (!request) throw new Error(`${key} has no request`);
      const result = await drive(key, request);
      expect(result.status, result.text).toBe(200);
    },
  );
});

describe("cross-site", () => {
  it.each(mutations)("%s answers 403 to another origin, and to none", async (key) => {
    const s = spec(key);
    const request = s.bad?.request(ctx) ?? { path: "/api/x", body: {} };
    const before = await everything();
    ctx.h.resetUpstream();
    for (const origin of ["https://evil.example", "null", null]) {
      const result = await drive(key, request, { cookie: ctx.alice.cookie, origin });
      expect(result.status).toBe(403);
      expect(errorOf(result)?.code).toBe("cross_site_request");
    }
    expect(ctx.h.upstream).toEqual([]);
    expect(await everything()).toBe(before);
  });
});

describe("bad input", () => {
  it.each(mutations.filter((key) => spec(key).bad))(
    "%s answers 400 naming the field, and nothing changes",
    async (key) => {
      const bad = spec(key).bad;
      if (!bad) return;
      const before = await everything();
      ctx.h.resetUpstream();
      const result = await drive(key, bad.request(ctx), { cookie: ctx.alice.cookie });
      expect([400, 422]).toContain(result.status);
      expect(errorOf(result)?.code).toMatch(/^invalid_/);
      if (bad.field) expect(errorOf(result)?.field).toBe(bad.field);
      expect(ctx.h.upstream).toEqual([]);
      expect(await everything()).toBe(before);
    },
  );

  it("a body that is not JSON is a 400 too, and changes nothing", async () => {
    const before = await everything();
    const result = await drive(
      "POST /api/orders",
      { path: "/api/orders", body: "{not json" },
      { cookie: ctx.alice.cookie },
    );
    expect(result.status).toBe(400);
    expect(await everything()).toBe(before);
  });
});

describe("one user against another's resources", () => {
  it.each(privateRoutes)("%s, as Bob, never shows or changes Alice's data", async (key) => {
    const s = spec(key);
    if (!s.asOther) throw new Error(`${key} has no cross-user case`);
    const aliceBefore = await stateOf(ctx.alice);
    const request = s.asOther(ctx);
    const result = await drive(key, request, { cookie: ctx.bob.cookie });
    expect(s.otherStatus ?? [403, 404], `${key}: ${result.status} ${result.text}`).toContain(
      result.status,
    );
    // Anything Bob sent himself may come back to him; nothing else of Alice's may.
    const sent = JSON.stringify(request);
    for (const secret of aliceSecrets(ctx).filter((x) => !sent.includes(x))) {
      expect(result.text).not.toContain(secret);
    }
    s.otherCheck?.(result, ctx);
    expect(await stateOf(ctx.alice)).toBe(aliceBefore);
  });

  it("Alice's order, group, RFQ and quote are still hers and intact", () => {
    const { state, rfqDesk } = ctx.h.sim.exchange;
    expect(state.orders.get(ctx.a.orderId)).toMatchObject({
      userId: ctx.alice.account.userId,
      status: "resting",
    });
    expect(state.orders.get(ctx.a.groupOrderId)?.status).toBe("resting");
    expect(rfqDesk.rfqs.get(ctx.a.rfqId)?.status).toBe("open");
    expect(rfqDesk.quotes.get(ctx.a.quoteId)?.status).toBe("open");
  });
});

describe("the caller's own success paths", () => {
  it.each(driven.filter((key) => spec(key).own && spec(key).access !== "public"))(
    "%s works for its owner",
    async (key) => {
      const s = spec(key);
      const request = await s.own?.(ctx);
      if (!request) return;
      const result = await drive(key, request, { cookie: ctx.alice.cookie });
      expect(result.status, `${key}: ${result.text}`).toBe(s.ownStatus ?? 200);
    },
  );

  it("a business rejection from the exchange keeps its code", async () => {
    const result = await drive(
      "POST /api/orders",
      {
        path: "/api/orders",
        body: { ticker: "NO-SUCH-MARKET", side: "bid", count: "1", price: "0.5" },
      },
      { cookie: ctx.alice.cookie },
    );
    expect(result.status).toBe(404);
  });

  it("a stored key the exchange no longer knows is a 502, logged without key material", async () => {
    const { state } = ctx.h.sim.exchange;
    for (const [id, record] of state.apiKeys)
      if (record.userId === ctx.alice.account.userId) state.apiKeys.delete(id);
    ctx.h.resetUpstream();
    const result = await drive(
      "GET /api/portfolio/balance",
      { path: "/api/portfolio/balance" },
      { cookie: ctx.alice.cookie },
    );
    expect(result.status).toBe(502);
    expect(errorOf(result)?.code).toBe("kalshi_key_rejected");
    const placed = await drive(
      "POST /api/orders",
      {
        path: "/api/orders",
        body: { ticker: ctx.market.ticker, side: "bid", count: "1", price: "0.01" },
      },
      { cookie: ctx.alice.cookie },
    );
    expect(placed.status).toBe(502);
  });
});

describe("the canary", () => {
  it("never appears in a response or in anything written to the console", () => {
    const needles = canaryNeedles();
    expect(needles.length).toBeGreaterThan(20);
    // The run really did use the canary: Alice's requests were signed with it.
    expect(ctx.h.responses.length).toBeGreaterThan(150);
    const responses = ctx.h.responses.join("\n");
    expect(findNeedles(responses, needles)).toEqual([]);
    expect(responses).not.toMatch(/PRIVATE KEY/);
    const logs = transcript.join("\n");
    // The capture works: the rejected key above was logged (without its material).
    expect(logs).toContain("kalshi request failed");
    expect(findNeedles(logs, needles)).toEqual([]);
    expect(logs).not.toMatch(/PRIVATE KEY/);
    for (const secret of [ctx.h.secrets.vaultKey, ctx.h.secrets.authSecret, TEST_PASSWORD]) {
      expect(responses).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});

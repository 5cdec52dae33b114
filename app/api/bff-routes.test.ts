/**
 * The BFF route handlers end to end, in-process: the real traderRoute wrapper
 * (session cookie, Origin check, re-auth window, the caller's own stored
 * credential from the vault), our Kalshi client, and the real simulator
 * behind a counting proxy so a test can prove a bad request never reached it.
 */
import { createPrivateKey } from "node:crypto";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { routeRequest } from "@/server/testing/bff-harness";

import * as accountLimits from "@/app/api/account/limits/route";
import * as events from "@/app/api/events/route";
import * as exchangeStatus from "@/app/api/exchange/status/route";
import * as candlesticks from "@/app/api/markets/[ticker]/candlesticks/route";
import * as orderbook from "@/app/api/markets/[ticker]/orderbook/route";
import * as market from "@/app/api/markets/[ticker]/route";
import * as markets from "@/app/api/markets/route";
import * as orderGroupLimit from "@/app/api/order-groups/[groupId]/limit/route";
import * as orderGroupReset from "@/app/api/order-groups/[groupId]/reset/route";
import * as orderGroupTrigger from "@/app/api/order-groups/[groupId]/trigger/route";
import * as orderGroup from "@/app/api/order-groups/[groupId]/route";
import * as orderGroups from "@/app/api/order-groups/route";
import * as amend from "@/app/api/orders/[orderId]/amend/route";
import * as decrease from "@/app/api/orders/[orderId]/decrease/route";
import * as orderRoute from "@/app/api/orders/[orderId]/route";
import * as batch from "@/app/api/orders/batch/route";
import * as orders from "@/app/api/orders/route";
import * as balance from "@/app/api/portfolio/balance/route";
import * as fills from "@/app/api/portfolio/fills/route";
import * as positions from "@/app/api/portfolio/positions/route";
import * as settlements from "@/app/api/portfolio/settlements/route";
import * as acceptQuote from "@/app/api/quotes/[quoteId]/accept/route";
import * as confirmQuote from "@/app/api/quotes/[quoteId]/confirm/route";
import * as quote from "@/app/api/quotes/[quoteId]/route";
import * as quotes from "@/app/api/quotes/route";
import * as rfq from "@/app/api/rfqs/[rfqId]/route";
import * as rfqs from "@/app/api/rfqs/route";
import * as series from "@/app/api/series/route";
import * as subaccounts from "@/app/api/subaccounts/route";
import * as transfers from "@/app/api/subaccounts/transfers/route";
import * as trades from "@/app/api/trades/route";
import { sessionCookieFor } from "@/server/auth/testing";
import { createUser } from "@/server/auth/users";
import { addCredential } from "@/server/credentials/store";
import { setDatabaseForTests } from "@/server/db/client";
import {
  createTestDatabase,
  useTestSecrets,
  type TestDatabase,
  type TestSecrets,
} from "@/server/db/testing";
import { resetKalshiClientCachesForTests } from "@/server/kalshi/client";
import { forward, json, startHttpStub, type HttpStub } from "@/server/kalshi/testing/http-stub";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { createTestAccount, type TestAccount } from "@/server/sim/testing/new-account";

type Handler = (
  request: Request,
  route: { params: Promise<Record<string, string>> },
) => Promise<Response>;

let sim: RunningSim;
let proxy: HttpStub;
let secrets: TestSecrets;
let database: TestDatabase;
let openTicker: string | undefined;
let seriesTicker: string;

interface Trader {
  account: TestAccount;
  cookie: string;
  staleCookie: string;
}
let alice: Trader;
let bob: Trader;
let carol: Trader;
const seen: string[] = [];

async function trader(email: string, balanceCents: number): Promise<Trader> {
  const account = await createTestAccount(sim.restBaseUrl, { balanceCents });
  const user = await createUser(database.db, {
    email,
    password: "correct horse battery staple",
  } as never);
  await addCredential(database.db, {
    userId: user.id,
    label: "sim",
    environment: "sim",
    apiKeyId: account.apiKeyId,
    privateKey: createPrivateKey(account.privateKeyPem),
  });
  // reissueSessionCookie stamps authTime = its `now`: a cookie minted "3 hours ago" is signed in but not recent.
  const cookieAt = (at: number) => sessionCookieFor({ id: user.id, email }, at);
  const now = Date.now();
  return { account, cookie: await cookieAt(now), staleCookie: await cookieAt(now - 3 * 3_600_000) };
}

async function call(
  handler: Handler | undefined,
  options: {
    method: string;
    path: string;
    params?: Record<string, string>;
    body?: unknown;
    cookie?: string;
    origin?: string | null;
  },
): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  if (!handler) throw new Error(`no ${options.method} handler for ${options.path}`);
  const response = await handler(routeRequest(options), {
    params: Promise.resolve(options.params ?? {}),
  });
  const text = await response.text();
  seen.push(text);
  return {
    status: response.status,
    text,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

function errorOf(result: { body: Record<string, unknown> }) {
  return result.body.error as { code: string; message: string; field?: string } | undefined;
}

/** Requests the simulator received through the proxy since the last reset. */
let upstream: Array<{ method: string; url: string }> = [];

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false });
  proxy = await startHttpStub();
  proxy.handle(async (request, res) => {
    upstream.push({ method: request.method, url: request.url });
    const answer = await forward(request, new URL(sim.restBaseUrl).origin);
    json(res, answer.status, answer.text);
  });
  secrets = await useTestSecrets({
    KALSHI_ENV: "sim",
    KALSHI_REST_URL: proxy.restBaseUrl,
    KALSHI_WS_URL: sim.wsUrl,
    NODE_ENV: "test",
  });
  database = await createTestDatabase();
  setDatabaseForTests(database);
  alice = await trader("alice@example.com", 500_000);
  bob = await trader("bob@example.com", 250_000);
  carol = await trader("carol@example.com", 100_000);
  // Carol's key is revoked at the exchange: her stored credential is now bad.
  sim.exchange.state.apiKeys.delete(carol.account.apiKeyId);

  const list = await call(markets.GET as Handler, {
    method: "GET",
    path: "/api/markets?status=open&limit=50",
  });
  const found = (
    list.body.markets as Array<{ ticker: string; event_ticker: string; yes_bid_dollars: string }>
  ).find((m) => Number(m.yes_bid_dollars) > 0.1);
  if (!found) throw new Error("no open market in the seeded simulator");
  openTicker = found.ticker;
  seriesTicker =
    [...sim.exchange.state.events.values()].find((e) => e.eventTicker === found.event_ticker)
      ?.seriesTicker ?? "";
}, 60_000);

afterAll(async () => {
  setDatabaseForTests(undefined);
  await database.destroy();
  await secrets.restore();
  await proxy.close();
  await sim.close();
});

beforeEach(() => {
  upstream = [];
  resetKalshiClientCachesForTests();
});

/** A valid order body (the ticker is filled in once the simulator is up). */
const order = (overrides: Record<string, unknown> = {}) => ({
  ticker: openTicker ?? "KXTEST-26JAN01-T50",
  side: "bid",
  count: "1",
  price: "0.01",
  ...overrides,
});

/** Every trader route, with a valid-looking request, and for mutations a body with one bad field. */
const TRADER_ROUTES: Array<{
  name: string;
  handler: () => Handler | undefined;
  method: string;
  path: string;
  params?: Record<string, string>;
  mutation?: { body?: unknown; badBody: unknown; badField: string };
}> = [
  {
    name: "balance",
    handler: () => balance.GET as Handler,
    method: "GET",
    path: "/api/portfolio/balance",
  },
  {
    name: "positions",
    handler: () => positions.GET as Handler,
    method: "GET",
    path: "/api/portfolio/positions",
  },
  {
    name: "fills",
    handler: () => fills.GET as Handler,
    method: "GET",
    path: "/api/portfolio/fills",
  },
  {
    name: "settlements",
    handler: () => settlements.GET as Handler,
    method: "GET",
    path: "/api/portfolio/settlements",
  },
  {
    name: "account limits",
    handler: () => accountLimits.GET as Handler,
    method: "GET",
    path: "/api/account/limits",
  },
  { name: "orders list", handler: () => orders.GET as Handler, method: "GET", path: "/api/orders" },
  {
    name: "order one",
    handler: () => orderRoute.GET as Handler,
    method: "GET",
    path: "/api/orders/x",
    params: { orderId: "x" },
  },
  {
    name: "order groups",
    handler: () => orderGroups.GET as Handler,
    method: "GET",
    path: "/api/order-groups",
  },
  {
    name: "order group",
    handler: () => orderGroup.GET as Handler,
    method: "GET",
    path: "/api/order-groups/g",
    params: { groupId: "g" },
  },
  { name: "rfqs", handler: () => rfqs.GET as Handler, method: "GET", path: "/api/rfqs" },
  {
    name: "rfq",
    handler: () => rfq.GET as Handler,
    method: "GET",
    path: "/api/rfqs/r",
    params: { rfqId: "r" },
  },
  { name: "quotes", handler: () => quotes.GET as Handler, method: "GET", path: "/api/quotes" },
  {
    name: "quote",
    handler: () => quote.GET as Handler,
    method: "GET",
    path: "/api/quotes/q",
    params: { quoteId: "q" },
  },
  {
    name: "subaccounts",
    handler: () => subaccounts.GET as Handler,
    method: "GET",
    path: "/api/subaccounts",
  },
  {
    name: "transfers",
    handler: () => transfers.GET as Handler,
    method: "GET",
    path: "/api/subaccounts/transfers",
  },
  {
    name: "create order",
    handler: () => orders.POST as Handler,
    method: "POST",
    path: "/api/orders",
    mutation: { badBody: { ...order(), price: "1.50" }, badField: "price" },
  },
  {
    name: "cancel order",
    handler: () => orderRoute.DELETE as Handler,
    method: "DELETE",
    path: "/api/orders/bad id",
    params: { orderId: "bad id" },
    mutation: { badBody: undefined, badField: "orderId" },
  },
  {
    name: "amend order",
    handler: () => amend.POST as Handler,
    method: "POST",
    path: "/api/orders/o-1/amend",
    params: { orderId: "o-1" },
    mutation: { badBody: { ticker: "T", side: "buy", price: "0.5", count: "1" }, badField: "side" },
  },
  {
    name: "decrease order",
    handler: () => decrease.POST as Handler,
    method: "POST",
    path: "/api/orders/o-1/decrease",
    params: { orderId: "o-1" },
    mutation: { badBody: { reduce_by: "-1" }, badField: "reduce_by" },
  },
  {
    name: "batch create",
    handler: () => batch.POST as Handler,
    method: "POST",
    path: "/api/orders/batch",
    mutation: { badBody: { orders: [order(), order({ count: "0" })] }, badField: "orders.1.count" },
  },
  {
    name: "batch cancel",
    handler: () => batch.DELETE as Handler,
    method: "DELETE",
    path: "/api/orders/batch",
    mutation: { badBody: { orders: [] }, badField: "orders" },
  },
  {
    name: "create order group",
    handler: () => orderGroups.POST as Handler,
    method: "POST",
    path: "/api/order-groups",
    mutation: { badBody: { contracts_limit: "lots" }, badField: "contracts_limit" },
  },
  {
    name: "delete order group",
    handler: () => orderGroup.DELETE as Handler,
    method: "DELETE",
    path: "/api/order-groups/x%2Fy",
    params: { groupId: "x/y" },
    mutation: { badBody: undefined, badField: "groupId" },
  },
  {
    name: "order group limit",
    handler: () => orderGroupLimit.PUT as Handler,
    method: "PUT",
    path: "/api/order-groups/g/limit",
    params: { groupId: "g" },
    mutation: { badBody: { contracts_limit: "0" }, badField: "contracts_limit" },
  },
  {
    name: "order group reset",
    handler: () => orderGroupReset.POST as Handler,
    method: "POST",
    path: "/api/order-groups/x%20y/reset",
    params: { groupId: "x y" },
    mutation: { badBody: undefined, badField: "groupId" },
  },
  {
    name: "order group trigger",
    handler: () => orderGroupTrigger.POST as Handler,
    method: "POST",
    path: "/api/order-groups/x%20y/trigger",
    params: { groupId: "x y" },
    mutation: { badBody: undefined, badField: "groupId" },
  },
  {
    name: "create rfq",
    handler: () => rfqs.POST as Handler,
    method: "POST",
    path: "/api/rfqs",
    mutation: {
      badBody: { market_ticker: "KXTEST-26JAN01-T50", contracts: "abc" },
      badField: "contracts",
    },
  },
  {
    name: "delete rfq",
    handler: () => rfq.DELETE as Handler,
    method: "DELETE",
    path: "/api/rfqs/a%20b",
    params: { rfqId: "a b" },
    mutation: { badBody: undefined, badField: "rfqId" },
  },
  {
    name: "create quote",
    handler: () => quotes.POST as Handler,
    method: "POST",
    path: "/api/quotes",
    mutation: { badBody: { rfq_id: "r", yes_bid: "0.4", no_bid: "2" }, badField: "no_bid" },
  },
  {
    name: "delete quote",
    handler: () => quote.DELETE as Handler,
    method: "DELETE",
    path: "/api/quotes/a%20b",
    params: { quoteId: "a b" },
    mutation: { badBody: undefined, badField: "quoteId" },
  },
  {
    name: "accept quote",
    handler: () => acceptQuote.POST as Handler,
    method: "POST",
    path: "/api/quotes/q/accept",
    params: { quoteId: "q" },
    mutation: { badBody: { accepted_side: "maybe" }, badField: "accepted_side" },
  },
  {
    name: "confirm quote",
    handler: () => confirmQuote.POST as Handler,
    method: "POST",
    path: "/api/quotes/a%20b/confirm",
    params: { quoteId: "a b" },
    mutation: { badBody: undefined, badField: "quoteId" },
  },
  {
    name: "create subaccount",
    handler: () => subaccounts.POST as Handler,
    method: "POST",
    path: "/api/subaccounts",
    mutation: { body: {}, badBody: { number: 3 }, badField: "" },
  },
  {
    name: "transfer",
    handler: () => transfers.POST as Handler,
    method: "POST",
    path: "/api/subaccounts/transfers",
    mutation: {
      badBody: { from_subaccount: 0, to_subaccount: 0, amount_cents: 100 },
      badField: "to_subaccount",
    },
  },
];

describe("every trader route", () => {
  it.each(TRADER_ROUTES)("$name refuses a caller without a session", async (route) => {
    const result = await call(route.handler(), {
      method: route.method,
      path: route.path,
      params: route.params,
      body: route.mutation?.badBody,
    });
    expect(result.status).toBe(401);
    expect(errorOf(result)?.code).toBe("unauthenticated");
    expect(upstream).toEqual([]);
  });

  it.each(TRADER_ROUTES.filter((r) => r.mutation))(
    "$name refuses a cross-site request",
    async (route) => {
      for (const origin of ["https://evil.example", null]) {
        const result = await call(route.handler(), {
          method: route.method,
          path: route.path,
          params: route.params,
          body: route.mutation?.body ?? {},
          cookie: alice.cookie,
          origin,
        });
        expect(result.status).toBe(403);
        expect(errorOf(result)?.code).toBe("cross_site_request");
      }
      expect(upstream).toEqual([]);
    },
  );

  it.each(TRADER_ROUTES.filter((r) => r.mutation))(
    "$name answers bad input with 400 naming the field and changes nothing at the exchange",
    async (route) => {
      const ordersBefore = sim.exchange.state.orders.size;
      const result = await call(route.handler(), {
        method: route.method,
        path: route.path,
        params: route.params,
        body: route.mutation?.badBody,
        cookie: alice.cookie,
      });
      expect(result.status).toBe(400);
      const error = errorOf(result);
      expect(error?.code).toMatch(/invalid_request|invalid_json/);
      if (route.mutation?.badField) expect(error?.field).toBe(route.mutation.badField);
      expect(upstream).toEqual([]);
      expect(sim.exchange.state.orders.size).toBe(ordersBefore);
    },
  );
});

describe("acting with the caller's own credential", () => {
  it("shows each trader their own balance", async () => {
    const a = await call(balance.GET as Handler, {
      method: "GET",
      path: "/api/portfolio/balance",
      cookie: alice.cookie,
    });
    const b = await call(balance.GET as Handler, {
      method: "GET",
      path: "/api/portfolio/balance",
      cookie: bob.cookie,
    });
    expect(a.body.balance).toBe(500_000);
    expect(b.body.balance).toBe(250_000);
    const signedWith = upstream.length;
    expect(signedWith).toBeGreaterThan(0);
  });

  it("places an order for the caller only, once, and lists it", async () => {
    const placed = await call(orders.POST as Handler, {
      method: "POST",
      path: "/api/orders",
      body: order({ client_order_id: "bff-order-1" }),
      cookie: alice.cookie,
    });
    expect(placed.status).toBe(201);
    const again = await call(orders.POST as Handler, {
      method: "POST",
      path: "/api/orders",
      body: order({ client_order_id: "bff-order-1" }),
      cookie: alice.cookie,
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ order_id: placed.body.order_id, deduplicated: true });
    const record = sim.exchange.state.orders.get(String(placed.body.order_id));
    expect(record?.userId).toBe(alice.account.userId);
    const aliceOrders = await call(orders.GET as Handler, {
      method: "GET",
      path: `/api/orders?ticker=${openTicker}`,
      cookie: alice.cookie,
    });
    const bobOrders = await call(orders.GET as Handler, {
      method: "GET",
      path: `/api/orders?ticker=${openTicker}`,
      cookie: bob.cookie,
    });
    expect((aliceOrders.body.orders as unknown[]).length).toBeGreaterThan(0);
    expect(bobOrders.body.orders).toEqual([]);
    // Bob cannot cancel Alice's order: the exchange only knows it under her key.
    const cancel = await call(orderRoute.DELETE as Handler, {
      method: "DELETE",
      path: `/api/orders/${String(placed.body.order_id)}`,
      params: { orderId: String(placed.body.order_id) },
      cookie: bob.cookie,
    });
    expect(cancel.status).toBeGreaterThanOrEqual(400);
    expect(sim.exchange.state.orders.get(String(placed.body.order_id))?.status).toBe("resting");
  });

  it("demands a recent sign-in to place an order", async () => {
    const result = await call(orders.POST as Handler, {
      method: "POST",
      path: "/api/orders",
      body: order(),
      cookie: alice.staleCookie,
    });
    expect(result.status).toBe(401);
    expect(errorOf(result)?.code).toBe("reauth_required");
    expect(upstream).toEqual([]);
  });
});

describe("Kalshi errors as the browser sees them", () => {
  it("a key Kalshi rejects is a 502 kalshi_key_rejected, not a sign-out", async () => {
    const result = await call(balance.GET as Handler, {
      method: "GET",
      path: "/api/portfolio/balance",
      cookie: carol.cookie,
    });
    expect(result.status).toBe(502);
    expect(errorOf(result)).toMatchObject({ code: "kalshi_key_rejected" });
    expect(errorOf(result)?.message).toMatch(/Settings/);
  });

  it("a business rejection keeps Kalshi's status and code", async () => {
    const result = await call(orders.POST as Handler, {
      method: "POST",
      path: "/api/orders",
      body: order({ ticker: "NO-SUCH-MARKET", price: "0.5" }),
      cookie: alice.cookie,
    });
    expect(result.status).toBe(404);
    expect(errorOf(result)?.code).not.toBe("invalid_request");
  });
});

describe("public market data", () => {
  it("serves markets, one market, its book, candlesticks, trades, events, series and status signed out", async () => {
    const now = Math.floor(Date.now() / 1000);
    const results = await Promise.all([
      call(markets.GET as Handler, { method: "GET", path: "/api/markets?limit=2" }),
      call(market.GET as Handler, {
        method: "GET",
        path: `/api/markets/${openTicker}`,
        params: { ticker: openTicker ?? "" },
      }),
      call(orderbook.GET as Handler, {
        method: "GET",
        path: `/api/markets/${openTicker}/orderbook?depth=5`,
        params: { ticker: openTicker ?? "" },
      }),
      call(candlesticks.GET as Handler, {
        method: "GET",
        path: `/api/markets/${openTicker}/candlesticks?series_ticker=${seriesTicker}&start_ts=${now - 86_400}&end_ts=${now}&period_interval=60`,
        params: { ticker: openTicker ?? "" },
      }),
      call(trades.GET as Handler, {
        method: "GET",
        path: `/api/trades?ticker=${openTicker}&limit=5`,
      }),
      call(events.GET as Handler, { method: "GET", path: "/api/events?limit=2" }),
      call(series.GET as Handler, { method: "GET", path: "/api/series" }),
      call(exchangeStatus.GET as Handler, { method: "GET", path: "/api/exchange/status" }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
  });

  it("validates queries too, naming the parameter", async () => {
    const result = await call(candlesticks.GET as Handler, {
      method: "GET",
      path: `/api/markets/${openTicker}/candlesticks?series_ticker=S&start_ts=10&end_ts=20&period_interval=5`,
      params: { ticker: openTicker ?? "" },
    });
    expect(result.status).toBe(400);
    expect(errorOf(result)?.field).toBe("period_interval");
    const unknown = await call(markets.GET as Handler, {
      method: "GET",
      path: "/api/markets?limitt=5",
    });
    expect(unknown.status).toBe(400);
  });
});

describe("secrets", () => {
  it("never put a private key or key id in any response", () => {
    const all = seen.join("\n");
    expect(all).not.toMatch(/PRIVATE KEY/);
    for (const t of [alice, bob, carol]) {
      const pemBody = t.account.privateKeyPem.split("\n").slice(1, 3).join("");
      expect(all).not.toContain(pemBody);
      expect(all).not.toContain(t.account.apiKeyId);
    }
  });
});

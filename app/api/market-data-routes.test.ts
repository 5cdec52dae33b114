/**
 * The public routes with the market-data service on (MARKET_DATA=on), against
 * a real simulator behind a counting proxy: lists answered from memory with
 * the browse page's filters and sort and only the row fields; no upstream
 * call in steady state; 100 identical concurrent reads of something the
 * universe does not hold make one upstream call; the per-client budget
 * refuses a flooder (with our message, naming our limit) and serves its
 * neighbour, and counts a signed-in user as one client wherever they come
 * from; the /markets page's dehydrated data stays under its 30 kB budget.
 */
import { dehydrate } from "@tanstack/react-query";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import * as categories from "@/app/api/categories/route";
import * as events from "@/app/api/events/route";
import * as event from "@/app/api/events/[ticker]/route";
import * as markets from "@/app/api/markets/route";
import * as market from "@/app/api/markets/[ticker]/route";
import * as orderbook from "@/app/api/markets/[ticker]/orderbook/route";
import * as series from "@/app/api/series/route";
import { DEFAULT_FILTERS } from "@/lib/queries/browse-filters";
import { FIRST_PAGE_SIZE } from "@/lib/queries/markets";
import { makeQueryClient } from "@/lib/queries/query-client";
import { reissueSessionCookie } from "@/server/auth/session";
import { prefetchMarketsPage } from "@/server/browse/markets-page";
import { useTestSecrets, type TestSecrets } from "@/server/db/testing";
import { resetPublicBudgetForTests } from "@/server/http/client-budget";
import { CLIENT_ADDRESS_HEADER } from "@/server/http/forwarded";
import { resetKalshiClientCachesForTests } from "@/server/kalshi/client";
import { forward, json, startHttpStub, type HttpStub } from "@/server/kalshi/testing/http-stub";
import { marketData, resetMarketDataForTests } from "@/server/market-data/registry";
import { LIST_MARKET_FIELDS } from "@/server/market-data/slim";
import { startSimExchange, type RunningSim } from "@/server/sim/start";

type Handler = (
  request: Request,
  route: { params: Promise<Record<string, string>> },
) => Promise<Response>;

let sim: RunningSim;
let proxy: HttpStub;
let secrets: TestSecrets;
const upstream: string[] = [];

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false });
  proxy = await startHttpStub();
  proxy.handle(async (request, res) => {
    upstream.push(`${request.method} ${request.url}`);
    const answer = await forward(request, new URL(sim.restBaseUrl).origin);
    json(res, answer.status, answer.text);
  });
  secrets = await useTestSecrets({
    KALSHI_ENV: "sim",
    KALSHI_REST_URL: proxy.restBaseUrl,
    KALSHI_WS_URL: sim.wsUrl,
    NODE_ENV: "test",
    MARKET_DATA: "on",
    PUBLIC_RATE_PER_SECOND: "5",
    PUBLIC_RATE_BURST: "10",
  });
  resetKalshiClientCachesForTests();
  resetMarketDataForTests();
  await marketData().ready();
  expect(marketData().isReady).toBe(true);
}, 60_000);

afterAll(async () => {
  resetMarketDataForTests();
  resetPublicBudgetForTests();
  await secrets.restore();
  await proxy.close();
  await sim.close();
});

beforeEach(() => resetPublicBudgetForTests());

let nextAddress = 1;
/** A fresh client address per call site unless one is given. */
async function call(
  handler: Handler,
  path: string,
  options: { params?: Record<string, string>; address?: string; cookie?: string } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers = new Headers({
    [CLIENT_ADDRESS_HEADER]: options.address ?? `198.51.100.${nextAddress++}`,
  });
  if (options.cookie) headers.set("cookie", options.cookie);
  const response = await handler(new Request(`http://localhost:3000${path}`, { headers }), {
    params: Promise.resolve(options.params ?? {}),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

type Row = Record<string, string>;

describe("lists from memory", () => {
  it("filters, sorts and pages every market, sends only row fields, and asks upstream nothing", async () => {
    const before = upstream.length;
    const first = await call(
      markets.GET as Handler,
      "/api/markets?status=open&sort=volume_24h&limit=7",
    );
    expect(first.status).toBe(200);
    const rows = first.body.markets as Row[];
    expect(rows).toHaveLength(7);
    for (const row of rows)
      for (const key of Object.keys(row))
        expect(LIST_MARKET_FIELDS as readonly string[]).toContain(key);
    const volumes = rows.map((row) => Number(row.volume_24h_fp));
    expect(volumes).toEqual([...volumes].sort((a, b) => b - a));

    // Paging through the whole open list visits every open market once, in order.
    const seen: Row[] = [...rows];
    let cursor = String(first.body.cursor);
    while (cursor) {
      const next = await call(
        markets.GET as Handler,
        `/api/markets?status=open&sort=volume_24h&limit=7&cursor=${encodeURIComponent(cursor)}`,
      );
      seen.push(...(next.body.markets as Row[]));
      cursor = String(next.body.cursor);
    }
    const open = [...sim.exchange.state.markets.values()].filter(
      (m) => m.status === "active" && m.closeTime > Date.now() && !m.ticker.startsWith("KXMVE"),
    );
    expect(new Set(seen.map((row) => row.ticker)).size).toBe(open.length);
    expect(seen).toHaveLength(open.length);

    // Category, one market, one event, events and series: all from memory.
    const economics = await call(
      markets.GET as Handler,
      "/api/markets?category=Economics&status=open",
    );
    expect(
      (economics.body.markets as Row[]).every((row) => /^KX(CPI|FED)/.test(row.ticker ?? "")),
    ).toBe(true);
    const ticker = String(rows[0]?.ticker);
    const one = await call(market.GET as Handler, `/api/markets/${ticker}`, { params: { ticker } });
    expect((one.body.market as Row).rules_primary).toBeDefined(); // detail routes keep every field
    const eventTicker = String(rows[0]?.event_ticker);
    expect(
      (
        await call(event.GET as Handler, `/api/events/${eventTicker}`, {
          params: { ticker: eventTicker },
        })
      ).status,
    ).toBe(200);
    expect((await call(events.GET as Handler, "/api/events?status=open")).status).toBe(200);
    expect((await call(series.GET as Handler, "/api/series")).status).toBe(200);
    const chips = await call(categories.GET as Handler, "/api/categories");
    expect(chips.body.categories).toContainEqual({ category: "Economics", series: 2 });
    expect(upstream.slice(before)).toEqual([]);
  });
});

describe("reads the universe does not hold", () => {
  it("coalesce 100 identical concurrent requests into one upstream call", async () => {
    const ticker = [...marketData().universe.markets.keys()][0] ?? "";
    const before = upstream.length;
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        call(orderbook.GET as Handler, `/api/markets/${ticker}/orderbook?depth=3`, {
          params: { ticker },
          address: `203.0.113.${i}`,
        }),
      ),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(upstream.slice(before).filter((url) => url.includes("/orderbook"))).toHaveLength(1);
  });
});

describe("the per-client budget", () => {
  it("refuses the flooder with our own message and serves the neighbour", async () => {
    const flood = await Promise.all(
      Array.from({ length: 30 }, () =>
        call(markets.GET as Handler, "/api/markets?limit=1", { address: "192.0.2.66" }),
      ),
    );
    const refused = flood.filter((answer) => answer.status === 429);
    expect(flood.filter((answer) => answer.status === 200)).toHaveLength(10);
    expect(refused).toHaveLength(20);
    const error = refused[0]?.body.error as { code: string; message: string };
    expect(error.code).toBe("too_many_requests");
    expect(error.message).toMatch(/up to 5 market-data requests per second \(bursts of 10\)/);
    expect(error.message).not.toMatch(/Kalshi/);
    expect(refused[0]?.headers.get("retry-after")).toBe("1");

    const neighbour = await call(markets.GET as Handler, "/api/markets?limit=1", {
      address: "192.0.2.67",
    });
    expect(neighbour.status).toBe(200);
  });

  it("counts a signed-in user as one client from any address", async () => {
    const now = Date.now();
    const cookie = (
      await reissueSessionCookie(
        {
          userId: "user-1",
          sessionId: "s-1",
          email: "a@example.com",
          signedInAt: now,
          authTime: now,
        },
        now,
      )
    ).split(";")[0];
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1)
      statuses.push(
        (
          await call(markets.GET as Handler, "/api/markets?limit=1", {
            cookie,
            address: `10.0.0.${i}`,
          })
        ).status,
      );
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(1);
    // Another visitor on one of those addresses is still served.
    expect(
      (await call(markets.GET as Handler, "/api/markets?limit=1", { address: "10.0.0.11" })).status,
    ).toBe(200);
  });
});

describe("the /markets page", () => {
  it("dehydrates under 30 kB of query data, with no upstream call", async () => {
    const before = upstream.length;
    for (const filters of [
      DEFAULT_FILTERS,
      { ...DEFAULT_FILTERS, status: "all" as const },
      { ...DEFAULT_FILTERS, category: "Economics" },
    ]) {
      const queryClient = makeQueryClient();
      await prefetchMarketsPage(queryClient, filters, "");
      const state = dehydrate(queryClient);
      const text = JSON.stringify(state);
      // As embedded in the HTML: a JSON string inside the RSC payload (escaped once more).
      expect(JSON.stringify(text).length).toBeLessThan(30_000);
      const page = state.queries.find((query) => query.queryKey[1] === "list");
      const data = page?.state.data as { pages: Array<{ markets: unknown[] }> } | undefined;
      expect(data?.pages[0]?.markets.length).toBeLessThanOrEqual(FIRST_PAGE_SIZE);
    }
    expect(upstream.slice(before)).toEqual([]);
  });
});

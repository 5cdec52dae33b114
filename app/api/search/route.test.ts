/**
 * GET /api/search and the historical fallback of GET /api/markets/{ticker},
 * in-process against a simulator on an ephemeral port.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { GET as marketRoute } from "@/app/api/markets/[ticker]/route";
import { GET as searchRoute } from "@/app/api/search/route";
import { routeParams, testRequest } from "@/server/auth/testing";
import { useTestSecrets, type TestSecrets } from "@/server/db/testing";
import { resetKalshiClientCachesForTests } from "@/server/kalshi/client";
import { resetSearchIndexesForTests } from "@/server/search/search-index";
import { startSimExchange, type RunningSim } from "@/server/sim/start";

let sim: RunningSim;
let secrets: TestSecrets;

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false });
  secrets = await useTestSecrets({
    KALSHI_ENV: "sim",
    KALSHI_REST_URL: sim.restBaseUrl,
    KALSHI_WS_URL: sim.wsUrl,
  });
  resetKalshiClientCachesForTests();
  resetSearchIndexesForTests();
});

afterAll(async () => {
  await sim?.close();
  await secrets?.restore();
});

describe("GET /api/search", () => {
  it("finds markets by a word of their title, without a session", async () => {
    const response = await searchRoute(
      testRequest("/api/search?q=bitcoin&kind=market&limit=5"),
      routeParams({}),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { hits: Array<{ kind: string; title: string }> };
    expect(body.hits.length).toBeGreaterThan(0);
    expect(body.hits.length).toBeLessThanOrEqual(5);
    for (const hit of body.hits) expect(hit.title).toMatch(/bitcoin/i);
  });

  it("names the bad parameter", async () => {
    for (const [query, field] of [
      ["", "q"],
      ["?q=", "q"],
      ["?q=x&limit=0", "limit"],
      ["?q=x&kind=user", "kind"],
      ["?q=x&bogus=1", ""],
    ] as const) {
      const response = await searchRoute(testRequest(`/api/search${query}`), routeParams({}));
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; field?: string } };
      expect(body.error.code).toBe("invalid_request");
      if (field) expect(body.error.field).toBe(field);
    }
  });
});

describe("GET /api/markets/{ticker}", () => {
  it("serves a market settled before the cutoff from the historical tier", async () => {
    const historical = await fetch(`${sim.restBaseUrl}/historical/markets?limit=1`).then(
      (r) => r.json() as Promise<{ markets: Array<{ ticker: string }> }>,
    );
    const ticker = historical.markets[0]?.ticker;
    expect(ticker).toBeDefined();
    if (!ticker) return;
    expect((await fetch(`${sim.restBaseUrl}/markets/${ticker}`)).status).toBe(404);
    const response = await marketRoute(
      testRequest(`/api/markets/${ticker}`),
      routeParams({ ticker }),
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { market: { ticker: string } }).market.ticker).toBe(ticker);
    const missing = await marketRoute(
      testRequest("/api/markets/NOPE-1"),
      routeParams({ ticker: "NOPE-1" }),
    );
    expect(missing.status).toBe(404);
  });
});

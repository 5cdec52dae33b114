import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { resetServerConfigForTests } from "@/server/config";

import { KalshiError } from "./errors";
import { getExchangeStatus, listMarkets } from "./market-data";

/** A stand-in upstream whose next answer each test sets. */
type Reply = { status: number; body: string };
let reply: Reply = { status: 200, body: "{}" };
let lastRequest: IncomingMessage | undefined;
let server: Server;
let baseUrl: string;
const savedEnv = { ...process.env };

const market = {
  ticker: "KXHIGHNY-25NOV21-B52",
  event_ticker: "KXHIGHNY-25NOV21",
  title: "Highest temperature in NYC on Nov 21?",
  yes_sub_title: "52° to 53°",
  status: "active",
  yes_bid_dollars: "0.5500",
  yes_ask_dollars: "0.5700",
  last_price_dollars: "0.5600",
  volume_fp: "1500.00",
  volume_24h_fp: "300.00",
  open_interest_fp: "800.00",
  close_time: "2025-11-22T04:59:00Z",
  // An extra upstream field must pass through untouched.
  price_level_structure: "linear_cent",
};

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    lastRequest = req;
    res.writeHead(reply.status, { "content-type": "application/json" });
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}/trade-api/v2`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function useUpstream(url: string) {
  process.env.KALSHI_ENV = "sim";
  process.env.KALSHI_REST_URL = url;
  resetServerConfigForTests();
}

afterEach(() => {
  process.env = { ...savedEnv };
  resetServerConfigForTests();
});

async function kalshiError(promise: Promise<unknown>): Promise<KalshiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KalshiError) return error;
    throw error;
  }
  throw new Error("expected a KalshiError");
}

describe("listMarkets", () => {
  it("sends snake_case query parameters and validates the page", async () => {
    useUpstream(baseUrl);
    reply = { status: 200, body: JSON.stringify({ markets: [market], cursor: "abc" }) };
    const page = await listMarkets({
      status: "open",
      limit: 5,
      eventTicker: "KXHIGHNY-25NOV21",
      seriesTicker: "KXHIGHNY",
    });
    const url = new URL(lastRequest?.url ?? "", "http://x");
    expect(url.pathname).toBe("/trade-api/v2/markets");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      status: "open",
      limit: "5",
      event_ticker: "KXHIGHNY-25NOV21",
      series_ticker: "KXHIGHNY",
    });
    expect(lastRequest?.headers.authorization).toBeUndefined();
    expect(page.cursor).toBe("abc");
    expect(page.markets[0]).toEqual(market);
  });

  it("rejects invalid params before calling upstream", async () => {
    useUpstream(baseUrl);
    await expect(listMarkets({ limit: 0 })).rejects.toThrow(/limit/);
  });

  it("turns a malformed answer into invalid_response naming the field", async () => {
    useUpstream(baseUrl);
    reply = {
      status: 200,
      body: JSON.stringify({ markets: [{ ...market, yes_bid_dollars: 0.55 }], cursor: "" }),
    };
    const error = await kalshiError(listMarkets());
    expect(error.code).toBe("invalid_response");
    expect(error.message).toContain("markets.0.yes_bid_dollars");
  });

  it.each([
    [{ error: { code: "not_found", message: "market not found", details: "x" } }, "not_found"],
    [{ code: "bad_request", message: "market not found" }, "bad_request"],
  ])("keeps Kalshi's error code and message from %j", async (body, code) => {
    useUpstream(baseUrl);
    reply = { status: 404, body: JSON.stringify(body) };
    const error = await kalshiError(listMarkets());
    expect(error).toMatchObject({
      status: 404,
      code,
      message: "market not found",
      path: "/markets",
    });
    expect(error.retryable).toBe(false);
  });

  it("retries a 429 (plain-string error body), then reports rate_limited", async () => {
    useUpstream(baseUrl);
    reply = { status: 429, body: JSON.stringify({ error: "too many requests" }) };
    const error = await kalshiError(listMarkets());
    expect(error).toMatchObject({
      status: 429,
      code: "rate_limited",
      message: "too many requests",
      attempts: 4,
    });
    expect(error.retryable).toBe(true);
  });

  it("reports an unreachable upstream as network_error", async () => {
    // Port 9 (discard) on loopback has no listener here.
    useUpstream("http://127.0.0.1:9/trade-api/v2");
    const error = await kalshiError(listMarkets());
    expect(error).toMatchObject({ status: 0, code: "network_error" });
  });
});

describe("getExchangeStatus", () => {
  it("validates the status body", async () => {
    useUpstream(baseUrl);
    reply = {
      status: 200,
      body: JSON.stringify({ exchange_active: true, trading_active: false }),
    };
    await expect(getExchangeStatus()).resolves.toEqual({
      exchange_active: true,
      trading_active: false,
    });
    expect(new URL(lastRequest?.url ?? "", "http://x").pathname).toBe(
      "/trade-api/v2/exchange/status",
    );
  });

  it("reports an HTML error page as http_error", async () => {
    useUpstream(baseUrl);
    reply = { status: 502, body: "<html>bad gateway</html>" };
    const error = await kalshiError(getExchangeStatus());
    expect(error).toMatchObject({ status: 502, code: "http_error" });
    expect(error.retryable).toBe(true);
  });
});

import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";

import { config, proxy } from "@/proxy";
import { resetServerConfigForTests } from "@/server/config";
import { resetPublicBudgetForTests } from "@/server/http/client-budget";
import { GUARDED_HEADER, guardedMark } from "@/server/http/security-policy";

/**
 * proxy.ts as Next.js calls it under `next start`: the answer it returns is
 * what Next applies (response headers, and request headers overridden for
 * the route through `x-middleware-request-*`).
 */

const forwardedRequestHeader = (response: Response, name: string) =>
  response.headers.get(`x-middleware-request-${name}`);

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[
    Symbol.for("kalshi-dashboard.request-guard-token")
  ];
  delete process.env.TRUST_PROXY;
  delete process.env.PUBLIC_RATE_PER_SECOND;
  delete process.env.PUBLIC_RATE_BURST;
  resetServerConfigForTests();
  resetPublicBudgetForTests();
});

describe("proxy.ts", () => {
  it("gives a page a nonce CSP and passes the same policy on to Next.js's render", async () => {
    const response = await proxy(
      new NextRequest("http://app.example/markets", {
        headers: { "content-security-policy": "script-src 'nonce-from-the-client'" },
      }),
    );
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
    expect(forwardedRequestHeader(response, "content-security-policy")).toBe(csp);
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("permissions-policy")).toContain("geolocation=()");
  });

  it("marks API answers no-store and replaces a client-chosen client address", async () => {
    const response = await proxy(
      new NextRequest("http://app.example/api/orders", {
        headers: { "x-kd-client-address": "198.51.100.1", "x-forwarded-for": "198.51.100.1" },
      }),
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(forwardedRequestHeader(response, "x-kd-client-address")).toBe("unknown");
    // Dropped from the request the route sees: not among the headers Next keeps.
    const kept = (response.headers.get("x-middleware-override-headers") ?? "").split(",");
    expect(kept).not.toContain("x-forwarded-for");
    expect(kept).toContain("x-kd-client-address");
  });

  it("answers 413 to a declared body over the limit, with the one error shape", async () => {
    const response = await proxy(
      new NextRequest("http://app.example/api/watchlist", {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(65 * 1024) },
      }),
    );
    expect(response.status).toBe(413);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-middleware-next")).toBeNull();
    expect(await response.json()).toEqual({
      error: {
        code: "payload_too_large",
        message: "The request body is larger than the 64 KiB this address accepts.",
      },
    });
  });

  it("answers 403 to a cross-site server action", async () => {
    const response = await proxy(
      new NextRequest("http://app.example/sign-in", {
        method: "POST",
        headers: { origin: "https://evil.example", "next-action": "abc", host: "app.example" },
      }),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "cross_site_request" } });
  });

  it("sends HSTS when a trusted proxy (Vercel's edge) says the request came over TLS", async () => {
    const page = () =>
      proxy(new NextRequest("http://app.example/", { headers: { "x-forwarded-proto": "https" } }));
    expect((await page()).headers.get("strict-transport-security")).toBeNull();
    process.env.TRUST_PROXY = "1";
    resetServerConfigForTests();
    expect((await page()).headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
  });

  it("leaves a request the custom server's guard has handled untouched", async () => {
    const forged = await proxy(
      new NextRequest("http://app.example/markets", { headers: { [GUARDED_HEADER]: "forged" } }),
    );
    expect(forged.headers.get("content-security-policy")).toContain("nonce-");

    const guarded = await proxy(
      new NextRequest("http://app.example/markets", {
        headers: { [GUARDED_HEADER]: guardedMark() },
      }),
    );
    expect(guarded.headers.get("x-middleware-next")).toBe("1");
    expect(guarded.headers.get("content-security-policy")).toBeNull();
    expect(guarded.headers.get("x-middleware-override-headers")).toBeNull();
  });

  it("holds each visitor of the public pages to the per-client budget (with a trusted address)", async () => {
    process.env.TRUST_PROXY = "1";
    process.env.PUBLIC_RATE_PER_SECOND = "1";
    process.env.PUBLIC_RATE_BURST = "2";
    resetServerConfigForTests();
    const visit = (path: string, address: string) =>
      proxy(
        new NextRequest(`http://app.example${path}`, { headers: { "x-forwarded-for": address } }),
      );

    expect((await visit("/markets", "203.0.113.7")).status).toBe(200);
    expect((await visit("/markets/KXTEST-1", "203.0.113.7")).status).toBe(200);
    const refused = await visit("/markets", "203.0.113.7");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.headers.get("x-frame-options")).toBe("DENY");
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("too_many_requests");
    expect(body.error.message).toContain("up to 1 market-data requests per second");
    // The neighbour is served; a signed-in-only page is not a public page.
    expect((await visit("/markets", "203.0.113.8")).status).toBe(200);
    expect((await visit("/portfolio", "203.0.113.7")).status).toBe(200);
  });

  it("budgets no anonymous page without a trusted address (everyone would share one bucket)", async () => {
    process.env.PUBLIC_RATE_PER_SECOND = "1";
    process.env.PUBLIC_RATE_BURST = "1";
    resetServerConfigForTests();
    for (let i = 0; i < 5; i++)
      expect((await proxy(new NextRequest("http://app.example/markets"))).status).toBe(200);
  });

  it("runs for pages, API routes and public files, not for the hashed build assets", () => {
    const [pattern] = config.matcher;
    const runsFor = (path: string) => new RegExp(`^${pattern}$`).test(path);
    for (const path of ["/", "/markets", "/api/markets", "/favicon.svg", "/_next/data/x.json"])
      expect(runsFor(path)).toBe(true);
    expect(runsFor("/_next/static/chunks/app.js")).toBe(false);
  });
});

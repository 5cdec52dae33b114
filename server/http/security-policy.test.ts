import type { IncomingHttpHeaders } from "node:http";

import { afterEach, describe, expect, it } from "vitest";

import {
  applyRequestHeaderEdits,
  decideRequestPolicy,
  GUARDED_HEADER,
  guardedMark,
  isGuardedRequest,
  type PolicyConfig,
  type PolicyDecision,
  type PolicyRequest,
} from "@/server/http/security-policy";

const config: PolicyConfig = {
  dev: false,
  trustProxyHops: 0,
  limits: { authBodyBytes: 16 * 1024, bodyBytes: 64 * 1024 },
  gateway: { publicUrl: undefined },
};

function request(overrides: Partial<PolicyRequest> = {}): PolicyRequest {
  return {
    method: "GET",
    pathname: "/markets",
    headers: { host: "app.example" },
    socketAddress: "10.0.0.7",
    connectionEncrypted: false,
    ...overrides,
  };
}

function passed(decision: PolicyDecision) {
  if (decision.kind !== "pass") throw new Error(`expected pass, got ${decision.status}`);
  return decision;
}

function refused(decision: PolicyDecision) {
  if (decision.kind !== "refuse") throw new Error("expected a refusal");
  return decision;
}

const directive = (csp: string | undefined, name: string) =>
  csp?.split("; ").find((part) => part.startsWith(`${name} `));

describe("pages", () => {
  it("get a nonce CSP, handed to Next.js on the request with the same value", () => {
    const decision = passed(decideRequestPolicy(request(), config, () => "n0nce"));
    const csp = decision.responseHeaders["content-security-policy"];
    expect(directive(csp, "script-src")).toBe("script-src 'self' 'nonce-n0nce' 'strict-dynamic'");
    expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(decision.requestHeaders.set["content-security-policy"]).toBe(csp);
    // Pages are not API answers: Next.js decides their caching.
    expect(decision.responseHeaders["cache-control"]).toBeUndefined();
  });

  it("carry the hardening headers, and HSTS only over TLS", () => {
    const plain = passed(decideRequestPolicy(request(), config)).responseHeaders;
    expect(plain).toMatchObject({
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "cross-origin-opener-policy": "same-origin",
    });
    expect(plain["permissions-policy"]).toContain("camera=()");
    expect(plain["strict-transport-security"]).toBeUndefined();
    const tls = passed(decideRequestPolicy(request({ connectionEncrypted: true }), config));
    expect(tls.responseHeaders["strict-transport-security"]).toMatch(/^max-age=\d+/);
  });

  it("get a fresh nonce each", () => {
    const csp = () =>
      passed(decideRequestPolicy(request(), config)).responseHeaders["content-security-policy"];
    expect(csp()).not.toBe(csp());
  });

  it("may connect to a gateway on another origin (the split layout)", () => {
    const split = { ...config, gateway: { publicUrl: "wss://gw.example.com/ws" } };
    const csp = passed(decideRequestPolicy(request(), split)).responseHeaders[
      "content-security-policy"
    ];
    expect(directive(csp, "connect-src")).toBe("connect-src 'self' wss://gw.example.com");
  });
});

describe("API answers and assets", () => {
  it("API answers are no-store, with a CSP that allows nothing, and no nonce for Next.js", () => {
    const decision = passed(
      decideRequestPolicy(request({ pathname: "/api/orders" }), config, () => {
        throw new Error("an API answer needs no nonce");
      }),
    );
    expect(decision.responseHeaders["cache-control"]).toBe("no-store");
    expect(decision.responseHeaders["content-security-policy"]).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(decision.responseHeaders["x-content-type-options"]).toBe("nosniff");
    expect(decision.requestHeaders.set["content-security-policy"]).toBeUndefined();
  });

  it("assets carry the headers without a nonce or no-store", () => {
    const decision = passed(
      decideRequestPolicy(request({ pathname: "/_next/static/chunks/a.js" }), config),
    );
    expect(decision.responseHeaders["content-security-policy"]).not.toContain("nonce-");
    expect(decision.responseHeaders["cache-control"]).toBeUndefined();
    expect(decision.responseHeaders["x-frame-options"]).toBe("DENY");
  });
});

describe("request headers a client must not choose", () => {
  const forged = {
    host: "app.example",
    "x-kd-client-address": "198.51.100.1",
    "x-forwarded-for": "203.0.113.9",
    "x-forwarded-host": "evil.example",
    "x-forwarded-proto": "https",
    "content-security-policy": "script-src 'nonce-chosen-by-client'",
    [GUARDED_HEADER]: "guess",
  };

  it("are removed; the client address comes from the socket when no proxy is trusted", () => {
    const decision = passed(decideRequestPolicy(request({ headers: forged }), config));
    const headers: IncomingHttpHeaders = { ...forged };
    applyRequestHeaderEdits(headers, decision.requestHeaders);
    expect(headers["x-kd-client-address"]).toBe("10.0.0.7");
    expect(headers["x-forwarded-for"]).toBeUndefined();
    expect(headers["x-forwarded-host"]).toBeUndefined();
    expect(headers[GUARDED_HEADER]).toBeUndefined();
    expect(headers["content-security-policy"]).toMatch(/'nonce-[A-Za-z0-9+/=]{24}'/);
    expect(headers["content-security-policy"]).not.toContain("chosen-by-client");
    // A forged X-Forwarded-Proto does not buy HSTS either.
    expect(decision.responseHeaders["strict-transport-security"]).toBeUndefined();
  });

  it("without a socket (proxy.ts) the address is 'unknown', not what the client says", () => {
    const decision = passed(
      decideRequestPolicy(
        request({ headers: new Headers(forged), socketAddress: undefined }),
        config,
      ),
    );
    const headers = new Headers(forged);
    applyRequestHeaderEdits(headers, decision.requestHeaders);
    expect(headers.get("x-kd-client-address")).toBe("unknown");
    expect(headers.get("x-forwarded-for")).toBeNull();
  });

  it("behind a trusted proxy, keep the entry that proxy wrote", () => {
    const trusting = { ...config, trustProxyHops: 1 };
    const headers = new Headers({
      ...forged,
      "x-forwarded-for": "198.51.100.66, 203.0.113.9",
      "x-forwarded-host": "app.example",
    });
    const decision = passed(
      decideRequestPolicy(request({ headers, socketAddress: undefined }), trusting),
    );
    expect(decision.requestHeaders.set).toMatchObject({
      "x-kd-client-address": "203.0.113.9",
      "x-forwarded-for": "203.0.113.9",
      "x-forwarded-host": "app.example",
      "x-forwarded-proto": "https",
    });
    expect(decision.responseHeaders["strict-transport-security"]).toMatch(/^max-age=/);
  });
});

describe("body size", () => {
  it("refuses a declared body over the path's limit with 413, before anything reads it", () => {
    const over = refused(
      decideRequestPolicy(
        request({
          method: "POST",
          pathname: "/api/watchlist",
          headers: { "content-length": String(64 * 1024 + 1) },
        }),
        config,
      ),
    );
    expect(over.status).toBe(413);
    expect(over.body.error.code).toBe("payload_too_large");
    expect(over.responseHeaders["cache-control"]).toBe("no-store");
    expect(over.responseHeaders["x-content-type-options"]).toBe("nosniff");
  });

  it("applies the smaller auth limit to Auth.js and the sign-in forms", () => {
    const post = (pathname: string, length: number) =>
      decideRequestPolicy(
        request({ method: "POST", pathname, headers: { "content-length": String(length) } }),
        config,
      );
    expect(post("/api/auth/callback/credentials", 20 * 1024).kind).toBe("refuse");
    expect(post("/sign-in", 20 * 1024).kind).toBe("refuse");
    expect(post("/api/watchlist", 20 * 1024).kind).toBe("pass");
    expect(passed(post("/api/orders", 100)).bodyLimit).toBe(64 * 1024);
    expect(passed(post("/api/auth/reauth", 100)).bodyLimit).toBe(16 * 1024);
  });

  it("refuses a Content-Length that is not a number", () => {
    const decision = decideRequestPolicy(
      request({ method: "POST", pathname: "/api/orders", headers: { "content-length": "1e9" } }),
      config,
    );
    expect(refused(decision).status).toBe(413);
  });
});

describe("server actions", () => {
  const action = (origin: string, extra: Record<string, string> = {}) =>
    request({
      method: "POST",
      pathname: "/sign-in",
      headers: { host: "app.example", origin, "next-action": "abc", ...extra },
    });

  it("from another site are refused with 403, even with a forged X-Forwarded-Host", () => {
    const decision = refused(
      decideRequestPolicy(
        action("https://evil.example", { "x-forwarded-host": "evil.example" }),
        config,
      ),
    );
    expect(decision.status).toBe(403);
    expect(decision.body.error.code).toBe("cross_site_request");
  });

  it("from this site pass", () => {
    expect(decideRequestPolicy(action("http://app.example"), config).kind).toBe("pass");
  });
});

describe("the custom server's mark", () => {
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[
      Symbol.for("kalshi-dashboard.request-guard-token")
    ];
  });

  it("never matches where no guard runs (next start), whatever a client sends", () => {
    expect(isGuardedRequest(new Headers({ [GUARDED_HEADER]: "" }))).toBe(false);
    expect(isGuardedRequest(new Headers({ [GUARDED_HEADER]: "anything" }))).toBe(false);
  });

  it("matches only this process's secret once the guard has made one", () => {
    const mark = guardedMark();
    expect(guardedMark()).toBe(mark);
    expect(mark.length).toBeGreaterThanOrEqual(32);
    expect(isGuardedRequest({ [GUARDED_HEADER]: mark })).toBe(true);
    expect(isGuardedRequest(new Headers({ [GUARDED_HEADER]: mark }))).toBe(true);
    expect(isGuardedRequest({ [GUARDED_HEADER]: `${mark.slice(0, -1)}x` })).toBe(false);
    expect(isGuardedRequest({})).toBe(false);
  });
});

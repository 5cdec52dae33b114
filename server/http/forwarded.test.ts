import { afterEach, describe, expect, it } from "vitest";

import {
  clientAddressOf,
  isSameSiteOrigin,
  isSecureRequest,
  requestOrigin,
} from "@/server/http/forwarded";

const spoofed = {
  host: "app.example",
  "x-forwarded-host": "evil.example",
  "x-forwarded-proto": "https",
  "x-forwarded-for": "203.0.113.9",
};

afterEach(() => {
  delete process.env.AUTH_URL;
});

describe("forwarded headers", () => {
  it("are ignored unless TRUST_PROXY trusts a proxy", () => {
    expect(requestOrigin(spoofed, "http", 0)).toBe("http://app.example");
    expect(isSameSiteOrigin("https://evil.example", new Headers(spoofed), "http")).toBe(false);
    expect(isSameSiteOrigin("http://app.example", new Headers(spoofed), "http")).toBe(true);
    expect(clientAddressOf(spoofed, "10.0.0.5", 0)).toBe("10.0.0.5");
    expect(isSecureRequest(spoofed, false, 0)).toBe(false);
  });

  it("count behind a trusted proxy, only the entry that proxy wrote", () => {
    const viaProxy = {
      host: "10.0.0.2:3000",
      "x-forwarded-host": "app.example",
      "x-forwarded-proto": "https",
      // The client prepended a fake address; the proxy appended the real one.
      "x-forwarded-for": "198.51.100.1, 203.0.113.9",
    };
    expect(requestOrigin(viaProxy, "http", 1)).toBe("https://app.example");
    expect(clientAddressOf(viaProxy, "10.0.0.1", 1)).toBe("203.0.113.9");
    expect(isSecureRequest(viaProxy, false, 1)).toBe(true);
    // Two proxies: the outer one's entry is second from the right.
    expect(clientAddressOf(viaProxy, "10.0.0.1", 2)).toBe("198.51.100.1");
  });

  it("accept the configured AUTH_URL origin and explicit extras", () => {
    process.env.AUTH_URL = "https://trade.example/";
    const internal = new Headers({ host: "10.0.0.2:3000" });
    expect(isSameSiteOrigin("https://trade.example", internal, "http")).toBe(true);
    expect(
      isSameSiteOrigin("https://other.example", internal, "http", ["https://other.example"]),
    ).toBe(true);
    expect(isSameSiteOrigin("https://third.example", internal, "http")).toBe(false);
  });
});

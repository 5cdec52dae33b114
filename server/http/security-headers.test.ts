import { describe, expect, it } from "vitest";

import { contentSecurityPolicy, securityHeaders } from "@/server/http/security-headers";

const directive = (csp: string, name: string) =>
  csp.split("; ").find((part) => part.startsWith(`${name} `));

describe("contentSecurityPolicy", () => {
  it("lets pages connect only to their own origin by default", () => {
    expect(directive(contentSecurityPolicy("n0nce", false), "connect-src")).toBe(
      "connect-src 'self'",
    );
  });

  it("adds the origin of a gateway that runs apart from the app (no path)", () => {
    const csp = contentSecurityPolicy("n0nce", false, "wss://gateway.example.com:8443/ws");
    expect(directive(csp, "connect-src")).toBe("connect-src 'self' wss://gateway.example.com:8443");
  });

  it("puts the response's nonce on scripts and forbids framing", () => {
    const headers = securityHeaders({ nonce: "abc", secure: false, dev: false });
    const csp = headers["content-security-policy"] ?? "";
    expect(directive(csp, "script-src")).toContain("'nonce-abc'");
    expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(headers["strict-transport-security"]).toBeUndefined();
  });
});

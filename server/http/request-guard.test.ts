import { createServer, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { resetServerConfigForTests } from "@/server/config";
import { bodyLimitExceeded, guardHttpRequest } from "@/server/http/request-guard";
import { GUARDED_HEADER, isGuardedRequest } from "@/server/http/security-policy";

/**
 * The request guard in front of a stand-in for Next.js that reads every body
 * byte it is given (as a route's request.json() would) and counts them.
 */
let server: Server;
let port: number;
let bytesReadByApp = 0;
const statuses: number[] = [];

beforeAll(async () => {
  resetServerConfigForTests();
  server = createServer((req, res) => {
    res.on("finish", () => statuses.push(res.statusCode));
    if (!guardHttpRequest(req, res)) return;
    req.on("data", (chunk: Buffer) => {
      bytesReadByApp += chunk.length;
    });
    req.on("end", () => {
      if (bodyLimitExceeded(req)) return;
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          ok: true,
          address: req.headers["x-kd-client-address"],
          // What proxy.ts checks before leaving the request alone.
          guarded: isGuardedRequest(req.headers),
        }),
      );
    });
    req.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Resolves with the response head once the server has answered. */
function responseOf(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (text.includes("\r\n\r\n")) resolve(text);
    });
    socket.on("error", () => resolve(text));
    socket.on("close", () => resolve(text));
  });
}

describe("body limit", () => {
  it("answers 413 to a declared 300 MB body on the Auth.js callback without reading it", async () => {
    bytesReadByApp = 0;
    const socket = await open();
    const answered = responseOf(socket);
    socket.write(
      "POST /api/auth/callback/credentials HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 314572800\r\n\r\n",
    );
    const head = await answered;
    expect(head).toMatch(/^HTTP\/1\.1 413 /);
    expect(head).toContain('"code":"payload_too_large"');
    expect(bytesReadByApp).toBe(0);
    socket.destroy();
  });

  it("cuts off a streamed (chunked) JSON body as soon as it passes the limit", async () => {
    bytesReadByApp = 0;
    statuses.length = 0;
    const socket = await open();
    const answered = responseOf(socket);
    let responded = false;
    void answered.then(() => (responded = true));
    socket.write(
      "POST /api/watchlist HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
        "Transfer-Encoding: chunked\r\n\r\n",
    );
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    let sent = 0;
    // Up to 400 MB, but stop as soon as the server has answered.
    while (!responded && sent < 400 * 1024 * 1024 && !socket.destroyed) {
      const ok = socket.write(`${chunk.length.toString(16)}\r\n`) && socket.write(chunk);
      socket.write("\r\n");
      sent += chunk.length;
      if (!ok) await new Promise((resolve) => setImmediate(resolve));
      else await new Promise((resolve) => setImmediate(resolve));
    }
    await answered;
    // The server answered 413 and closed the connection; the client may see
    // the status or only the reset (it was still sending when the socket closed).
    expect(statuses).toEqual([413]);
    // The server stopped reading near the 64 KiB limit, long before 400 MB were sent.
    expect(bytesReadByApp).toBeLessThanOrEqual(64 * 1024);
    expect(sent).toBeLessThan(16 * 1024 * 1024);
    socket.destroy();
  });

  it("lets a body within the limit through, and sets the security headers", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/api/watchlist`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-forwarded-for": "203.0.113.9",
        [GUARDED_HEADER]: "forged",
      },
      body: JSON.stringify({ ticker: "KXTEST-1" }),
    });
    expect(response.status).toBe(200);
    // TRUST_PROXY is off: the forwarded address is not believed. The request
    // carries the guard's own mark (not the forged one), so proxy.ts skips it.
    expect(await response.json()).toEqual({ ok: true, address: "127.0.0.1", guarded: true });
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });
});

describe("pages and server actions", () => {
  it("gives each page a fresh nonce CSP, also handed to Next.js on the request", async () => {
    const first = await fetch(`http://127.0.0.1:${port}/markets`);
    const second = await fetch(`http://127.0.0.1:${port}/markets`);
    const csp = first.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toBe(second.headers.get("content-security-policy"));
  });

  it("refuses a cross-site server action with 403, even with a forged X-Forwarded-Host", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/sign-in`, {
      method: "POST",
      headers: {
        origin: "https://evil.example",
        "x-forwarded-host": "evil.example",
        "next-action": "abc",
        "content-type": "text/plain",
      },
      body: "[]",
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "cross_site_request" } });
  });

  it("sends HSTS only when a trusted proxy says the request came over TLS", async () => {
    const untrusted = await fetch(`http://127.0.0.1:${port}/api/x`, {
      headers: { "x-forwarded-proto": "https" },
    });
    expect(untrusted.headers.get("strict-transport-security")).toBeNull();
    process.env.TRUST_PROXY = "1";
    resetServerConfigForTests();
    try {
      const trusted = await fetch(`http://127.0.0.1:${port}/api/x`, {
        headers: { "x-forwarded-proto": "https" },
      });
      expect(trusted.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    } finally {
      delete process.env.TRUST_PROXY;
      resetServerConfigForTests();
    }
  });
});

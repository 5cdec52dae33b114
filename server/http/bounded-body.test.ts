import { describe, expect, it } from "vitest";

import { throttledAuthPost } from "@/server/auth/auth-route";
import { AppError } from "@/server/http/app-error";
import { readBodyBytes, readJsonBody } from "@/server/http/bounded-body";

/**
 * A body sent without a Content-Length (chunked), as plain `next start`
 * hands it to a route handler: a stream that counts how much of it was
 * pulled, so a test can tell the reader stopped.
 */
function streamedRequest(url: string, totalBytes: number, chunkBytes = 4096) {
  let pulled = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= totalBytes) {
        controller.close();
        return;
      }
      const size = Math.min(chunkBytes, totalBytes - pulled);
      pulled += size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
    cancel() {
      cancelled = true;
    },
  });
  const request = new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    duplex: "half",
  } as RequestInit & { duplex: "half" });
  return { request, pulled: () => pulled, cancelled: () => cancelled };
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("readBodyBytes", () => {
  it("stops reading a streamed body as soon as it passes the limit (413)", async () => {
    const sent = streamedRequest("http://app.example/api/watchlist", 400 * 1024 * 1024);
    const error = await errorOf(readBodyBytes(sent.request, 64 * 1024));
    expect(error.status).toBe(413);
    expect(error.code).toBe("payload_too_large");
    expect(sent.cancelled()).toBe(true);
    // A few chunks past the limit at most (the stream's own read-ahead), never the 400 MB.
    expect(sent.pulled()).toBeLessThan(64 * 1024 + 5 * 4096);
  });

  it("refuses a declared length over the limit without reading", async () => {
    const request = new Request("http://app.example/api/orders", {
      method: "POST",
      headers: { "content-length": "70000" },
      body: "{}",
    });
    const error = await errorOf(readBodyBytes(request, 64 * 1024));
    expect(error.status).toBe(413);
  });

  it("returns a body within the limit whole", async () => {
    const sent = streamedRequest("http://app.example/api/orders", 10_000, 3000);
    const bytes = await readBodyBytes(sent.request, 10_000);
    expect(bytes.byteLength).toBe(10_000);
    expect(bytes.every((byte) => byte === 0x20)).toBe(true);
  });
});

describe("readJsonBody", () => {
  it("parses JSON (a leading BOM as Request.json() drops it)", async () => {
    const request = new Request("http://app.example/api/watchlist", {
      method: "POST",
      body: '\uFEFF{"ticker":"KXTEST-1"}',
    });
    expect(await readJsonBody(request)).toEqual({ ticker: "KXTEST-1" });
  });

  it("answers 400 invalid_json to a body that is not JSON, or none", async () => {
    for (const body of ["{not json", undefined]) {
      const request = new Request("http://app.example/api/watchlist", { method: "POST", body });
      const error = await errorOf(readJsonBody(request));
      expect([error.status, error.code]).toEqual([400, "invalid_json"]);
    }
  });

  it("uses the path's limit from the configuration (auth routes: 16 KiB)", async () => {
    const auth = streamedRequest("http://app.example/api/auth/reauth", 20 * 1024);
    expect((await errorOf(readJsonBody(auth.request))).status).toBe(413);
    // 20 KiB of spaces is within the 64 KiB of other routes: read whole, then not JSON.
    const other = streamedRequest("http://app.example/api/watchlist", 20 * 1024);
    expect((await errorOf(readJsonBody(other.request))).status).toBe(400);
  });
});

describe("the Auth.js route", () => {
  it("refuses a streamed body over the auth limit before Auth.js reads it", async () => {
    let reachedAuthJs = false;
    const post = throttledAuthPost(async () => {
      reachedAuthJs = true;
      return new Response(null, { status: 302 });
    });
    const sent = streamedRequest("http://app.example/api/auth/callback/credentials", 300 << 20);
    const response = await post(sent.request);
    expect(response.status).toBe(413);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ error: { code: "payload_too_large" } });
    expect(reachedAuthJs).toBe(false);
    expect(sent.pulled()).toBeLessThan(16 * 1024 + 5 * 4096);
  });

  it("hands Auth.js the whole body of a request within the limit", async () => {
    let seen: FormData | undefined;
    const post = throttledAuthPost(async (request) => {
      seen = await request.formData();
      return new Response(null, { status: 302 });
    });
    const form = new URLSearchParams({ email: "t@example.com", password: "p".repeat(40) });
    const response = await post(
      new Request("http://app.example/api/auth/signout", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form,
      }),
    );
    expect(response.status).toBe(302);
    expect(seen?.get("email")).toBe("t@example.com");
    expect(seen?.get("password")).toBe("p".repeat(40));
  });
});

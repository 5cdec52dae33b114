/**
 * The entry server's compression over real HTTP: brotli or gzip as the client
 * prefers, large JSON and streamed HTML compressed (and flushed as written),
 * small answers, binary types, HEAD and clients that accept nothing left alone.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { chooseEncoding, compressResponse } from "./compression";

let server: Server;
let port = 0;
const big = JSON.stringify({ rows: Array.from({ length: 400 }, (_, i) => ({ i, t: "market" })) });

beforeAll(async () => {
  server = createServer((req, res) => {
    compressResponse(req, res);
    if (req.url === "/json") {
      res.setHeader("content-type", "application/json");
      res.setHeader("content-length", Buffer.byteLength(big));
      res.end(big);
    } else if (req.url === "/route") {
      res.setHeader("content-type", "application/json");
      res.flushHeaders();
      res.write(Buffer.from(big));
      (res as typeof res & { flush(): void }).flush();
      void Promise.resolve().then(() => res.end());
    } else if (req.url === "/small") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    } else if (req.url === "/png") {
      res.writeHead(200, { "content-type": "image/png" }).end(Buffer.alloc(4096, 1));
    } else if (req.url === "/stream") {
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.flushHeaders();
      res.write("<html><body>" + "shell ".repeat(300));
      (res as typeof res & { flush(): void }).flush();
      setTimeout(() => res.end("late part</body></html>"), 300);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(
  path: string,
  headers: Record<string, string>,
  method = "GET",
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer; firstChunkMs: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers, method }, (res) => {
      const chunks: Buffer[] = [];
      let firstChunkMs = -1;
      res.on("data", (chunk: Buffer) => {
        if (firstChunkMs < 0) firstChunkMs = Date.now() - started;
        chunks.push(chunk);
      });
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          firstChunkMs,
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("chooseEncoding", () => {
  it("takes the client's preference, brotli on a tie, and nothing it refused", () => {
    expect(chooseEncoding("gzip, deflate, br, zstd")).toBe("br");
    expect(chooseEncoding("gzip;q=1, br;q=0.5")).toBe("gzip");
    expect(chooseEncoding("br;q=0, gzip")).toBe("gzip");
    expect(chooseEncoding("identity")).toBeNull();
    expect(chooseEncoding(undefined)).toBeNull();
  });
});

describe("compressResponse", () => {
  it("compresses large JSON with brotli or gzip in one go, with the compressed length", async () => {
    const br = await get("/json", { "accept-encoding": "gzip, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-length"]).toBe(String(br.body.length));
    expect(br.headers.vary).toMatch(/Accept-Encoding/);
    expect(brotliDecompressSync(br.body).toString()).toBe(big);
    expect(br.body.length).toBeLessThan(big.length / 4);

    const gzip = await get("/json", { "accept-encoding": "gzip" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzip.body).toString()).toBe(big);

    // Next's route answers: flushHeaders, one chunk, flush, end; still one compressed body.
    const route = await get("/route", { "accept-encoding": "br" });
    expect(route.headers["content-encoding"]).toBe("br");
    expect(route.headers["content-length"]).toBe(String(route.body.length));
    expect(brotliDecompressSync(route.body).toString()).toBe(big);
  });

  it("streams HTML through the compressor: the first part arrives before the end", async () => {
    const answer = await get("/stream", { "accept-encoding": "gzip" });
    expect(answer.headers["content-encoding"]).toBe("gzip");
    const text = gunzipSync(answer.body).toString();
    expect(text.startsWith("<html><body>shell")).toBe(true);
    expect(text.endsWith("late part</body></html>")).toBe(true);
    expect(answer.firstChunkMs).toBeLessThan(250);
  });

  it("leaves small answers, binary types, HEAD and clients that accept nothing alone", async () => {
    const small = await get("/small", { "accept-encoding": "br" });
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(small.body.toString()).toBe('{"ok":true}');
    const png = await get("/png", { "accept-encoding": "br" });
    expect(png.headers["content-encoding"]).toBeUndefined();
    expect(png.body.length).toBe(4096);
    const plain = await get("/json", {});
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(big);
    const head = await get("/json", { "accept-encoding": "br" }, "HEAD");
    expect(head.headers["content-encoding"]).toBeUndefined();
  });
});

/**
 * The signed-out page cache over real HTTP: one render per URL within the
 * lifetime, shared by concurrent requests, each answer with its own CSP
 * nonce; session cookies, navigations, other pages and failed renders are
 * never shared.
 */
import { randomBytes } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { compressResponse } from "./compression";
import { PageCache } from "./page-cache";

let server: Server;
let port = 0;
let renders = 0;
let now = 1_000;
const cache = new PageCache({
  ttlMs: 1000,
  sessionCookie: () => "authjs.session-token",
  now: () => now,
});

beforeAll(async () => {
  server = createServer((req, res) => {
    // What the request guard does: a fresh nonce per request, in the request's CSP header.
    const nonce = randomBytes(16).toString("base64");
    req.headers["content-security-policy"] = `script-src 'nonce-${nonce}'`;
    res.setHeader("content-security-policy", `script-src 'nonce-${nonce}'`);
    compressResponse(req, res);
    void cache.serve(req, res, async () => {
      renders += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (req.url?.includes("fail")) {
        res.statusCode = 500;
        res.end("boom");
        return;
      }
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.write(`<html><script nonce="${nonce}">1</script>`);
      res.end(`<p>${req.url} render ${renders}</p>${"x".repeat(2000)}</html>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; csp: string }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body,
          csp: String(res.headers["content-security-policy"] ?? ""),
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

const nonceIn = (text: string) => /nonce[=-]"?([A-Za-z0-9+/=]+)/.exec(text)?.[1];

describe("PageCache", () => {
  it("renders a URL once per lifetime, shared by concurrent visitors, each with its own nonce", async () => {
    renders = 0;
    const answers = await Promise.all(Array.from({ length: 10 }, () => get("/markets?sort=move")));
    expect(renders).toBe(1);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toContain("render 1");
      expect(nonceIn(answer.body)).toBe(nonceIn(answer.csp));
    }
    expect(new Set(answers.map((answer) => nonceIn(answer.csp))).size).toBe(10);
    // Another URL is another render; after the lifetime, a new render.
    await get("/markets?sort=volume");
    expect(renders).toBe(2);
    now += 1001;
    expect((await get("/markets?sort=move")).body).toContain("render 3");
  });

  it("never shares a signed-in render, a navigation, another page or a failed render", async () => {
    renders = 0;
    await get("/markets", { cookie: "authjs.session-token=abc" });
    await get("/markets", { cookie: "authjs.session-token=abc" });
    await get("/markets", { rsc: "1" });
    await get("/markets", { rsc: "1" });
    await get("/portfolio");
    await get("/portfolio");
    await get("/markets?fail=1");
    await get("/markets?fail=1");
    expect(renders).toBe(8);
  });
});

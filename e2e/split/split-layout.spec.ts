import { request as httpRequest } from "node:http";

import type { APIResponse, Page, Response } from "@playwright/test";

import { expect, test } from "../fixtures";
import { openMarkets } from "../helpers/market-data";

/**
 * The split (Vercel) layout: the app under plain `next start`, the gateway
 * and the simulator as their own processes (playwright.split.config.ts).
 * A trader signs up, gets a simulator key, sees live prices on /markets
 * through the separate gateway, and receives their own order update on the
 * private `orders` topic through a ticketed socket.
 *
 * No custom server runs here, so the security policy comes from proxy.ts:
 * the specs check its headers on every page and API answer they see, the
 * body limits, and (through ../fixtures) that no page breaks the CSP.
 */

/** The headers every answer carries, pages and API alike. */
function expectHardeningHeaders(headers: Record<string, string>): void {
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["cross-origin-opener-policy"]).toBe("same-origin");
  // Plain http on 127.0.0.1: no HSTS.
  expect(headers["strict-transport-security"]).toBeUndefined();
}

/**
 * A page's nonce CSP, and Next.js's scripts carrying that nonce (it read it
 * from the CSP request header proxy.ts set). Returns the nonce.
 */
async function expectPageCsp(page: Page, response: Response | null): Promise<string> {
  expect(response?.status()).toBe(200);
  const headers = response?.headers() ?? {};
  expectHardeningHeaders(headers);
  const csp = headers["content-security-policy"] ?? "";
  const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'/.exec(csp)?.[1];
  expect(nonce, csp).toBeTruthy();
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  // The gateway runs on its own origin here; pages may open a socket to it.
  expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+(;|$)/);
  // Inline scripts (Next's RSC payload) run only with the nonce; chunks the
  // loader adds later need none ('strict-dynamic'), so only named ones count.
  const scripts = await page.evaluate(() =>
    Array.from(document.scripts, (script) => ({ inline: !script.src, nonce: script.nonce })),
  );
  const inline = scripts.filter((script) => script.inline);
  expect(inline.length).toBeGreaterThan(0);
  for (const script of inline) expect(script.nonce).toBe(nonce);
  for (const script of scripts) if (script.nonce) expect(script.nonce).toBe(nonce);
  return nonce ?? "";
}

/** A signed-in API answer: private, and a CSP that allows nothing. */
function expectPrivateApiAnswer(answer: APIResponse): void {
  expect(answer.status()).toBe(200);
  const headers = answer.headers();
  expect(headers["cache-control"]).toBe("no-store");
  expect(headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expectHardeningHeaders(headers);
}

/**
 * POSTs `bytes` of body without a Content-Length (chunked), as a script
 * could: proxy.ts cannot refuse it up front, the route's bounded reader must.
 */
function postChunked(
  url: string,
  headers: Record<string, string>,
  bytes: number,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: "POST", headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
    const chunk = Buffer.alloc(16 * 1024, "a");
    for (let sent = 0; sent < bytes; sent += chunk.length) request.write(chunk);
    request.end();
  });
}

test("sign up, live prices and a private order update through the standalone gateway", async ({
  page,
}) => {
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });

  const signUpNonce = await expectPageCsp(page, await page.goto("/sign-up"));
  await page.getByLabel("Email").fill(`split-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("e2e password that is long enough");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/settings/keys");
  await page.getByRole("button", { name: "Create simulator account" }).click();
  await expect(page.getByRole("region", { name: "Stored keys" }).getByRole("listitem")).toHaveCount(
    1,
  );
  expectPrivateApiAnswer(await page.request.get("/api/credentials"));

  // Live prices on /markets arrive over the gateway on its own origin.
  const gatewaySockets: string[] = [];
  page.on("websocket", (socket) => gatewaySockets.push(socket.url()));
  const marketsNonce = await expectPageCsp(page, await page.goto("/markets"));
  expect(marketsNonce).not.toBe(signUpNonce);
  const table = page.getByRole("table").first();
  await expect(table.getByRole("rowheader").first()).toBeVisible();
  await expect.poll(() => gatewaySockets.some((url) => /:\d+\/ws\?ticket=/.test(url))).toBe(true);
  const snapshot = () => table.innerText();
  const before = await snapshot();
  await expect.poll(snapshot, { timeout: 45_000, intervals: [500] }).not.toBe(before);

  // A private update: the page's own ticketed socket, subscribed to `orders`,
  // sees the order this trader places through the BFF.
  const [market] = await openMarkets(page.request);
  if (!market) throw new Error("no open market");
  const gatewayUrl = gatewaySockets.find((url) => url.includes("/ws"))?.replace(/\?.*$/, "");
  if (!gatewayUrl) throw new Error("the page opened no gateway socket");
  const orderFrame = page.evaluate(
    async ({ url }) => {
      const ticketAnswer = await fetch("/api/ws-ticket", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      const { ticket } = (await ticketAnswer.json()) as { ticket: string };
      const socket = new WebSocket(`${url}?ticket=${encodeURIComponent(ticket)}`, ["kgw.v1"]);
      return await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no order frame within 30 s")), 30_000);
        socket.onmessage = (event) => {
          const frame = JSON.parse(String(event.data)) as { type: string; topic?: string };
          if (frame.type === "welcome") {
            socket.send(JSON.stringify({ op: "subscribe", topics: ["orders"] }));
          } else if (frame.type === "status" && frame.topic === "orders") {
            // Subscribed: tell the test it may place the order now.
            (window as unknown as { __ordersLive?: boolean }).__ordersLive = true;
          } else if (frame.type === "order") {
            clearTimeout(timer);
            socket.close();
            resolve(String(event.data));
          }
        };
        socket.onerror = () => reject(new Error("gateway socket failed"));
      });
    },
    { url: gatewayUrl },
  );
  await page.waitForFunction(
    () => (window as unknown as { __ordersLive?: boolean }).__ordersLive === true,
  );
  const placed = await page.request.post("/api/orders", {
    headers: { origin: new URL(page.url()).origin, "content-type": "application/json" },
    data: { ticker: market.ticker, side: "bid", count: "1", price: "0.01" },
  });
  expect(placed.status(), await placed.text()).toBe(201);
  const { order_id: orderId } = (await placed.json()) as { order_id: string };
  expect(await orderFrame).toContain(orderId);
  expectPrivateApiAnswer(await page.request.get("/api/orders"));

  // The market page: the trading screen and its chart (canvas, inline styles) under the CSP.
  await expectPageCsp(page, await page.goto(`/markets/${market.ticker}`));
  const chart = page.getByRole("figure", { name: "Price chart" });
  await expect(chart.locator("canvas").first()).toBeVisible();
  await expect
    .poll(async () => Number((await chart.getAttribute("data-candles")) ?? "0"), {
      timeout: 20_000,
    })
    .toBeGreaterThan(0);

  expect(consoleErrors).toEqual([]);
});

test("bodies over the limit are refused with 413, declared or streamed", async ({
  page,
  baseURL,
}) => {
  const origin = baseURL ?? "";
  // Declared: proxy.ts answers before any route runs (64 KiB for JSON routes).
  const declared = await page.request.post("/api/watchlist", {
    headers: { origin, "content-type": "application/json" },
    data: JSON.stringify({ ticker: "x".repeat(70 * 1024) }),
  });
  expect(declared.status()).toBe(413);
  expect(declared.headers()["cache-control"]).toBe("no-store");
  expect(await declared.json()).toMatchObject({ error: { code: "payload_too_large" } });
  // The sign-in callback has the smaller auth limit (16 KiB).
  const signIn = await page.request.post("/api/auth/callback/credentials", {
    headers: { origin },
    form: { email: "a@example.com", password: "p".repeat(20 * 1024) },
  });
  expect(signIn.status()).toBe(413);

  // Streamed without a Content-Length: the route reads it through the bounded reader.
  const streamed = await postChunked(
    `${origin}/api/auth/callback/credentials`,
    { origin, "content-type": "application/x-www-form-urlencoded" },
    1024 * 1024,
  );
  expect(streamed.status).toBe(413);
  expect(JSON.parse(streamed.body)).toMatchObject({ error: { code: "payload_too_large" } });

  // The app still answers normally afterwards.
  const health = await page.request.get("/api/health");
  expect(health.headers()["cache-control"]).toBe("no-store");
});

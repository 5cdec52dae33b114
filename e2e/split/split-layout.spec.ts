import { expect, test } from "@playwright/test";

import { openMarkets } from "../helpers/market-data";

/**
 * The split (Vercel) layout: the app under plain `next start`, the gateway
 * and the simulator as their own processes (playwright.split.config.ts).
 * A trader signs up, gets a simulator key, sees live prices on /markets
 * through the separate gateway, and receives their own order update on the
 * private `orders` topic through a ticketed socket.
 */
test("sign up, live prices and a private order update through the standalone gateway", async ({
  page,
}) => {
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });

  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`split-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("e2e password that is long enough");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/settings/keys");
  await page.getByRole("button", { name: "Create simulator account" }).click();
  await expect(page.getByRole("region", { name: "Stored keys" }).getByRole("listitem")).toHaveCount(
    1,
  );

  // Live prices on /markets arrive over the gateway on its own origin.
  const gatewaySockets: string[] = [];
  page.on("websocket", (socket) => gatewaySockets.push(socket.url()));
  await page.goto("/markets");
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

  expect(consoleErrors).toEqual([]);
});

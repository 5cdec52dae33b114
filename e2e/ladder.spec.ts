import type { WebSocketRoute } from "@playwright/test";

import { expect, test, type Page } from "./fixtures";

import { openMarkets } from "./helpers/market-data";

/**
 * The price ladder on a market page, against the embedded simulator with its
 * bots: click to rest a bid, see it at its level with its queue position,
 * drag it to another price (one amend), cancel it with a click; a double
 * click places one order; a feed that goes stale disables the ladder until
 * it is live again.
 *
 * Staleness is produced honestly: the page's gateway WebSocket is routed
 * through Playwright; the test drops the real connection and holds the
 * reconnect attempts on a socket that never answers, which is exactly what
 * the browser sees when the gateway is unreachable.
 */
test.use({ video: process.env.LADDER_E2E_NO_VIDEO ? "off" : "on" });

interface RestingOrder {
  order_id: string;
  status: string;
  yes_price_dollars: string;
}

async function restingOrders(page: Page, ticker: string): Promise<RestingOrder[]> {
  const response = await page.request.get(`/api/orders?ticker=${ticker}&status=resting`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { orders: RestingOrder[] }).orders;
}

test("ladder: rest, queue position, drag to amend, cancel, double click, stale feed", async ({
  page,
}) => {
  test.setTimeout(240_000);

  // Route the gateway socket so the test can take the feed down later.
  const gate = { down: false, held: [] as WebSocketRoute[], live: [] as WebSocketRoute[] };
  await page.routeWebSocket(/\/ws(\?.*)?$/, (ws) => {
    if (gate.down) {
      gate.held.push(ws); // never connected upstream: no frames, the book stays stale
      return;
    }
    ws.connectToServer();
    gate.live.push(ws);
  });

  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`ladder-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("e2e password that is long enough");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/settings/keys");
  await page.getByRole("button", { name: "Create simulator account" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Simulator account created and stored." }),
  ).toBeVisible();

  // A busy whole-cent market priced mid-range: a bid well under the inside stays resting.
  const markets = (await openMarkets(page.request)) as Array<
    Awaited<ReturnType<typeof openMarkets>>[number] & {
      price_level_structure?: string;
      yes_bid_dollars?: string;
    }
  >;
  const market =
    markets.find(
      (m) =>
        m.status === "active" &&
        m.price_level_structure === "linear_cent" &&
        Number(m.yes_bid_dollars) > 0.15 &&
        Number(m.yes_bid_dollars) < 0.85,
    ) ?? markets.find((m) => m.status === "active");
  if (!market) throw new Error("no open market");
  await page.goto(`/markets/${market.ticker}`);

  const ladder = page.getByRole("region", { name: "Price ladder" });
  await expect(ladder.getByRole("status")).toHaveText(/Live/, { timeout: 60_000 });
  const grid = ladder.getByRole("grid", { name: "Price levels" });
  // Keep the pointer on the ladder: it never re-centres itself while hovered.
  await grid.hover();

  // A price six rows under the best bid (or near the bottom of the window if no bids): it rests.
  const prices = await grid.evaluate((body) => {
    const rows = [...body.querySelectorAll<HTMLElement>("[data-ladder-row]")].filter(
      (row) => !row.className.includes("invisible"),
    );
    const best = rows.findIndex((row) =>
      row.querySelector('[data-col="bid"]')?.className.includes("font-bold"),
    );
    const at = best === -1 ? rows.length - 5 : Math.min(best + 6, rows.length - 4);
    return [rows[at]?.dataset.price, rows[at + 2]?.dataset.price, rows[at + 1]?.dataset.price];
  });
  const [first, moved, dbl] = prices as [string, string, string];
  const cellAt = (price: string, col: string) =>
    grid.locator(`[data-ladder-row][data-price="${price}"] [data-col="${col}"]`);

  // 1. Click the bid column: one buy-yes limit at that price, shown with its queue position.
  await cellAt(first, "bid").click();
  await expect(cellAt(first, "my-bid")).toHaveText(/^1 q\d+/);
  let orders = await restingOrders(page, market.ticker);
  expect(orders).toHaveLength(1);
  expect(orders[0]?.yes_price_dollars).toBe(first);

  // 2. Drag it two rows down: one amend to the new price.
  const from = await cellAt(first, "my-bid").boundingBox();
  const to = await cellAt(moved, "my-bid").boundingBox();
  if (!from || !to) throw new Error("ladder rows not laid out");
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(cellAt(moved, "my-bid")).toHaveText(/^1 q\d+/);
  await expect(cellAt(first, "my-bid")).toHaveText("");
  orders = await restingOrders(page, market.ticker);
  expect(orders.map((o) => o.yes_price_dollars)).toEqual([moved]);

  // 3. Click my order: it is cancelled.
  await cellAt(moved, "my-bid").click();
  await expect(cellAt(moved, "my-bid")).toHaveText("");
  await expect.poll(async () => (await restingOrders(page, market.ticker)).length).toBe(0);

  // 4. A double click places one order.
  await cellAt(dbl, "bid").dblclick();
  await expect(cellAt(dbl, "my-bid")).toHaveText(/^1 q\d+/);
  orders = await restingOrders(page, market.ticker);
  expect(orders.map((o) => o.yes_price_dollars)).toEqual([dbl]);
  await cellAt(dbl, "my-bid").click();
  await expect.poll(async () => (await restingOrders(page, market.ticker)).length).toBe(0);

  // 5. The feed goes stale: the ladder says so and refuses clicks.
  gate.down = true;
  for (const ws of gate.live.splice(0)) await ws.close();
  await expect(ladder).toHaveAttribute("data-ladder-status", "disabled");
  await expect(ladder.getByRole("note")).toHaveText(/not live/);
  await expect(ladder.getByRole("status")).not.toHaveText(/Live/);
  await cellAt(first, "bid").click({ force: true });
  // Even a click that reaches the rows under the overlay is refused, and says why.
  await cellAt(first, "bid").dispatchEvent("click", { detail: 1 });
  await expect(ladder.getByRole("alert")).toHaveText(/not live/);
  expect(await restingOrders(page, market.ticker)).toHaveLength(0);

  // 6. Back live: clicks work again.
  gate.down = false;
  for (const ws of gate.held.splice(0)) await ws.close();
  await expect(ladder.getByRole("status")).toHaveText(/Live/, { timeout: 30_000 });
  await expect(ladder).toHaveAttribute("data-ladder-status", "live");
  await grid.hover();
  await cellAt(first, "bid").click();
  await expect(cellAt(first, "my-bid")).toHaveText(/^1 q\d+/);
  // Exactly this one: nothing clicked while stale was sent late.
  orders = await restingOrders(page, market.ticker);
  expect(orders.map((o) => o.yes_price_dollars)).toEqual([first]);
  await cellAt(first, "my-bid").click();
  await expect.poll(async () => (await restingOrders(page, market.ticker)).length).toBe(0);
});

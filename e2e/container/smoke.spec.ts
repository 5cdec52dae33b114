import { expect, test } from "../fixtures";

import { openMarkets } from "../helpers/market-data";

/**
 * The container smoke (run by .ci/container-smoke.ts against the assembled
 * image): sign up, create a simulator account, open a market, place an order
 * and cancel it.
 */
test("sign up, simulator account, open a market, place and cancel an order", async ({
  page,
  baseURL,
}) => {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`container-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("e2e password that is long enough");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/settings/keys");
  await page.getByRole("button", { name: "Create simulator account" }).click();
  await expect(page.getByRole("region", { name: "Stored keys" }).getByRole("listitem")).toHaveCount(
    1,
  );

  const [market] = await openMarkets(page.request);
  if (!market) throw new Error("no open market");
  await page.goto(`/markets/${market.ticker}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(market.title.slice(0, 20));

  const headers = { origin: baseURL ?? "", "content-type": "application/json" };
  const placed = await page.request.post("/api/orders", {
    headers,
    data: { ticker: market.ticker, side: "bid", count: "1", price: "0.01" },
  });
  expect(placed.status(), await placed.text()).toBe(201);
  const { order_id: orderId } = (await placed.json()) as { order_id: string };

  const cancelled = await page.request.delete(`/api/orders/${orderId}`, { headers });
  expect(cancelled.status(), await cancelled.text()).toBeLessThan(300);
  const resting = await page.request.get(`/api/orders?ticker=${market.ticker}&status=resting`);
  const { orders } = (await resting.json()) as { orders: Array<{ order_id: string }> };
  expect(orders.map((order) => order.order_id)).not.toContain(orderId);
});

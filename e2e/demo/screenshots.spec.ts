import { expect, test, type Page } from "../fixtures";

import { getJson } from "../helpers/market-data";

/**
 * Refreshes the README's screenshots (docs/screenshots/*.png) from the
 * running app: `npm run build && npm run screenshots`. Skipped in the normal
 * e2e run (it writes into the repository). The trader it signs up holds a
 * position and a resting bid, so the trading screen, the portfolio and the
 * RFQ board show what they look like in use, not empty.
 */
test.skip(!process.env.SCREENSHOTS, "only with `npm run screenshots`");

const out = (name: string) => `docs/screenshots/${name}.png`;

interface Row {
  ticker: string;
  status: string;
  yes_bid_dollars: string;
  yes_ask_dollars: string;
  price_level_structure?: string;
  volume_24h_fp: string;
}

async function settle(page: Page): Promise<void> {
  // Live prices and the chart draw over the WebSocket; give them a moment.
  await page.waitForTimeout(2_000);
}

/** The most active whole-cent market priced away from the edges (a chart and a book worth showing). */
async function showcaseMarkets(page: Page): Promise<Row[]> {
  const { markets } = await getJson<{ markets: Row[] }>(
    page.request,
    "/api/markets?status=open&limit=200",
  );
  return markets
    .filter(
      (m) =>
        (m.price_level_structure ?? "linear_cent") === "linear_cent" &&
        Number(m.yes_bid_dollars) >= 0.2 &&
        Number(m.yes_ask_dollars) <= 0.8,
    )
    .sort((a, b) => Number(b.volume_24h_fp) - Number(a.volume_24h_fp));
}

test("README screenshots", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/markets");
  await expect(page.getByRole("table").first()).toBeVisible();
  await settle(page);
  await page.screenshot({ path: out("markets") });

  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`screens-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("screenshot password that is long enough");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/settings/keys");
  await page.getByRole("button", { name: "Create simulator account" }).click();
  await expect(page.getByRole("region", { name: "Stored keys" }).getByRole("listitem")).toHaveCount(
    1,
  );

  const [market, second] = await showcaseMarkets(page);
  if (!market || !second) throw new Error("no open market priced between 20¢ and 80¢");
  const headers = { origin: baseURL ?? "", "content-type": "application/json" };
  const order = (ticker: string, data: Record<string, string>) =>
    page.request.post("/api/orders", { headers, data: { ticker, side: "bid", ...data } });
  // A position in two markets and a resting bid a few ticks under the inside.
  for (const [row, count] of [
    [market, "12"],
    [second, "20"],
  ] as const) {
    const crossing = Math.min(0.99, Number(row.yes_ask_dollars) + 0.02).toFixed(2);
    const bought = await order(row.ticker, {
      count,
      price: crossing,
      time_in_force: "immediate_or_cancel",
    });
    expect(bought.status(), await bought.text()).toBe(201);
  }
  const resting = (Number(market.yes_bid_dollars) - 0.03).toFixed(2);
  expect((await order(market.ticker, { count: "5", price: resting })).status()).toBe(201);

  await page.goto(`/markets/${market.ticker}`);
  await expect(page.getByRole("region", { name: "Price ladder" })).toBeVisible();
  await settle(page);
  await page.screenshot({ path: out("trading") });

  await page.goto("/portfolio");
  await expect(
    page.getByRole("region", { name: "Positions" }).locator(`tr[data-ticker="${market.ticker}"]`),
  ).toBeVisible();
  await settle(page);
  await page.screenshot({ path: out("portfolio") });

  // An RFQ for the position's market: the simulator's maker bot answers within seconds.
  await page.goto(`/rfq?market=${market.ticker}`);
  const form = page.getByRole("form", { name: "New RFQ" });
  await form.getByRole("button", { name: "Request quotes" }).click();
  await expect(
    page.getByRole("region", { name: "Quotes" }).locator("tr[data-yes-bid]").first(),
  ).toBeVisible({ timeout: 20_000 });
  await settle(page);
  await page.screenshot({ path: out("rfq") });
});

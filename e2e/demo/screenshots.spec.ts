import { expect, test, type Page } from "@playwright/test";

import { openMarkets } from "../helpers/market-data";

/**
 * Refreshes the README's screenshots (docs/screenshots/*.png) from the
 * running app: `npm run build && npm run screenshots`. Skipped in the normal
 * e2e run (it writes into the repository).
 */
test.skip(!process.env.SCREENSHOTS, "only with `npm run screenshots`");

const out = (name: string) => `docs/screenshots/${name}.png`;

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  // Let live prices and the chart draw.
  await page.waitForTimeout(1_500);
}

test("README screenshots", async ({ page }) => {
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

  const [market] = await openMarkets(page.request);
  if (!market) throw new Error("no open market");
  await page.goto(`/markets/${market.ticker}`);
  await settle(page);
  await page.screenshot({ path: out("trading") });

  for (const [path, name] of [
    ["/portfolio", "portfolio"],
    ["/rfq", "rfq"],
  ] as const) {
    const response = await page.goto(path);
    if (response?.ok()) {
      await settle(page);
      await page.screenshot({ path: out(name) });
    }
  }
});

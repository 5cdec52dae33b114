import { expect, test } from "./fixtures";

test.describe("home page", () => {
  test("lists open markets from the embedded simulator", async ({ page }) => {
    await page.goto("/");

    await expect(page.getByRole("heading", { level: 1, name: "Open markets" })).toBeVisible();
    await expect(page.getByRole("status", { name: /^Exchange status: / })).toBeVisible();
    await expect(page.getByText("Simulator", { exact: true })).toBeVisible();

    const table = page.getByRole("table", { name: "Open markets" });
    // Data rows are the ones headed by a ticker; the column header row is not.
    const marketRows = table.getByRole("row").filter({ has: page.getByRole("rowheader") });
    await expect.poll(() => marketRows.count()).toBeGreaterThanOrEqual(3);

    const tickers = (await table.getByRole("rowheader").allTextContents()).map((t) => t.trim());
    expect(tickers.some((ticker) => /^[A-Z0-9-]+$/.test(ticker))).toBe(true);
    // Kalshi tickers are upper-case; bracket markets may carry a decimal strike ("-B52.5").
    for (const ticker of tickers) expect(ticker).toMatch(/^[A-Z0-9][A-Z0-9.-]*$/);

    // Every row shows prices in cents or a dash, never a raw dollar string.
    const firstRow = marketRows.first();
    await expect(firstRow.getByRole("cell").nth(1)).toHaveText(/^(\d[\d,]*(\.\d+)?¢|—)$/);
  });

  test("unknown addresses get the not-found page", async ({ page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await page.getByRole("link", { name: "Back to markets" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Open markets" })).toBeVisible();
  });
});

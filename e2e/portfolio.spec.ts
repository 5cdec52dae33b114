import type { APIRequestContext } from "@playwright/test";

import { expect, test, type Page } from "./fixtures";

import { openMarkets, type MarketRow } from "./helpers/market-data";

/**
 * The portfolio from a trader's seat: sign up, one-click simulator account,
 * buy, see the position with live P&L, open a subaccount, move $100 into it,
 * see both balances in the header switcher, trade in the subaccount and see
 * that position only in its scope, then settle a market through the
 * simulator's controls and see the payout and the equity curve step.
 */
test.use({ video: "on" });

const SIM_URL = process.env.E2E_SIM_URL ?? "";

async function simControl(
  request: APIRequestContext,
  ticker: string,
  action: string,
  data?: unknown,
) {
  const response = await request.post(
    `${SIM_URL}/sim/v1/markets/${encodeURIComponent(ticker)}/${action}`,
    {
      data: data ?? {},
    },
  );
  expect(response.ok(), `${action}: ${await response.text()}`).toBe(true);
}

/** A crossing IOC buy a few cents through the listed ask (the book moves); returns contracts filled. */
async function buy(
  page: Page,
  baseURL: string,
  market: MarketRow,
  count: number,
  subaccount?: number,
): Promise<number> {
  const limit = Math.min(0.99, Number(market.yes_ask_dollars) + 0.03).toFixed(2);
  const placed = await page.request.post("/api/orders", {
    headers: { origin: baseURL, "content-type": "application/json" },
    data: {
      ticker: market.ticker,
      side: "bid",
      count: String(count),
      price: limit,
      time_in_force: "immediate_or_cancel",
      ...(subaccount === undefined ? {} : { subaccount }),
    },
  });
  expect(placed.status(), await placed.text()).toBe(201);
  const body = (await placed.json()) as { fill_count: string };
  expect(Number(body.fill_count)).toBeGreaterThan(0);
  return Number(body.fill_count);
}

function positionRow(page: Page, ticker: string) {
  return page.getByRole("region", { name: "Positions" }).locator(`tr[data-ticker="${ticker}"]`);
}

test("portfolio: position, subaccount, transfer, scoped order, settlement", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(240_000);
  expect(SIM_URL, "E2E_SIM_URL is set by playwright.config.ts").not.toBe("");
  const origin = baseURL ?? "";

  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`portfolio-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("e2e password that is long enough");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/settings/keys");
  await page.getByRole("button", { name: "Create simulator account" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Simulator account created and stored." }),
  ).toBeVisible();

  const markets = (await openMarkets(page.request)).filter(
    (m) => Number(m.yes_ask_dollars) > 0.05 && Number(m.yes_ask_dollars) < 0.95,
  );
  const [first, second] = markets;
  if (!first || !second) throw new Error("need two open markets with an ask");

  // Buy in the primary account; the portfolio shows the position with live P&L.
  const filled = await buy(page, origin, first, 5);
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Portfolio" })
    .click();
  await page.waitForURL("**/portfolio");
  const row = positionRow(page, first.ticker);
  await expect(row).toBeVisible();
  await expect(row.locator('[data-cell="unrealised"]')).toHaveText(/\$\d/);
  await expect(row.locator('[data-cell="mark"]')).toHaveText(/¢/);
  await expect(page.locator('[data-figure="Exposure (max loss)"]')).not.toHaveText("$0.00");

  // A subaccount, and $100 moved into it.
  await page.getByRole("link", { name: "Subaccounts and transfers" }).click();
  await page.waitForURL("**/portfolio/subaccounts");
  await page.getByRole("button", { name: "New subaccount" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Subaccount 1 opened." })).toBeVisible();
  await page.getByLabel("From", { exact: true }).selectOption("0");
  await page.getByLabel("To", { exact: true }).selectOption("1");
  await page.getByLabel("Amount ($)").fill("100");
  await page.getByRole("button", { name: "Transfer" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Moved $100.00 from Primary to Subaccount 1." }),
  ).toBeVisible();
  const sub1Row = page.getByRole("region", { name: "Accounts" }).locator('tr[data-subaccount="1"]');
  await expect(sub1Row.locator('[data-cell="cash"]')).toHaveText("$100.00");
  await expect(
    page.getByRole("region", { name: "Transfer history" }).getByRole("cell", { name: "$100.00" }),
  ).toHaveCount(1);

  // The header switcher lists each account with its balance.
  const switcher = page.getByLabel("Active subaccount");
  await page.reload();
  await expect(switcher.locator("option", { hasText: "Sub 1 · $100.00" })).toHaveCount(1);
  await expect(switcher.locator("option", { hasText: /Primary · \$[\d,]+\.\d\d/ })).toHaveCount(1);

  // An order in the subaccount shows only there.
  const subFilled = await buy(page, origin, second, 3, 1);
  await page.goto("/portfolio");
  await switcher.selectOption("1");
  await expect(page.getByTestId("portfolio-scope")).toHaveText("Subaccount 1");
  await expect(positionRow(page, second.ticker)).toBeVisible();
  await expect(positionRow(page, first.ticker)).toHaveCount(0);
  await switcher.selectOption("0");
  await expect(page.getByTestId("portfolio-scope")).toHaveText("Primary");
  await expect(positionRow(page, first.ticker)).toBeVisible();
  await expect(positionRow(page, second.ticker)).toHaveCount(0);

  // The trading screen's position panel follows the scope too (positions are per account).
  await switcher.selectOption("1");
  await page.goto(`/markets/${second.ticker}`);
  await expect(page.getByTestId("position-account")).toHaveText("· Subaccount 1");
  await expect(page.getByTestId("position-contracts")).toHaveText(`${subFilled} YES`);
  await switcher.selectOption("0");
  await expect(page.getByTestId("position-account")).toHaveCount(0);
  await expect(page.getByTestId("position-contracts")).toHaveText("Flat");
  await page.goto("/portfolio");

  // The first market settles YES: the payout shows in Settlements and the equity curve steps.
  const equityPoints = async () => {
    await page.reload();
    await expect(page.getByTestId("equity-points")).toBeVisible();
    return Number((await page.getByTestId("equity-points").textContent())?.split(" ")[0] ?? 0);
  };
  // The server has recorded the account at least once (start-up pass or the fills).
  await expect.poll(equityPoints, { timeout: 45_000, intervals: [2_000] }).toBeGreaterThan(0);
  const equityBefore = await equityPoints();
  await simControl(page.request, first.ticker, "close");
  await simControl(page.request, first.ticker, "determine", { result: "yes" });
  await simControl(page.request, first.ticker, "settle");
  await expect
    .poll(
      async () => {
        await page.reload();
        await page.getByRole("tab", { name: "Settlements" }).click();
        return page
          .getByRole("region", { name: "History" })
          .locator('[data-cell="payout"]')
          .count();
      },
      { timeout: 30_000 },
    )
    .toBe(1);
  // Each YES contract pays $1.
  await expect(
    page.getByRole("region", { name: "History" }).locator('[data-cell="payout"]'),
  ).toHaveText(`$${filled.toFixed(2)}`);
  await expect
    .poll(equityPoints, { timeout: 45_000, intervals: [2_000] })
    .toBeGreaterThan(equityBefore);
  await expect(positionRow(page, first.ticker)).toHaveCount(0); // settled: no longer open
});

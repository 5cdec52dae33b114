import { expect as baseExpect, test, type Page } from "./fixtures";

import { getJson } from "./helpers/market-data";

/**
 * The trading screen end to end, recorded as a demo (video on): sign up, get
 * a simulator account, open a market and trade it from the ticket and the
 * blotters against the simulator's bots.
 */
test.use({ video: "on", viewport: { width: 1440, height: 900 } });
// Orders go browser → BFF → signed REST → simulator; a shared two-core machine can take seconds.
const expect = baseExpect.configure({ timeout: 30_000 });

interface MarketRow {
  ticker: string;
  status: string;
  yes_bid_dollars: string;
  yes_ask_dollars: string;
  price_level_structure?: string;
  volume_24h_fp: string;
}

/** An open whole-cent market whose book has room below the bid and depth on the ask. */
async function tradableMarket(page: Page): Promise<MarketRow> {
  const { markets } = await getJson<{ markets: MarketRow[] }>(
    page.request,
    "/api/markets?status=open&limit=200",
  );
  const candidates = markets
    .filter(
      (m) =>
        (m.price_level_structure ?? "linear_cent") === "linear_cent" &&
        Number(m.yes_bid_dollars) >= 0.08 &&
        Number(m.yes_ask_dollars) <= 0.9 &&
        Number(m.yes_ask_dollars) > Number(m.yes_bid_dollars),
    )
    .sort((a, b) => Number(b.volume_24h_fp) - Number(a.volume_24h_fp));
  const market = candidates[0];
  if (!market) throw new Error("no open whole-cent market with a two-sided book");
  return market;
}

async function signUpWithSimulatorAccount(page: Page) {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`trader-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("e2e password that is long enough");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/settings/keys");
  await page.getByRole("button", { name: "Create simulator account" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Simulator account created and stored." }),
  ).toBeVisible();
}

function ticket(page: Page) {
  return page.getByRole("region", { name: "Order ticket" });
}

async function setTicket(page: Page, fields: { price: string; count: string }) {
  const t = ticket(page);
  await t.getByLabel("Contracts", { exact: true }).fill(fields.count);
  await t.getByLabel("Limit price", { exact: true }).fill(fields.price);
}

function submitButton(page: Page) {
  return ticket(page).getByRole("button", { name: /^(Buy|Sell) (YES|NO)/ });
}

async function balanceText(page: Page): Promise<string> {
  return (await page.getByText(/^Balance \$/).textContent()) ?? "";
}

async function restingCount(page: Page, ticker: string): Promise<number> {
  const { orders } = await getJson<{ orders: Array<{ status: string }> }>(
    page.request,
    `/api/orders?ticker=${ticker}&status=resting`,
  );
  return orders.length;
}

test.describe("trading screen", () => {
  test("ticket → blotter → amend → cancel → cross → fill, position, balance → flatten; groups and the kill switch; a double click places once", async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });

    await signUpWithSimulatorAccount(page);
    const market = await tradableMarket(page);
    await page.goto(`/markets/${market.ticker}`);
    await expect(page.getByRole("heading", { name: "Order ticket" })).toBeVisible({
      timeout: 20_000,
    });
    await expect(page.getByRole("main", { name: "Trading screen" })).toBeVisible();
    await expect(page.getByText(/^Balance \$/)).toBeVisible();
    const working = page.getByRole("region", { name: "Working orders" });

    // 1. A resting order far below the market, from the ticket, shows in the blotter once acknowledged.
    await setTicket(page, { price: "2", count: "1" });
    await submitButton(page).click();
    await expect(
      ticket(page).getByRole("status").filter({ hasText: "Acknowledged" }),
    ).toContainText("resting");
    await expect(working.getByRole("row", { name: "Buy YES 1 @ 2¢" })).toBeVisible();

    // 2. Amend its price.
    await working.getByRole("button", { name: "Amend Buy YES 1 @ 2¢" }).click();
    const amend = working.getByRole("form", { name: "Amend order" });
    await amend.getByLabel(/New price/).fill("3");
    await amend.getByRole("button", { name: "Save" }).click();
    await expect(working.getByRole("row", { name: "Buy YES 1 @ 3¢" })).toBeVisible();

    // 3. Cancel it.
    await working.getByRole("button", { name: "Cancel Buy YES 1 @ 3¢" }).click();
    await expect(working.getByText("No working orders in this market.")).toBeVisible();

    // 4. Cross the spread: buy 1 YES at the ask; the fill, the position and the balance follow.
    const before = await balanceText(page);
    await setTicket(page, { price: "2", count: "1" });
    await ticket(page).getByRole("button", { name: "Ask", exact: true }).click();
    await expect(ticket(page).getByText("Crosses the spread now")).toBeVisible();
    await submitButton(page).click();
    await expect(
      ticket(page).getByRole("status").filter({ hasText: "Acknowledged" }),
    ).toContainText("filled");
    await expect(page.getByTestId("position-contracts")).toHaveText(/YES/);
    await expect.poll(() => balanceText(page)).not.toBe(before);
    await page.getByRole("tab", { name: "Fills" }).click();
    const fills = page.getByRole("region", { name: "Fills" });
    await expect(fills.getByRole("cell", { name: "Taker" }).first()).toBeVisible();

    // 5. Flatten with a preview.
    await page.getByRole("button", { name: "Flatten…" }).click();
    await expect(page.getByRole("alertdialog", { name: "Flatten preview" })).toContainText(
      "reduce-only",
    );
    await page.getByRole("button", { name: "Confirm flatten" }).click();
    await expect(page.getByTestId("position-contracts")).toHaveText("Flat");

    // 6. An order group with a 1-contract limit: a crossing order into it trips it, then it refuses more.
    await page.getByRole("tab", { name: "Order groups" }).click();
    const groups = page.getByRole("region", { name: "Order groups" });
    await groups.getByLabel(/Contracts limit/).fill("1");
    await groups.getByRole("button", { name: "Create group" }).click();
    await expect(groups.getByText("Active")).toBeVisible();
    await ticket(page).getByLabel("Order group").selectOption({ index: 1 });
    await setTicket(page, { price: "2", count: "3" });
    await ticket(page).getByRole("button", { name: "Ask", exact: true }).click();
    await submitButton(page).click();
    await expect(
      ticket(page).getByRole("status").filter({ hasText: "Acknowledged" }),
    ).toBeVisible();
    await expect(groups.getByText("Triggered")).toBeVisible();
    await submitButton(page).click();
    // The same order again within a moment of the last asks first ("place it again?").
    const again = ticket(page).getByRole("button", { name: /^Confirm Buy YES 3/ });
    if (await again.isVisible()) await again.click();
    // The exchange's refusal, shown next to the order-group field.
    await expect(ticket(page).locator("#ticket-group-error")).toBeVisible();
    await ticket(page).getByLabel("Order group").selectOption({ index: 0 });
    await page.getByRole("button", { name: "Flatten…" }).click();
    await page.getByRole("button", { name: "Confirm flatten" }).click();
    await expect(page.getByTestId("position-contracts")).toHaveText("Flat");

    // 7. A double click on submit places one order.
    await page.getByRole("tab", { name: /Working orders/ }).click();
    await setTicket(page, { price: "2", count: "1" });
    await submitButton(page).dblclick();
    await expect(working.getByRole("row", { name: "Buy YES 1 @ 2¢" })).toBeVisible();
    await expect(
      ticket(page).getByRole("status").filter({ hasText: "Acknowledged" }),
    ).toBeVisible();
    expect(await restingCount(page, market.ticker)).toBe(1);
    await expect(working.getByRole("row", { name: /^Buy YES/ })).toHaveCount(1);

    // 8. The kill switch empties the book of my orders (a second resting order first).
    await setTicket(page, { price: "3", count: "1" });
    await submitButton(page).click();
    await expect(working.getByRole("row", { name: "Buy YES 1 @ 3¢" })).toBeVisible();
    await page.getByRole("button", { name: "Kill switch" }).click();
    await expect(
      page.getByRole("status").filter({ hasText: "Kill switch: cancelled 2" }),
    ).toBeVisible();
    await expect(working.getByText("No working orders in this market.")).toBeVisible();
    expect(await restingCount(page, market.ticker)).toBe(0);

    // 9. Hotkeys: `?` opens the cheat sheet; typing in a field does not trade.
    await ticket(page).getByLabel("Contracts", { exact: true }).fill("");
    await ticket(page).getByLabel("Contracts", { exact: true }).pressSequentially("1b");
    expect(await restingCount(page, market.ticker)).toBe(0);
    await page.getByRole("heading", { name: "Order ticket" }).click();
    await page.keyboard.press("?");
    await expect(page.getByRole("dialog", { name: "Hotkeys" })).toBeVisible();
    await page.keyboard.press("Escape");
    // `b` buys the default size at the best ask as the book stands at the key press.
    await page.keyboard.press("b");
    await expect(page.getByRole("status", { name: "Last action" })).toHaveText(
      /^Buy YES 1 @ [\d.]+¢: filled 1(\.00)?, resting 0(\.00)?\.$/,
    );
    await expect(page.getByTestId("position-contracts")).toHaveText("1 YES");

    // The one failed request is the deliberate refusal of step 6 (Kalshi answers 409 for an
    // order into a triggered group; the browser logs any non-2xx fetch).
    expect(errors.filter((text) => !/status of 409/.test(text))).toEqual([]);
    expect(errors.filter((text) => /status of 409/.test(text)).length).toBeLessThanOrEqual(1);
  });

  test("signed out, a market page is the browsing page with a sign-in prompt", async ({ page }) => {
    const market = await tradableMarket(page);
    await page.goto(`/markets/${market.ticker}`);
    await expect(page.getByRole("link", { name: "Sign in to trade" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Order ticket" })).toHaveCount(0);
  });
});

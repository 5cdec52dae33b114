import type { Browser, BrowserContext } from "@playwright/test";

import { expect, test, type Page } from "./fixtures";

import { getJson } from "./helpers/market-data";

/**
 * RFQs between two people in two browser contexts (each signed up with its
 * own simulator account): the requester builds a two-leg combo on event
 * pages and asks for quotes; the maker sees the RFQ arrive live and quotes;
 * the requester accepts; the maker confirms inside the combo's 3 s window
 * (or lets it lapse). The simulator's RFQ maker bot quotes too: the human
 * maker's quote is told apart by its prices (0.02 / 0.03 sum to $0.05; the
 * bot always leaves itself $0.10 and never quotes such a pair).
 */

test.use({ video: "on" });

const HUMAN_YES = "0.02";
const cspViolations: string[] = [];

test.afterEach(() => {
  expect(cspViolations, "Content-Security-Policy violations").toEqual([]);
  cspViolations.length = 0;
});
const HUMAN_NO = "0.03";

interface Collection {
  collection_ticker: string;
  associated_events: Array<{ ticker: string }>;
}

async function signUp(page: Page, who: string): Promise<void> {
  await page.goto("/sign-up");
  await page
    .getByLabel("Email")
    .fill(`${who}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`);
  await page.getByLabel("Password").fill("e2e password that is long enough");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/settings/keys");
  await page.getByRole("button", { name: "Create simulator account" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Simulator account created and stored." }),
  ).toBeVisible();
}

async function person(
  browser: Browser,
  who: string,
  videoDir: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    recordVideo: { dir: videoDir, size: { width: 1280, height: 800 } },
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  // These pages come from contexts of our own, outside the fixture's CSP watch: same check here.
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await signUp(page, who);
  return { context, page };
}

async function gameDay(page: Page): Promise<Collection> {
  const { multivariate_contracts } = await getJson<{ multivariate_contracts: Collection[] }>(
    page.request,
    "/api/collections?status=open",
  );
  const collection = multivariate_contracts.find((c) =>
    c.collection_ticker.startsWith("KXMVEGAMEDAY"),
  );
  if (!collection || collection.associated_events.length < 2)
    throw new Error("no game-day collection");
  return collection;
}

/** The human maker's quote row on the requester's board. */
function humanQuote(page: Page) {
  return page.locator(`tr[data-yes-bid="${HUMAN_YES}00"][data-no-bid="${HUMAN_NO}00"]`);
}

async function quoteAsHuman(maker: Page): Promise<void> {
  const form = maker.getByRole("form", { name: "Quote" });
  await form.getByLabel("Yes bid ($)").fill(HUMAN_YES);
  await form.getByLabel("No bid ($)").fill(HUMAN_NO);
  await form.getByRole("button", { name: "Send quote" }).click();
  await expect(form.getByRole("status")).toHaveText("Quote sent.");
}

test.describe("RFQ between a requester and a maker", () => {
  // Two sign-ups and a build under load: generous, the waits inside are on conditions.
  test.setTimeout(360_000);

  test("combo built on event pages → quoted live → accepted yes → confirmed → executed on both screens", async ({
    browser,
  }, testInfo) => {
    const videos = testInfo.outputPath("videos");
    const requester = await person(browser, "requester", videos);
    const maker = await person(browser, "maker", videos);
    const collection = await gameDay(requester.page);
    const [first, second] = collection.associated_events as [
      { ticker: string },
      { ticker: string },
    ];

    // The maker watches the feed before the RFQ exists: it must arrive live.
    await maker.page.goto("/rfq/maker");
    const feed = maker.page.getByRole("list", { name: "Open RFQs" });
    await expect(feed).toBeVisible();

    // Two legs: a yes on the first event, a no on the second.
    const r = requester.page;
    await r.goto(`/events/${first.ticker}`);
    await r
      .getByRole("button", { name: /^Add .* yes leg$/ })
      .first()
      .click();
    await expect(r.getByRole("link", { name: "Combo slip (1)" })).toBeVisible();
    await r.goto(`/events/${second.ticker}`);
    await r
      .getByRole("button", { name: /^Add .* no leg$/ })
      .first()
      .click();
    await r.getByRole("link", { name: "Combo slip (2)" }).click();
    await r.waitForURL("**/rfq");
    const slip = r.getByRole("region", { name: "Combo slip" });
    await expect(slip.getByRole("list", { name: "Combo legs" }).getByRole("listitem")).toHaveCount(
      2,
    );
    await expect(slip.getByTestId("naive-price")).toHaveText(/\d+(\.\d)?¢/);
    await slip.getByLabel("Contracts").fill("5");
    await slip.getByRole("button", { name: "Create combo & request quotes" }).click();
    const board = r.getByRole("region", { name: "Quotes" });
    await expect(board.getByText("Combo · 2 legs")).toBeVisible();

    // The maker sees it arrive and quotes it; first a pair above $1, refused in the form.
    const item = feed.getByRole("button").filter({ hasText: "Combo · 2 legs" }).first();
    await expect(item).toBeVisible();
    await item.click();
    const form = maker.page.getByRole("form", { name: "Quote" });
    await form.getByLabel("Yes bid ($)").fill("0.60");
    await form.getByLabel("No bid ($)").fill("0.50");
    await form.getByRole("button", { name: "Send quote" }).click();
    await expect(form.getByRole("alert")).toHaveText(/must not exceed \$1\.00/);
    await expect(
      maker.page.getByRole("list", { name: "My quotes" }).locator("li[data-quote-id]"),
    ).toHaveCount(0);
    await quoteAsHuman(maker.page);

    // The requester sees the human quote, previews and accepts YES.
    const row = humanQuote(r);
    await expect(row).toBeVisible();
    await row.getByRole("button", { name: "Accept yes" }).click();
    const preview = r.getByRole("region", { name: "Accept preview" });
    await expect(preview).toContainText("Cost$4.90");
    await expect(preview).toContainText("Max payout$5.00");
    await preview.getByRole("button", { name: "Confirm accept yes" }).click();

    // The maker confirms inside the 3 s window: the button takes focus.
    const confirm = maker.page.getByRole("button", { name: "Confirm", exact: true });
    await expect(confirm).toBeFocused({ timeout: 3_000 });
    await confirm.click();

    // Both see it executed, with their positions.
    await expect(r.getByRole("region", { name: "Quote status" }).getByRole("status")).toHaveText(
      "Executed",
      { timeout: 15_000 },
    );
    await expect(r.getByTestId("rfq-position")).toContainText("5.00 NO");
    const makerStatus = maker.page.getByRole("region", { name: "Quote status" }).first();
    await expect(makerStatus.getByRole("status")).toHaveText("Executed", { timeout: 15_000 });
    await expect(maker.page.getByTestId("rfq-position").first()).toContainText("5.00 YES");

    for (const [name, page] of [
      ["requester", r],
      ["maker", maker.page],
    ] as const) {
      for (const [w, h] of [
        [1440, 900],
        [390, 844],
      ] as const) {
        await page.setViewportSize({ width: w, height: h });
        await page.screenshot({
          path: testInfo.outputPath(`rfq-${name}-${w}x${h}.png`),
          fullPage: true,
        });
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(overflow, `${name} at ${w}px scrolls sideways`).toBeLessThanOrEqual(0);
      }
    }
    await requester.context.close();
    await maker.context.close();
  });

  test("the maker lets the confirm window lapse and both screens say so", async ({
    browser,
  }, testInfo) => {
    const videos = testInfo.outputPath("videos");
    const requester = await person(browser, "requester", videos);
    const maker = await person(browser, "maker", videos);
    const collection = await gameDay(requester.page);
    const events = collection.associated_events.slice(0, 2);

    // This time the combo comes from the collection endpoint and the RFQ from the form.
    const legs = [];
    for (const [i, event] of events.entries()) {
      const { markets } = await getJson<{ markets: Array<{ ticker: string; status: string }> }>(
        requester.page.request,
        `/api/events/${event.ticker}`,
      );
      const market = markets.find((m) => m.status === "active" || m.status === "open");
      if (!market) throw new Error(`no open market in ${event.ticker}`);
      legs.push({
        market_ticker: market.ticker,
        event_ticker: event.ticker,
        side: i === 0 ? "no" : "yes",
      });
    }
    const created = await requester.page.request.post(
      `/api/collections/${collection.collection_ticker}`,
      {
        headers: {
          origin: new URL(requester.page.url()).origin,
          "content-type": "application/json",
        },
        data: { selected_markets: legs },
      },
    );
    expect(created.status(), await created.text()).toBe(200);
    const { market_ticker: combo } = (await created.json()) as { market_ticker: string };

    await maker.page.goto("/rfq/maker");
    const feed = maker.page.getByRole("list", { name: "Open RFQs" });
    await expect(feed).toBeVisible();

    const r = requester.page;
    await r.goto(`/rfq?market=${combo}`);
    const form = r.getByRole("form", { name: "New RFQ" });
    await form.getByRole("radio", { name: "Target cost ($)" }).click();
    await form.getByLabel("Target cost in dollars").fill("3");
    await form.getByRole("button", { name: "Request quotes" }).click();
    await expect(
      r.getByRole("region", { name: "Quotes" }).getByText("Combo · 2 legs"),
    ).toBeVisible();

    // Newest first, and the first test's combo RFQ closed when it executed.
    await feed.getByRole("button").filter({ hasText: "Combo · 2 legs" }).first().click();
    await quoteAsHuman(maker.page);

    const row = humanQuote(r);
    await expect(row).toBeVisible();
    await row.getByRole("button", { name: "Accept yes" }).click();
    await r
      .getByRole("region", { name: "Accept preview" })
      .getByRole("button", { name: "Confirm accept yes" })
      .click();

    // The maker does nothing: the 3 s window runs out.
    const lapsed = "Expired: the maker did not confirm within the window";
    await expect(r.getByRole("region", { name: "Quote status" }).getByRole("status")).toHaveText(
      lapsed,
      { timeout: 15_000 },
    );
    await expect(
      maker.page.getByRole("region", { name: "Quote status" }).first().getByRole("status"),
    ).toHaveText(lapsed, { timeout: 15_000 });
    for (const [name, page] of [
      ["requester-lapsed", r],
      ["maker-lapsed", maker.page],
    ] as const) {
      for (const [w, h] of [
        [1440, 900],
        [390, 844],
      ] as const) {
        await page.setViewportSize({ width: w, height: h });
        await page.screenshot({
          path: testInfo.outputPath(`rfq-${name}-${w}x${h}.png`),
          fullPage: true,
        });
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(overflow, `${name} at ${w}px scrolls sideways`).toBeLessThanOrEqual(0);
      }
    }
    await requester.context.close();
    await maker.context.close();
  });
});

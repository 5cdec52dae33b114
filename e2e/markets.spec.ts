import { expect, test, type Locator, type Page } from "./fixtures";

import { getJson, historicalMarketTicker, openMarkets } from "./helpers/market-data";

/**
 * Market browsing and charts (issue 6) against the production build with the
 * embedded simulator and its bots (playwright.config.ts).
 */

async function visiblePrices(page: Page): Promise<string> {
  const cells = page.locator("tbody tr[data-ticker] td[data-col]");
  return (await cells.allTextContents()).join("|");
}

function chart(page: Page): Locator {
  return page.getByRole("figure", { name: "Price chart" });
}

async function candleCount(figure: Locator): Promise<number> {
  return Number((await figure.getAttribute("data-candles")) ?? "0");
}

test.describe("market browser", () => {
  test("search finds a market by a word of its title", async ({ page }) => {
    await page.goto("/markets");
    const search = page.getByRole("combobox", { name: "Search markets" });
    // Keyboard first: "/" focuses the box from anywhere on the page (once hydrated).
    await expect(async () => {
      await page.locator("body").press("/");
      await expect(search).toBeFocused({ timeout: 500 });
    }).toPass();
    await search.pressSequentially("bitcoin");
    const results = page.getByRole("listbox", { name: "Search results" });
    await expect(results.getByRole("option").first()).toContainText(/bitcoin/i);
    // The text is kept in the URL and narrows the list.
    await expect(page).toHaveURL(/[?&]q=bitcoin/);
    const rows = page.getByRole("table", { name: "Markets" }).locator("tbody tr[data-ticker]");
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    for (const title of await rows.getByRole("rowheader").allTextContents())
      expect(title).toMatch(/bitcoin/i);
    // Enter opens the highlighted hit.
    await search.press("ArrowDown");
    await search.press("Enter");
    await expect(page).toHaveURL(/\/(markets|events)\/KXBTC|\/markets\?series=KXBTC/);
  });

  test("filters and sort change the list and the URL, and survive a reload", async ({ page }) => {
    await page.goto("/markets");
    const rows = page.getByRole("table", { name: "Markets" }).locator("tbody tr[data-ticker]");
    await expect.poll(() => rows.count()).toBeGreaterThan(3);
    const byVolume = await rows.evaluateAll((trs) =>
      trs.map((tr) => tr.getAttribute("data-ticker")),
    );

    await page.getByLabel("Sort by").selectOption("close_time");
    await expect(page).toHaveURL(/sort=close_time/);
    await expect
      .poll(async () =>
        (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-ticker")))).join(),
      )
      .not.toBe(byVolume.join());

    await page.getByRole("button", { name: "Economics" }).click();
    await expect(page).toHaveURL(/category=Economics/);
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    for (const ticker of await rows.evaluateAll((trs) =>
      trs.map((tr) => tr.getAttribute("data-ticker") ?? ""),
    ))
      expect(ticker).toMatch(/^KX(CPI|FED)/);

    await page.getByRole("button", { name: "Climate and Weather" }).click();
    await page.getByLabel("Status").selectOption("settled");
    await expect(page).toHaveURL(/status=settled/);
    await expect(rows.first()).toContainText(/finalized|settled/);

    await page.reload();
    await expect(page.getByLabel("Status")).toHaveValue("settled");
    await expect(page.getByLabel("Sort by")).toHaveValue("close_time");
    await expect(page.getByRole("button", { name: "Climate and Weather" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    await expect(rows.first()).toContainText(/finalized|settled/);
    await expect(page.getByRole("status").filter({ hasText: /Fetched \d+ so far/ })).toBeVisible();
  });

  test("the list mounts only the rows near the viewport and follows the scroll", async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto("/markets?status=all&sort=close_time");
    const rows = page.getByRole("table", { name: "Markets" }).locator("tbody tr[data-ticker]");
    const shown = async () => {
      const text =
        (await page.getByRole("status").filter({ hasText: /shown/ }).textContent()) ?? "";
      return Number(/(\d+) shown/.exec(text)?.[1] ?? "0");
    };
    await expect.poll(shown).toBeGreaterThan(0);
    const firstTickers = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.ticker));
    // The server sends the first page; scrolling to the end fetches the next ones.
    await expect
      .poll(async () => {
        await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
        return shown();
      })
      .toBeGreaterThan(60);
    const total = await shown();
    // Far fewer rows than the list are mounted: the virtualiser keeps a window of them.
    await expect.poll(() => rows.count()).toBeLessThan(total / 2);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    // The bottom of the list is mounted instead, still a window of it.
    await expect
      .poll(async () => {
        const tickers = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.ticker));
        return tickers.some((ticker) => firstTickers.includes(ticker));
      })
      .toBe(false);
    expect(await rows.count()).toBeLessThan(total / 2);
    expect(await rows.count()).toBeGreaterThan(5);
  });

  test("drills down from a category to a series, its events and an event's markets", async ({
    page,
  }) => {
    await page.goto("/markets");
    await page.getByRole("button", { name: "Climate and Weather" }).click();
    const seriesNav = page.getByRole("navigation", { name: "Series" });
    await seriesNav.getByRole("button").first().click();
    await expect(page).toHaveURL(/series=KX/);
    const events = page.getByRole("region", { name: /^Events of KX/ });
    const firstEvent = events.getByRole("link").first();
    await expect(firstEvent).toBeVisible();
    // Every row left in the list belongs to the chosen series.
    const series = /series=([A-Z0-9]+)/.exec(page.url())?.[1] ?? "";
    const rows = page.getByRole("table", { name: "Markets" }).locator("tbody tr[data-ticker]");
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    for (const ticker of await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.ticker ?? "")))
      expect(ticker.startsWith(`${series}-`)).toBe(true);
    await firstEvent.click();
    await expect(page).toHaveURL(new RegExp(`/events/${series}-`));
    await expect(
      page.getByRole("table", { name: "Markets of this event" }).locator("tbody tr[data-ticker]"),
    ).not.toHaveCount(0);
  });

  test("the side panel and the header follow the page", async ({ page }) => {
    await page.goto("/markets");
    // The watchlist panel loads after hydration; signed out it offers to sign in.
    const watchlist = page.getByRole("complementary", { name: "Watchlist" });
    await expect(watchlist.getByRole("link", { name: "Sign in" })).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Markets" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    await expect(nav.getByRole("link", { name: "Home" })).not.toHaveAttribute("aria-current");
    await nav.getByRole("link", { name: "Home" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(nav.getByRole("link", { name: "Home" })).toHaveAttribute("aria-current", "page");
  });

  test("a price on the list changes as the simulator trades", async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto("/markets");
    const rows = page.locator("tbody tr[data-ticker]");
    await expect.poll(() => rows.count()).toBeGreaterThan(3);
    const before = await visiblePrices(page);
    await expect
      .poll(() => visiblePrices(page), { timeout: 90_000, intervals: [1_000] })
      .not.toBe(before);
  });
});

test.describe("event page", () => {
  test("shows every market of the event and one chart with a line per market", async ({
    page,
    request,
  }) => {
    const market = (await openMarkets(request)).find((m) => m.ticker.startsWith("KXHIGHNY"));
    expect(market).toBeDefined();
    const event = await getJson<{ markets: Array<{ ticker: string }> }>(
      request,
      `/api/events/${market?.event_ticker}`,
    );
    await page.goto(`/events/${market?.event_ticker}`);
    const table = page.getByRole("table", { name: "Markets of this event" });
    await expect(table.locator("tbody tr[data-ticker]")).toHaveCount(event.markets.length);
    for (const { ticker } of event.markets)
      await expect(table.locator(`tr[data-ticker="${ticker}"]`)).toHaveCount(1);
    const figure = page.getByRole("figure", { name: "Event chart" });
    await expect
      .poll(async () => Number(await figure.getAttribute("data-lines")))
      .toBeGreaterThan(0);
  });
});

test.describe("market chart", () => {
  test("draws candles for each period and its last candle moves on a trade", async ({
    page,
    request,
    baseURL,
  }) => {
    test.setTimeout(90_000);
    // A trader of our own, so the trade that moves the candle is certain, not left to the bots.
    const email = `chart-${Date.now()}@example.com`;
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("correct horse battery staple 42");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/settings\/keys/);
    const headers = { origin: baseURL ?? "" };
    const key = await page.request.post("/api/credentials/sim-account", { data: {}, headers });
    expect(key.status()).toBe(201);

    const market = (await openMarkets(request)).find(
      (m) => Number(m.yes_ask_dollars) < 1 && Number(m.yes_ask_dollars) > 0,
    );
    expect(market).toBeDefined();
    if (!market) return;
    // With a key, the market page is the trading screen; its chart is the same component.
    await page.goto(`/markets/${market.ticker}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(market.title);
    const figure = chart(page);
    for (const period of ["1 day", "1 hr", "1 min"]) {
      await figure
        .getByRole("group", { name: "Candle period" })
        .getByRole("button", { name: period, exact: true })
        .click();
      await expect(figure).toHaveAttribute(
        "data-period",
        { "1 day": "1440", "1 hr": "60", "1 min": "1" }[period] ?? "",
      );
      await expect.poll(() => candleCount(figure), { timeout: 15_000 }).toBeGreaterThan(0);
    }
    // The NO scale mirrors the YES one.
    const yesClose = Number(await figure.getAttribute("data-last-close"));
    await figure.getByRole("button", { name: "No", exact: true }).click();
    await expect
      .poll(async () => Number(await figure.getAttribute("data-last-close")))
      .toBeCloseTo(100 - yesClose, 2);
    await figure.getByRole("button", { name: "Yes", exact: true }).click();

    const last = async () =>
      `${await figure.getAttribute("data-last-time")}/${await figure.getAttribute("data-last-volume")}`;
    const before = await last();
    const { market: fresh } = await getJson<{ market: { yes_ask_dollars: string } }>(
      request,
      `/api/markets/${market.ticker}`,
    );
    const order = await page.request.post("/api/orders", {
      headers,
      data: {
        ticker: market.ticker,
        side: "bid",
        count: "1",
        price: fresh.yes_ask_dollars,
        time_in_force: "immediate_or_cancel",
      },
    });
    expect(order.status(), await order.text()).toBeLessThan(300);
    await expect.poll(last, { timeout: 20_000 }).not.toBe(before);
    // Signed in, the trader's own fill is marked on the chart.
    await expect
      .poll(async () => Number(await figure.getAttribute("data-markers")), { timeout: 20_000 })
      .toBeGreaterThan(0);

    // The watchlist keeps the market (stored per user) and shows it with live prices.
    await page.getByRole("button", { name: `Watch ${market.ticker}` }).click();
    await expect(page.getByRole("button", { name: `Unwatch ${market.ticker}` })).toBeVisible();
    await page.goto("/");
    const watchlist = page.getByRole("complementary", { name: "Watchlist" });
    await expect(watchlist.getByRole("link", { name: new RegExp(market.ticker) })).toBeVisible();
    await page.reload();
    await expect(watchlist.getByRole("link", { name: new RegExp(market.ticker) })).toBeVisible();
    await page.getByRole("button", { name: `Remove ${market.ticker} from watchlist` }).click();
    await expect(watchlist.getByRole("link", { name: new RegExp(market.ticker) })).toHaveCount(0);

    // A change that fails (here the session has ended) says so instead of doing nothing.
    await page.goto(`/markets/${market.ticker}`);
    const star = page.getByRole("button", { name: `Watch ${market.ticker}` });
    // The star shows once the watchlist has loaded; then the session ends under it.
    await expect(star).toBeVisible();
    await page.context().clearCookies();
    await star.click();
    await expect(
      page.getByRole("status").filter({ hasText: "Could not update the watchlist" }),
    ).toHaveText(/Sign in/);
    await expect(star).toHaveAttribute("aria-pressed", "false");
  });

  test("a settled market's chart loads from the historical tier", async ({ page, request }) => {
    const ticker = await historicalMarketTicker(request);
    expect(ticker, "the seed has a market settled before the historical cutoff").toBeDefined();
    await page.goto(`/markets/${ticker}`);
    await expect(page.getByText("finalized").first()).toBeVisible();
    const figure = chart(page);
    await figure
      .getByRole("group", { name: "Candle period" })
      .getByRole("button", { name: "1 day", exact: true })
      .click();
    await expect.poll(() => candleCount(figure), { timeout: 15_000 }).toBeGreaterThan(0);
  });
});

test.describe("small screens", () => {
  for (const viewport of [
    { name: "a phone", width: 390, height: 844 },
    { name: "a narrow laptop", width: 1024, height: 640 },
  ]) {
    test(`every browsing page fits ${viewport.name} without sideways scrolling`, async ({
      page,
      request,
    }) => {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      const market = (await openMarkets(request))[0];
      expect(market).toBeDefined();
      for (const url of [
        "/",
        "/markets",
        `/markets/${market?.ticker}`,
        `/events/${market?.event_ticker}`,
      ]) {
        await page.goto(url);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        // Wide tables scroll inside their own box; the page itself never does.
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(overflow, `${url} is ${overflow}px wider than the screen`).toBeLessThanOrEqual(0);
        await expect(page.getByRole("navigation", { name: "Main" })).toBeInViewport();
      }
    });
  }
});

import { expect, test, type Page } from "./fixtures";

import { openMarkets } from "./helpers/market-data";

/**
 * What a new user trips over on a first visit: signed-out pages must not ask
 * private routes for data (each such call is a 401 in the console), unknown
 * tickers must answer HTTP 404, and the API keys page must show a created
 * key in its list before it says "created".
 */
const PRIVATE_ROUTE =
  /\/api\/(watchlist|orders|portfolio|credentials|order-groups|subaccounts|rfqs|quotes)(\/|\?|$)/;

/** Records private-route requests and console errors while `visit` runs. */
async function watch(page: Page, visit: () => Promise<void>) {
  const privateCalls: string[] = [];
  const consoleErrors: string[] = [];
  page.on("request", (request) => {
    const { pathname, search } = new URL(request.url());
    if (PRIVATE_ROUTE.test(pathname + search)) privateCalls.push(`${request.method()} ${pathname}`);
  });
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  await visit();
  return { privateCalls, consoleErrors };
}

test.describe("first visit, signed out", () => {
  test("browsing pages make no private calls and log no errors", async ({ page }) => {
    const [market] = await openMarkets(page.request);
    if (!market) throw new Error("no open market");
    const seen = await watch(page, async () => {
      for (const url of [
        "/",
        "/markets",
        `/markets/${market.ticker}`,
        `/events/${market.event_ticker}`,
      ]) {
        await page.goto(url, { waitUntil: "networkidle" });
      }
      // The "has my position" filter asks nobody when signed out; it says why instead.
      await page.goto("/markets?mine=1", { waitUntil: "networkidle" });
      await expect(page.getByText(/Sign in with a Kalshi key/)).toBeVisible();
    });
    expect(seen.privateCalls).toEqual([]);
    expect(seen.consoleErrors).toEqual([]);
  });

  test("an unknown market or event answers 404 with the not-found page", async ({ page }) => {
    for (const url of ["/markets/NO-SUCH-MARKET-26JAN01", "/events/NO-SUCH-EVENT-26JAN01"]) {
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    }
    const [market] = await openMarkets(page.request);
    if (!market) throw new Error("no open market");
    const found = await page.goto(`/markets/${market.ticker}`);
    expect(found?.status()).toBe(200);
  });
});

test("the keys page lists a new simulator key by the time it says so", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`first-visit-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("e2e password that is long enough");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/settings/keys");

  const stored = page.getByRole("region", { name: "Stored keys" });
  await page.getByRole("button", { name: "Create simulator account" }).click();
  const notice = page
    .getByRole("status")
    .filter({ hasText: "Simulator account created and stored." });
  await notice.waitFor();
  // Read in the same task as the notice appeared: no "No API key yet" beside it.
  const state = await page.evaluate(() => ({
    empty: document.body.innerText.includes("No API key yet"),
  }));
  expect(state.empty).toBe(false);
  await expect(stored.getByRole("listitem")).toHaveCount(1);
});

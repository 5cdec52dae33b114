import { expect, test } from "./fixtures";

import { openMarkets } from "./helpers/market-data";

/**
 * The BFF from a browser's seat: sign up, create a simulator account in one
 * click, see only its fingerprint, then trade through the BFF with the
 * session cookie and same-origin headers, as the pages do.
 */
test.describe("trading through the BFF", () => {
  test("sign up, one-click simulator account, place an order and list it", async ({
    page,
    baseURL,
  }) => {
    const email = `trader-${Date.now()}@example.com`;
    const password = "e2e password that is long enough";

    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/settings/keys");

    await page.getByRole("button", { name: "Create simulator account" }).click();
    await expect(
      page.getByRole("status").filter({ hasText: "Simulator account created and stored." }),
    ).toBeVisible();
    const stored = page.getByRole("region", { name: "Stored keys" });
    await expect(stored.getByRole("listitem")).toHaveCount(1);
    await expect(stored.getByRole("listitem").first()).toContainText(/fingerprint [0-9a-f:]{8,}/i);
    await expect(page.getByText(/PRIVATE KEY/)).toHaveCount(0);

    // The page's own fetches carry the cookie; so does page.request, sharing the context.
    const sameSite = { origin: baseURL ?? "", "content-type": "application/json" };
    const [market] = await openMarkets(page.request);
    if (!market) throw new Error("no open market");

    const placed = await page.request.post("/api/orders", {
      headers: sameSite,
      data: { ticker: market.ticker, side: "bid", count: "1", price: "0.01" },
    });
    expect(placed.status(), await placed.text()).toBe(201);
    const { order_id: orderId } = (await placed.json()) as { order_id: string };
    expect(orderId).toBeTruthy();

    const listed = await page.request.get(`/api/orders?ticker=${market.ticker}`);
    expect(listed.status()).toBe(200);
    const body = await listed.text();
    expect(body).not.toMatch(/PRIVATE KEY/);
    const { orders } = JSON.parse(body) as { orders: Array<{ order_id: string; status: string }> };
    expect(orders).toEqual(
      expect.arrayContaining([expect.objectContaining({ order_id: orderId, status: "resting" })]),
    );

    const balance = await page.request.get("/api/portfolio/balance");
    expect(balance.status()).toBe(200);

    // The same order from another site is refused, and nothing is placed.
    const crossSite = await page.request.post("/api/orders", {
      headers: { ...sameSite, origin: "https://evil.example" },
      data: { ticker: market.ticker, side: "bid", count: "1", price: "0.01" },
    });
    expect(crossSite.status()).toBe(403);

    // Signed in, the header names the account and offers the keys page; signing out ends it.
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "API keys" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    await expect(page.getByText(email)).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("link", { name: "Sign in" }).first()).toBeVisible();
    await expect(nav.getByRole("link", { name: "API keys" })).toHaveCount(0);
    expect((await page.request.get("/api/portfolio/balance")).status()).toBe(401);
  });

  test("a caller without a session gets 401 from private routes", async ({
    playwright,
    baseURL,
  }) => {
    const anonymous = await playwright.request.newContext({ baseURL });
    try {
      expect((await anonymous.get("/api/orders")).status()).toBe(401);
      expect((await anonymous.get("/api/portfolio/balance")).status()).toBe(401);
    } finally {
      await anonymous.dispose();
    }
  });
});

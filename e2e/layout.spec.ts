import { getJson } from "./helpers/market-data";
import { expect, test, type Page } from "./fixtures";

/**
 * Every signed-in screen at the two sizes traders use besides a desktop: a
 * small laptop (1024×640) and a phone (390×844). Nothing may scroll the page
 * sideways; wide tables scroll inside their own box.
 */

async function signUpWithSimulatorAccount(page: Page): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`layout-${Date.now()}-with-a-long-name@example.com`);
  await page.getByLabel("Password").fill("e2e password that is long enough");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/settings/keys");
  await page.getByRole("button", { name: "Create simulator account" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Simulator account created and stored." }),
  ).toBeVisible();
}

test("signed-in screens fit 1024×640 and 390×844 without sideways scrolling", async ({ page }) => {
  test.setTimeout(180_000);
  await signUpWithSimulatorAccount(page);
  const { markets } = await getJson<{ markets: Array<{ ticker: string }> }>(
    page.request,
    "/api/markets?status=open&limit=20",
  );
  const market = markets[0];
  if (!market) throw new Error("no open market");
  const paths = [
    `/markets/${market.ticker}`,
    "/markets",
    "/",
    "/portfolio",
    "/portfolio/subaccounts",
    "/rfq",
    "/rfq/maker",
    "/settings",
    "/settings/keys",
  ];
  for (const [width, height] of [
    [1024, 640],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const path of paths) {
      await page.goto(path);
      await expect(page.getByRole("main").first()).toBeVisible();
      // Let late content (live tables, deferred chunks) arrive before measuring.
      await page.waitForLoadState("networkidle");
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow, `${path} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
    }
  }
});

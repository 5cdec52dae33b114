import { expect, test } from "./fixtures";

/**
 * Security from a browser's seat: the headers on pages and API answers, and
 * sign-out that really ends the session (the old cookie is refused after).
 */
test.describe("security", () => {
  test("pages carry a nonce CSP and the hardening headers; API answers are not cached", async ({
    page,
  }) => {
    const response = await page.goto("/");
    const headers = response?.headers() ?? {};
    const csp = headers["content-security-policy"] ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBeTruthy();
    expect(headers["permissions-policy"]).toBeTruthy();
    // Next.js put this response's nonce on its scripts.
    const nonces = await page.locator("script[nonce]").count();
    expect(nonces).toBeGreaterThan(0);

    const api = await page.request.get("/api/credentials");
    expect(api.status()).toBe(401);
    expect(api.headers()["cache-control"]).toBe("no-store");
    expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  });

  test("sign out ends the session: the old cookie is refused afterwards", async ({
    page,
    context,
    baseURL,
  }) => {
    const email = `security-${Date.now()}@example.com`;
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("e2e password that is long enough");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/settings/keys");

    const saved = (await context.cookies()).filter((cookie) =>
      cookie.name.includes("session-token"),
    );
    expect(saved.length).toBeGreaterThan(0);
    expect((await page.request.get("/api/credentials")).status()).toBe(200);

    await page.goto("/settings/security");
    await expect(page.getByRole("region", { name: "Active sessions" })).toContainText(
      "This browser",
    );
    await expect(page.getByRole("region", { name: "Security log" })).toContainText("Signed in");

    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.waitForURL("**/sign-in**");

    // Put the old cookie back, as a thief who copied it would.
    await context.addCookies(saved);
    const replay = await page.request.get("/api/credentials");
    expect(replay.status()).toBe(401);
    const ticket = await page.request.post("/api/ws-ticket", {
      headers: { origin: baseURL ?? "" },
    });
    expect(ticket.status()).toBe(401);
  });
});

import { defineConfig, devices } from "@playwright/test";

/**
 * The smoke run against an already started server (the image assembled by
 * .ci/container-smoke.ts): no webServer here, CONTAINER_BASE_URL names it.
 */
const baseURL = process.env.CONTAINER_BASE_URL;
if (!baseURL) throw new Error("CONTAINER_BASE_URL must name the running server");

export default defineConfig({
  testDir: "./e2e/container",
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: "list",
  use: { baseURL, trace: "retain-on-failure" },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
          ],
        },
      },
    },
  ],
});

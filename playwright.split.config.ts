import { randomBytes } from "node:crypto";

import { defineConfig, devices } from "@playwright/test";

/**
 * The Vercel layout, proven on one machine: three processes, as they would
 * run apart in production.
 *
 *   1. the simulator alone (`npm run sim`),
 *   2. the WebSocket gateway alone (`npm run gateway`),
 *   3. the Next.js app under plain `next start` (no server/main.ts: no
 *      embedded simulator, no in-process gateway, no PGlite),
 *
 * sharing one Postgres database (SPLIT_DATABASE_URL, required) and the app's
 * secrets. Browsers open the gateway at GATEWAY_PUBLIC_URL with a ticket
 * from /api/ws-ticket. Needs `npm run build` first.
 *
 *   SPLIT_DATABASE_URL=postgres://… npx playwright test -c playwright.split.config.ts
 */
const databaseUrl = process.env.SPLIT_DATABASE_URL;
if (!databaseUrl) {
  throw new Error("SPLIT_DATABASE_URL must name an empty Postgres database for the split layout");
}
const simPort = Number(process.env.SPLIT_SIM_PORT ?? 3121);
const gatewayPort = Number(process.env.SPLIT_GATEWAY_PORT ?? 3122);
const appPort = Number(process.env.SPLIT_APP_PORT ?? 3123);
const appUrl = `http://127.0.0.1:${appPort}`;

/** What both the app and the gateway read (server/config.ts). */
const shared = {
  NODE_ENV: "production",
  HOST: "127.0.0.1",
  KALSHI_ENV: "sim",
  KALSHI_REST_URL: `http://127.0.0.1:${simPort}/trade-api/v2`,
  KALSHI_WS_URL: "",
  DATABASE_URL: databaseUrl,
  AUTH_SECRET: process.env.E2E_AUTH_SECRET ?? randomBytes(32).toString("base64"),
  VAULT_KEY: process.env.E2E_VAULT_KEY ?? randomBytes(32).toString("base64"),
  GATEWAY_ALLOWED_ORIGINS: appUrl,
  NEXT_TELEMETRY_DISABLED: "1",
};

export default defineConfig({
  testDir: "./e2e/split",
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: "list",
  use: {
    baseURL: appUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
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
  // Started in this order, each once the previous one answers.
  webServer: [
    {
      command: "npx tsx server/sim/cli.ts",
      url: `http://127.0.0.1:${simPort}/trade-api/v2/exchange/status`,
      env: { SIM_PORT: String(simPort), SIM_BOTS: "on", SIM_HOST: "127.0.0.1" },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: "npx tsx server/gateway/cli.ts",
      url: `http://127.0.0.1:${gatewayPort}/health`,
      env: { ...shared, GATEWAY_PORT: String(gatewayPort) },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: `npx next start -p ${appPort} -H 127.0.0.1`,
      url: appUrl,
      env: { ...shared, GATEWAY_PUBLIC_URL: `ws://127.0.0.1:${gatewayPort}/ws` },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});

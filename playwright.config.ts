import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests against the production build with the embedded simulator.
 *
 * Assumes `npm run build` has already run: the web server below is
 * `npm start`, which serves .next and fails fast without a build.
 * The browser is Debian's Chromium (`apt-get install chromium`); Playwright
 * never downloads one.
 */

const PORT = Number(process.env.E2E_PORT ?? 3107);
const baseURL = `http://127.0.0.1:${PORT}`;
const SIM_PORT = Number(process.env.E2E_SIM_PORT ?? PORT + 1);
process.env.E2E_SIM_URL ??= `http://127.0.0.1:${SIM_PORT}`;

export default defineConfig({
  testDir: "./e2e",
  // The split (Vercel) layout and the container smoke have their own configs.
  testIgnore: ["split/**", "container/**"],
  // One server, two cores: parallel browsers would only fight for CPU.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    baseURL,
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
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: {
    command: "npm start",
    url: baseURL,
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      // Always the embedded simulator, whatever the caller's shell points at.
      KALSHI_ENV: "sim",
      KALSHI_REST_URL: "",
      KALSHI_WS_URL: "",
      SIM_BOTS: "on",
      // A fixed simulator port, so specs can drive its sim-only controls
      // (close/determine/settle a market) at E2E_SIM_URL.
      SIM_PORT: String(SIM_PORT),
      // Production refuses to start without these; throwaway values per run,
      // and a fresh database so runs never see each other's accounts.
      AUTH_SECRET: process.env.E2E_AUTH_SECRET ?? randomBytes(32).toString("base64"),
      VAULT_KEY: process.env.E2E_VAULT_KEY ?? randomBytes(32).toString("base64"),
      DATA_DIR:
        process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), "kalshi-dashboard-e2e-")),
      DATABASE_URL: "",
      // Every spec signs up from 127.0.0.1: the per-address sign-up limit
      // (docs/security.md) would otherwise stop the suite, not an attacker.
      SIGNUP_MAX_PER_IP_PER_HOUR: "1000",
      // Likewise the per-client budget of the public routes (docs/market-data.md): every
      // signed-out spec is one client at 127.0.0.1.
      PUBLIC_RATE_PER_SECOND: "1000",
      PUBLIC_RATE_BURST: "5000",
    },
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});

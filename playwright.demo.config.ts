import { defineConfig } from "@playwright/test";

import base from "./playwright.config";

/**
 * `npm run demo`: every e2e workflow recorded as a video and a Playwright
 * trace into demos/ (git-ignored), against the production build with the
 * embedded simulator and its bots on, slowed down so a person can follow.
 * `npm run screenshots` uses the same setup to refresh docs/screenshots/.
 *
 *   npm run build && npm run demo
 *   npx playwright show-trace demos/runs/<test>/trace.zip
 */
const chromium = base.projects?.[0];

export default defineConfig({
  ...base,
  // Only the browser workflows: the container and split-layout smokes have their own servers.
  testIgnore: ["split/**", "container/**"],
  // Runs and the HTML report side by side: a report folder inside outputDir would be wiped.
  outputDir: "demos/runs",
  retries: 0,
  timeout: 180_000,
  reporter: [["list"], ["html", { open: "never", outputFolder: "demos/report" }]],
  use: {
    ...base.use,
    video: { mode: "on", size: { width: 1440, height: 900 } },
    trace: "on",
    screenshot: "on",
    viewport: { width: 1440, height: 900 },
  },
  projects: [
    {
      ...chromium,
      name: "demo",
      use: {
        ...chromium?.use,
        viewport: { width: 1440, height: 900 },
        launchOptions: { ...chromium?.use?.launchOptions, slowMo: 250 },
      },
    },
  ],
});

/**
 * The positions table under load: 500 positions whose marks all move 50 times
 * a second, in Debian's Chromium at 1440x900. Prints the renderer main
 * thread's busy time per frame (16.7 ms windows, from a DevTools trace), p50,
 * p95 and max; the target is p95 ≤ 8 ms. Also counts React commits of the
 * rows, which should stay at zero while only marks move.
 *
 *   npx tsx bench/portfolio.bench.ts [seconds=5] [ticksPerSecond=50]
 *
 * Prints figures only; nothing here asserts a timing.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";

import { build } from "esbuild";
import { chromium } from "@playwright/test";

import {
  formatBreakdown,
  mainThreadFrames,
  parseTrace,
  percentile,
} from "./lib/main-thread-frames";

const numbers = process.argv.slice(2).filter((a) => /^\d+$/.test(a));
const seconds = Number(numbers[0] ?? 5);
const ticksPerSecond = Number(numbers[1] ?? 50);
/** `--trace=FILE`: keep the Chrome trace (DevTools' Performance panel opens it). */
const traceOut = process.argv.find((a) => a.startsWith("--trace="))?.slice("--trace=".length);
const root = path.resolve(import.meta.dirname, "..");

const bundle = await build({
  entryPoints: [path.join(root, "bench/portfolio/table-page.tsx")],
  bundle: true,
  write: false,
  format: "iife",
  jsx: "automatic",
  minify: true,
  define: { "process.env.NODE_ENV": '"production"' },
  tsconfig: path.join(root, "tsconfig.json"),
  logLevel: "error",
});
const script = bundle.outputFiles[0]?.text ?? "";

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
page.on("pageerror", (error) => console.error("page error:", error.message));
// The app's own stylesheet (Tailwind, from the production build) when there is one, so
// layout and paint cost what they cost in the app; a minimal stand-in otherwise.
const builtCss = (() => {
  const dir = path.join(root, ".next", "static", "chunks");
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith(".css"));
  return files.length > 0
    ? files.map((f) => readFileSync(path.join(dir, f), "utf8")).join("\n")
    : null;
})();
if (!builtCss) console.error("no production build: measuring with a stand-in stylesheet");
const css =
  builtCss ??
  `body{margin:0;background:#0b0e14;color:#e6e9ef;font:13px system-ui} table{width:100%;border-collapse:collapse} td,th{padding:0 8px;white-space:nowrap} .hidden{display:none}`;
await page.setContent(
  `<!doctype html><html><head><style>${css}</style></head><body><div id="root"></div></body></html>`,
);
await page.addScriptTag({ content: script });
await page.waitForSelector("tr[data-ticker]", { state: "attached" });
const mountedRows = await page.locator("tr[data-ticker]").count();

await page.evaluate((tps) => window.benchStart(tps), ticksPerSecond);
// Warm-up before tracing.
await page.waitForTimeout(1_000);
await browser.startTracing(page, { categories: ["devtools.timeline", "toplevel"] });
const traceStart = await page.evaluate(() => performance.now());
await page.waitForTimeout(seconds * 1_000);
const traceBuffer = await browser.stopTracing();
if (traceOut) writeFileSync(traceOut, traceBuffer);
const updates = await page.evaluate(() => window.benchStop());
await browser.close();

const stats = mainThreadFrames(parseTrace(traceBuffer));
const pct = (p: number) => percentile(stats.perFrame, p * 100);
console.log(
  JSON.stringify(
    {
      bench: "portfolio positions table",
      stylesheet: builtCss ? "app (production build)" : "stand-in",
      positions: 500,
      mountedRows,
      ticksPerSecond,
      markUpdates: updates,
      seconds,
      frames: stats.slots,
      mainThreadMsPerFrame: {
        p50: Number(pct(0.5).toFixed(2)),
        p95: Number(pct(0.95).toFixed(2)),
        max: Number((stats.perFrame.at(-1) ?? 0).toFixed(2)),
      },
      mainThreadCpuMsPerFrame: {
        p50: Number(percentile(stats.cpuPerFrame, 50).toFixed(2)),
        p95: Number(percentile(stats.cpuPerFrame, 95).toFixed(2)),
        max: Number((stats.cpuPerFrame.at(-1) ?? 0).toFixed(2)),
      },
      longestTaskMs: Number(stats.longestTaskMs.toFixed(1)),
      longestTaskCpuMs: Number(stats.longestTaskCpuMs.toFixed(1)),
      loadAverage: Number(loadavg()[0]?.toFixed(2)),
      mainThreadByKindMs: formatBreakdown(stats.breakdown),
      targetP95Ms: 8,
      traceStartMs: Math.round(traceStart),
    },
    null,
    2,
  ),
);

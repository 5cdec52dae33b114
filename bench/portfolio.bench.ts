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
import path from "node:path";

import { build } from "esbuild";
import { chromium } from "@playwright/test";

const seconds = Number(process.argv[2] ?? 5);
const ticksPerSecond = Number(process.argv[3] ?? 50);
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
const css = `body{margin:0;background:#0b0e14;color:#e6e9ef;font:13px system-ui} table{width:100%;border-collapse:collapse} td,th{padding:0 8px;white-space:nowrap} .hidden{display:none}`;
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
const updates = await page.evaluate(() => window.benchStop());
await browser.close();

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}
const events = (JSON.parse(traceBuffer.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
const mainThreads = new Set(
  events
    .filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain")
    .map((e) => `${e.pid}:${e.tid}`),
);
// Top-level tasks of the renderer's main thread (the name differs between Chromium versions).
const TOP_LEVEL = new Set(["RunTask", "ThreadControllerImpl::RunTask"]);
const tasks = events.filter(
  (e) => e.ph === "X" && TOP_LEVEL.has(e.name) && mainThreads.has(`${e.pid}:${e.tid}`) && e.dur,
);
if (tasks.length === 0)
  throw new Error(`no main-thread tasks in the trace (${events.length} events)`);
const first = Math.min(...tasks.map((t) => t.ts));
const last = Math.max(...tasks.map((t) => t.ts + (t.dur ?? 0)));
const FRAME_US = 1_000_000 / 60;
const frames = new Float64Array(Math.ceil((last - first) / FRAME_US) + 1);
for (const task of tasks) {
  let start = task.ts;
  const end = task.ts + (task.dur ?? 0);
  while (start < end) {
    const index = Math.floor((start - first) / FRAME_US);
    const frameEnd = first + (index + 1) * FRAME_US;
    const slice = Math.min(end, frameEnd) - start;
    frames[index] = (frames[index] ?? 0) + slice;
    start += slice;
  }
}
const sorted = [...frames].sort((a, b) => a - b);
const pct = (p: number) =>
  (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) / 1000;
console.log(
  JSON.stringify(
    {
      bench: "portfolio positions table",
      positions: 500,
      mountedRows,
      ticksPerSecond,
      markUpdates: updates,
      seconds,
      frames: frames.length,
      mainThreadMsPerFrame: {
        p50: Number(pct(0.5).toFixed(2)),
        p95: Number(pct(0.95).toFixed(2)),
        max: Number(((sorted.at(-1) ?? 0) / 1000).toFixed(2)),
      },
      targetP95Ms: 8,
      traceStartMs: Math.round(traceStart),
    },
    null,
    2,
  ),
);

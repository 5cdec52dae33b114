/**
 * First-load JavaScript per route and time to first contentful paint of
 * /markets, against the production build served by server/main.ts with the
 * embedded simulator (bots on).
 *
 *   npm run build && npx tsx bench/first-load.bench.ts [fcp-runs=7] [--check]
 *
 * 1. Bytes: each route is loaded in Debian's Chromium (fresh context, signed
 *    out). "First load" is every script the server-rendered HTML names
 *    (`<script src>`): what the browser must fetch and run to hydrate the
 *    page. Scripts fetched afterwards (the gateway client with its frame
 *    validators, the chart, the virtualiser, the watchlist panel) are listed
 *    separately as "after hydration". Sizes are the build's files gzipped at
 *    level 6 (a typical server setting), so figures do not depend on how the
 *    local server compresses. Targets from issue 6: ≤ 130 kB on `/` and
 *    `/markets`, ≤ 170 kB on a market page before the chart chunk.
 * 2. FCP: /markets loaded in a fresh context per run, read from the
 *    Performance API `first-contentful-paint` entry; median and worst.
 *
 * Prints figures; exits non-zero when the build is missing, and with
 * `--check` when a route is over its budget (CI runs it that way).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import { chromium, type Browser } from "@playwright/test";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nextDir = path.join(root, ".next");
const args = process.argv.slice(2);
const runs = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 7);
/** `--check`: exit 1 when a route is over its budget (used by .ci/run after the build). */
const check = args.includes("--check");
let overBudget = 0;

const gzipCache = new Map<string, number>();
/** gzip -6 size of a built static file, from its URL path (/_next/static/…). */
function gzipBytes(urlPath: string): number {
  let size = gzipCache.get(urlPath);
  if (size === undefined) {
    const file = path.join(nextDir, decodeURIComponent(urlPath.replace(/^\/_next\//, "")));
    size = gzipSync(readFileSync(file), { level: 6 }).length;
    gzipCache.set(urlPath, size);
  }
  return size;
}

function kb(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

interface RouteLoad {
  firstLoad: string[];
  afterHydration: string[];
}

/** Loads `url` signed out and splits the scripts it fetched into first load and later. */
async function loadRoute(browser: Browser, url: string): Promise<RouteLoad> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const fetched = new Set<string>();
  page.on("request", (request) => {
    const { pathname } = new URL(request.url());
    if (request.resourceType() === "script" && pathname.startsWith("/_next/static/")) {
      fetched.add(pathname);
    }
  });
  const response = await page.goto(url, { waitUntil: "networkidle" });
  const html = (await response?.text()) ?? "";
  await context.close();
  const named = new Set<string>();
  for (const match of html.matchAll(/<script[^>]*\ssrc="([^"]+)"[^>]*>/g)) {
    const tag = match[0];
    const src = match[1] ?? "";
    // nomodule polyfills are skipped by every browser that runs this app.
    if (/\snoModule|\snomodule/.test(tag) || !src.startsWith("/_next/static/")) continue;
    named.add(new URL(src, "http://x").pathname);
  }
  return {
    firstLoad: [...named],
    afterHydration: [...fetched].filter((file) => !named.has(file)),
  };
}

const sum = (files: string[]) => files.reduce((total, file) => total + gzipBytes(file), 0);

async function firstLoad(browser: Browser, base: string): Promise<void> {
  const markets = (await (await fetch(`${base}/api/markets?status=open&limit=1`)).json()) as {
    markets: Array<{ ticker: string; event_ticker: string }>;
  };
  const market = markets.markets[0];
  if (!market) throw new Error("the simulator listed no open market");
  const routes: Array<{ label: string; url: string; budgetKb: number | null }> = [
    { label: "/", url: "/", budgetKb: 130 },
    { label: "/markets", url: "/markets", budgetKb: 130 },
    { label: "/markets/[ticker]", url: `/markets/${market.ticker}`, budgetKb: 170 },
    { label: "/events/[ticker]", url: `/events/${market.event_ticker}`, budgetKb: null },
  ];
  console.log("first-load JS (gzip -6, production build, signed out)");
  console.log("  route                  first load  files   budget         after hydration");
  for (const route of routes) {
    const load = await loadRoute(browser, `${base}${route.url}`);
    const total = sum(load.firstLoad);
    if (route.budgetKb !== null && total / 1024 > route.budgetKb) overBudget += 1;
    const verdict =
      route.budgetKb === null
        ? ""
        : total / 1024 <= route.budgetKb
          ? `≤ ${route.budgetKb} ok`
          : `> ${route.budgetKb} OVER`;
    console.log(
      `  ${route.label}`.padEnd(24) +
        `${kb(total)} kB`.padStart(11) +
        String(load.firstLoad.length).padStart(7) +
        "   " +
        verdict.padEnd(15) +
        `+${kb(sum(load.afterHydration))} kB in ${load.afterHydration.length} chunks`,
    );
  }
  const build = JSON.parse(readFileSync(path.join(nextDir, "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
  };
  const framework = build.rootMainFiles.reduce(
    (total, file) => total + gzipBytes(`/_next/${file}`),
    0,
  );
  console.log(`  (of which framework, shared by every route: ${kb(framework)} kB)`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function startApp(port: number, dataDir: string): Promise<ChildProcess> {
  const tsxCli = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
  const child = spawn(process.execPath, [tsxCli, "server/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      KALSHI_ENV: "sim",
      KALSHI_REST_URL: "",
      KALSHI_WS_URL: "",
      SIM_BOTS: "on",
      // Production refuses to start without these; throwaway values and data for the run.
      AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString("base64"),
      VAULT_KEY: process.env.VAULT_KEY ?? randomBytes(32).toString("base64"),
      DATA_DIR: dataDir,
      DATABASE_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the app did not start within 60 s")), 60_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes('"msg":"ready"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("exit", (code) =>
      reject(new Error(`the app exited with ${code}: ${stderr.slice(-500)}`)),
    );
  });
  return child;
}

async function fcp(browser: Browser, base: string): Promise<void> {
  {
    const url = `${base}/markets`;
    // One unmeasured visit: the first request after start-up compiles nothing in production, but warms caches.
    const warm = await browser.newContext();
    await (await warm.newPage()).goto(url);
    await warm.close();
    const samples: Array<{ fcp: number; ttfb: number }> = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url, { waitUntil: "load" });
      const sample = await page.evaluate(async () => {
        const paint = await new Promise<number>((resolve) => {
          const existing = performance.getEntriesByName("first-contentful-paint")[0];
          if (existing) return resolve(existing.startTime);
          new PerformanceObserver((list) => {
            const entry = list.getEntriesByName("first-contentful-paint")[0];
            if (entry) resolve(entry.startTime);
          }).observe({ type: "paint", buffered: true });
        });
        const nav = performance.getEntriesByType("navigation")[0] as
          PerformanceNavigationTiming | undefined;
        return { fcp: paint, ttfb: nav ? nav.responseStart : NaN };
      });
      samples.push(sample);
      await context.close();
    }
    const fcps = samples.map((s) => s.fcp).sort((a, b) => a - b);
    const ttfbs = samples.map((s) => s.ttfb).sort((a, b) => a - b);
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)] ?? NaN;
    console.log(`FCP of /markets (production server + simulator, Chromium, ${runs} cold contexts)`);
    console.log(
      `  FCP   median ${median(fcps).toFixed(0)} ms   worst ${fcps[fcps.length - 1]?.toFixed(0)} ms`,
    );
    console.log(
      `  TTFB  median ${median(ttfbs).toFixed(0)} ms   worst ${ttfbs[ttfbs.length - 1]?.toFixed(0)} ms`,
    );
  }
}

if (!existsSync(path.join(nextDir, "build-manifest.json"))) {
  console.error("No production build: run `npm run build` first.");
  process.exit(1);
}
const port = await freePort();
const dataDir = mkdtempSync(path.join(tmpdir(), "bench-first-load-"));
const app = await startApp(port, dataDir);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const base = `http://127.0.0.1:${port}`;
  await firstLoad(browser, base);
  await fcp(browser, base);
} finally {
  await browser.close();
  app.kill("SIGTERM");
  await new Promise((resolve) => app.once("exit", resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
if (check && overBudget > 0) {
  console.error(`${overBudget} route(s) over their first-load budget`);
  process.exit(1);
}

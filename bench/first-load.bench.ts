/**
 * First-load JavaScript per route and time to first contentful paint of
 * /markets, against the production build served by server/main.ts with the
 * embedded simulator (bots on).
 *
 *   npm run build && npx tsx bench/first-load.bench.ts [fcp-runs=7] [--check]
 *   (BENCH_PORT=… SIM_PORT=… choose the ports; by default a free one and the simulator's default)
 *
 * 1. Bytes: each route is loaded in Debian's Chromium (fresh context, signed
 *    out). "First load" is every chunk the server-rendered HTML names: the
 *    `<script src>` tags and the chunks named only inside the inline RSC
 *    payload (`self.__next_f.push(...)`, the client references a page needs
 *    to hydrate). Each chunk's bytes are attributed from its source map to
 *    the framework (React, React DOM, scheduler, Next.js and the Turbopack
 *    runtime, including Next's own client components that pages reference)
 *    or to the app (our code and the libraries we chose: react-query, zod…);
 *    a chunk's gzip size is split in that proportion. The app-owned part is
 *    what the budgets limit: ≤ 30 kB on `/` and `/markets`, ≤ 45 kB on a
 *    market page before the chart. Scripts fetched afterwards (the gateway
 *    client, the chart, the trading screen, deferred panels, idle prefetches
 *    of linked pages) are listed separately as "after hydration". Sizes are
 *    the build's files gzipped at level 6, so figures do not depend on how
 *    the local server compresses.
 * 2. FCP: /markets loaded in a fresh context per run, read from the
 *    Performance API `first-contentful-paint` entry; median and worst.
 *
 * Prints figures; exits non-zero when the build is missing, and with
 * `--check` when a route's app-owned first load is over its budget (CI runs
 * it that way).
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
import { SourceMapConsumer, type RawSourceMap } from "source-map-js";

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
  // Client references in the inline RSC payload name their chunks as
  // "static/chunks/….js" (JSON-escaped inside a script): the browser loads
  // them before hydrating, so they are first load too.
  for (const match of html.matchAll(/static\/chunks\/[A-Za-z0-9_~.-]+\.js/g)) {
    if (!polyfills.has(match[0])) named.add(`/_next/${match[0]}`);
  }
  return {
    firstLoad: [...named],
    afterHydration: [...fetched].filter((file) => !named.has(file)),
  };
}

const sum = (files: Iterable<string>) => {
  let total = 0;
  for (const file of files) total += gzipBytes(file);
  return total;
};

/** The build manifest: which chunks are the framework, which are polyfills. */
const manifest = JSON.parse(readFileSync(path.join(nextDir, "build-manifest.json"), "utf8")) as {
  rootMainFiles: string[];
  polyfillFiles: string[];
};
const polyfills = new Set(manifest.polyfillFiles);

/** Sources that belong to the framework rather than to the app. */
const FRAMEWORK_SOURCE =
  /\/node_modules\/(next|react|react-dom|scheduler|@swc\/helpers)\/|^turbopack:\/\/\/\[turbopack\]/;

const frameworkShareCache = new Map<string, number>();
/**
 * Share (0–1) of a built chunk's bytes that comes from framework sources,
 * from its source map. Bytes no mapping covers (the chunk's wrapper, the
 * runtime's glue) count as framework.
 */
function frameworkShare(urlPath: string): number {
  let share = frameworkShareCache.get(urlPath);
  if (share !== undefined) return share;
  const file = path.join(nextDir, decodeURIComponent(urlPath.replace(/^\/_next\//, "")));
  const code = readFileSync(file, "utf8");
  // Turbopack names a chunk's map in its last line (not always `<chunk>.map`).
  const mapName = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code)?.[1];
  const mapFile = mapName ? path.join(path.dirname(file), mapName) : "";
  if (!mapName || !existsSync(mapFile)) {
    throw new Error(`${urlPath} has no source map: the build must emit browser source maps`);
  }
  const lines = code.split("\n").map((line) => line.length);
  const consumer = new SourceMapConsumer(JSON.parse(readFileSync(mapFile, "utf8")) as RawSourceMap);
  let appBytes = 0;
  let previous: { line: number; column: number; app: boolean } | null = null;
  const close = (line: number, column: number) => {
    if (!previous) return;
    if (previous.app) {
      appBytes +=
        line === previous.line
          ? column - previous.column
          : (lines[previous.line - 1] ?? 0) - previous.column;
    }
  };
  consumer.eachMapping((mapping) => {
    close(mapping.generatedLine, mapping.generatedColumn);
    previous = {
      line: mapping.generatedLine,
      column: mapping.generatedColumn,
      app: mapping.source !== null && !FRAMEWORK_SOURCE.test(mapping.source),
    };
  });
  close(Number.MAX_SAFE_INTEGER, 0);
  share = code.length === 0 ? 1 : 1 - Math.min(appBytes, code.length) / code.length;
  frameworkShareCache.set(urlPath, share);
  return share;
}

/** gzip bytes of `files` split into framework and app-owned parts. */
function split(files: Iterable<string>): { framework: number; app: number } {
  let framework = 0;
  let app = 0;
  for (const file of files) {
    const bytes = gzipBytes(file);
    const share = frameworkShare(file);
    framework += bytes * share;
    app += bytes * (1 - share);
  }
  return { framework, app };
}

async function firstLoad(browser: Browser, base: string): Promise<void> {
  const markets = (await (await fetch(`${base}/api/markets?status=open&limit=1`)).json()) as {
    markets: Array<{ ticker: string; event_ticker: string }>;
  };
  const market = markets.markets[0];
  if (!market) throw new Error("the simulator listed no open market");
  const routes: Array<{ label: string; url: string; budgetKb: number | null }> = [
    { label: "/", url: "/", budgetKb: 30 },
    { label: "/markets", url: "/markets", budgetKb: 30 },
    { label: "/markets/[ticker]", url: `/markets/${market.ticker}`, budgetKb: 45 },
    { label: "/events/[ticker]", url: `/events/${market.event_ticker}`, budgetKb: null },
  ];
  console.log("first-load JS (gzip -6, production build, signed out)");
  console.log(
    "  route                  app-owned  chunks  budget      framework   after hydration",
  );
  for (const route of routes) {
    const load = await loadRoute(browser, `${base}${route.url}`);
    const parts = split(load.firstLoad);
    const ownKb = parts.app / 1024;
    const over = route.budgetKb !== null && ownKb > route.budgetKb;
    if (over) overBudget += 1;
    const verdict =
      route.budgetKb === null ? "" : over ? `> ${route.budgetKb} OVER` : `≤ ${route.budgetKb} ok`;
    console.log(
      `  ${route.label}`.padEnd(24) +
        `${ownKb.toFixed(1)} kB`.padStart(10) +
        String(load.firstLoad.length).padStart(7) +
        "   " +
        verdict.padEnd(12) +
        `${kb(parts.framework)} kB`.padStart(10) +
        `   +${kb(sum(load.afterHydration))} kB in ${load.afterHydration.length} chunks`,
    );
  }
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
    const timer = setTimeout(
      () => reject(new Error("the app did not start within 180 s")),
      180_000,
    );
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
// BENCH_PORT / SIM_PORT pin the app's and the embedded simulator's ports (a shared machine).
const port = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : await freePort();
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
